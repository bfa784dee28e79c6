package runtime

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/pyflink-go/pyflink-go/engine/graph"
	"github.com/pyflink-go/pyflink-go/engine/types"
)

// Defaults for the exchange between tasks.
const (
	DefaultBatchSize    = 1024
	DefaultTickInterval = 5 * time.Millisecond
)

// ErrCanceled is the cause of a job stopped by Cancel.
var ErrCanceled = errors.New("job canceled")

// Job is a job graph ready to run.
type Job struct {
	Graph *graph.JobGraph
	Env   *Env
	// BatchSize is the number of records per buffer between tasks.
	BatchSize int
	// TickInterval bounds how long a record waits in a partly filled buffer.
	TickInterval time.Duration
	// Hasher returns the key hasher for records leaving node id over a hash edge.
	Hasher func(nodeID int) KeyHasher

	mu      sync.Mutex
	metrics []*OperatorMetrics
	cancel  context.CancelCauseFunc
}

// Metrics returns the per-subtask operator counters of a running or finished job.
func (j *Job) Metrics() []*OperatorMetrics {
	j.mu.Lock()
	defer j.mu.Unlock()
	return append([]*OperatorMetrics(nil), j.metrics...)
}

// Cancel stops the job; Run returns ErrCanceled.
func (j *Job) Cancel() {
	j.mu.Lock()
	c := j.cancel
	j.mu.Unlock()
	if c != nil {
		c(ErrCanceled)
	}
}

// Run deploys every task and waits until all have finished or one failed.
// The first failure cancels the rest and is returned.
func (j *Job) Run(parent context.Context) error {
	if j.BatchSize <= 0 {
		j.BatchSize = DefaultBatchSize
	}
	if j.TickInterval <= 0 {
		j.TickInterval = DefaultTickInterval
	}
	if j.Env.Clock == nil {
		j.Env.Clock = SystemClock{}
	}
	ctx, cancel := context.WithCancelCause(parent)
	defer cancel(nil)
	j.mu.Lock()
	j.cancel = cancel
	j.mu.Unlock()

	tasks, err := j.build(ctx)
	if err != nil {
		return err
	}
	var wg sync.WaitGroup
	var once sync.Once
	var first error
	for _, t := range tasks {
		wg.Add(1)
		go func(t *task) {
			defer wg.Done()
			if err := t.run(); err != nil {
				once.Do(func() { first = err })
				cancel(err)
			}
		}(t)
	}
	wg.Wait()
	if first != nil {
		if errors.Is(first, ErrCanceled) || errors.Is(context.Cause(ctx), ErrCanceled) {
			return ErrCanceled
		}
		return first
	}
	return context.Cause(parent)
}

// build instantiates every subtask of every vertex and wires them together.
func (j *Job) build(ctx context.Context) ([]*task, error) {
	g := j.Graph
	gates := make([][]*gate, len(g.Vertices))
	offsets := make(map[*graph.JobEdge]int)
	for _, v := range g.Vertices {
		channels := 0
		for _, e := range v.Inputs {
			offsets[e] = channels
			channels += g.Vertices[e.FromVertex].Parallelism
		}
		gates[v.ID] = make([]*gate, v.Parallelism)
		capacity := max(16, 2*channels)
		inputOf := make([]int, 0, channels)
		for _, e := range v.Inputs {
			for i := 0; i < g.Vertices[e.FromVertex].Parallelism; i++ {
				inputOf = append(inputOf, e.Input)
			}
		}
		for s := range gates[v.ID] {
			gates[v.ID][s] = &gate{ch: make(chan *Buffer, capacity), channels: channels, input: inputOf}
		}
	}
	var tasks []*task
	for _, v := range g.Vertices {
		for s := 0; s < v.Parallelism; s++ {
			t, err := j.buildTask(ctx, v, s, gates, offsets)
			if err != nil {
				// Close what was opened so far.
				for _, t := range tasks {
					for _, op := range t.ops {
						_ = op.Close()
					}
					if t.source != nil {
						_ = t.source.Close()
					}
				}
				return nil, err
			}
			tasks = append(tasks, t)
		}
	}
	return tasks, nil
}

// VertexName is the task name Flink shows for a chain: its node names joined by " -> ".
func VertexName(v *graph.Vertex) string {
	names := make([]string, len(v.Nodes))
	for i, n := range v.Nodes {
		names[i] = n.Name
	}
	return strings.Join(names, " -> ")
}

type instance struct {
	op      Operator
	source  Source
	nodes   []*graph.Node // the fused group (one node unless fused)
	metrics *OperatorMetrics
	ctx     *Context
	out     Output
}

func (j *Job) buildTask(ctx context.Context, v *graph.Vertex, s int, gates [][]*gate, offsets map[*graph.JobEdge]int) (*task, error) {
	g := j.Graph
	name := VertexName(v)
	async := make(chan asyncEvent, 64)
	t := &task{name: name, subtask: s, par: v.Parallelism, gate: gates[v.ID][s], clock: j.Env.Clock, tickEvery: j.TickInterval}
	newCtx := func(n *graph.Node) *Context {
		return &Context{Env: j.Env, TaskName: name, OperatorName: n.Name, NodeID: n.ID, OperatorID: OperatorID(n.UID, n.ID), Subtask: s,
			Parallelism: v.Parallelism, MaxParallelism: v.MaxParallelism, ctx: ctx, async: async, task: t}
	}
	t.ctx = newCtx(v.Nodes[0])

	// Instantiate, fusing chained fusable nodes.
	inst := map[int]*instance{} // node id -> its instance
	var order []*instance
	for _, n := range v.Nodes {
		if _, done := inst[n.ID]; done {
			continue
		}
		c := newCtx(n)
		in := &instance{nodes: []*graph.Node{n}, ctx: c}
		switch spec := n.Spec.(type) {
		case SourceSpec:
			src, err := spec.NewSource(c)
			if err != nil {
				return nil, &TaskError{Operator: n.Name, Subtask: s, Parallelism: v.Parallelism, Err: err}
			}
			in.source = src
		case FusableSpec:
			group := []*graph.Node{n}
			for {
				last := group[len(group)-1]
				next := g.Chained[last.ID]
				if len(next) != 1 || hasExternalOutput(v, last.ID) {
					break
				}
				nn := g.Nodes[next[0]]
				if _, ok := nn.Spec.(FusableSpec); !ok || !nn.Fusable || !n.Fusable {
					break
				}
				group = append(group, nn)
			}
			specs := make([]any, len(group))
			names := make([]string, len(group))
			for i, gn := range group {
				specs[i] = gn.Spec
				names[i] = gn.Name
			}
			op, err := spec.Fuse(c, specs, names)
			if err != nil {
				return nil, &TaskError{Operator: n.Name, Subtask: s, Parallelism: v.Parallelism, Err: err}
			}
			in.op = op
			in.nodes = group
		case OperatorSpec:
			op, err := spec.NewOperator(c)
			if err != nil {
				return nil, &TaskError{Operator: n.Name, Subtask: s, Parallelism: v.Parallelism, Err: err}
			}
			in.op = op
		default:
			return nil, fmt.Errorf("node %d (%s): nothing to run (spec %T)", n.ID, n.Name, n.Spec)
		}
		names := make([]string, len(in.nodes))
		for i, gn := range in.nodes {
			names[i] = gn.Name
			inst[gn.ID] = in
		}
		in.metrics = &OperatorMetrics{NodeID: n.ID, Name: strings.Join(names, " -> "), Subtask: s, Parallelism: v.Parallelism}
		c.Metrics = in.metrics
		order = append(order, in)
	}

	// Writers for edges leaving this vertex.
	writersByNode := map[int][]*writer{}
	for _, e := range v.Outputs {
		down := g.Vertices[e.ToVertex]
		targets := gates[down.ID]
		channel := make([]int, len(targets))
		for i := range channel {
			channel[i] = offsets[e] + s
		}
		var h KeyHasher
		if e.Partition == graph.Hash {
			if j.Hasher != nil {
				h = j.Hasher(e.From)
			}
			if h == nil {
				return nil, fmt.Errorf("node %d (%s): a hash edge needs a keyed stream", e.To, g.Nodes[e.To].Name)
			}
		}
		w := newWriter(ctx, e, targets, channel, s, v.Parallelism, down.MaxParallelism, j.BatchSize, h)
		w.tag = e.Tag
		writersByNode[e.From] = append(writersByNode[e.From], w)
		t.writers = append(t.writers, w)
	}

	// Wire outputs, downstream first, and open.
	for i := len(order) - 1; i >= 0; i-- {
		in := order[i]
		last := in.nodes[len(in.nodes)-1]
		var outs []Output
		for _, next := range g.Chained[last.ID] {
			ni := inst[next]
			outs = append(outs, tagFilter{out: opInput{op: ni.op, out: ni.out, m: ni.metrics}, tag: g.ChainedTag[[2]int{last.ID, next}]})
		}
		for _, w := range writersByNode[last.ID] {
			outs = append(outs, tagFilter{out: w, tag: w.tag})
		}
		var out Output = discard{}
		switch len(outs) {
		case 0:
		case 1:
			out = outs[0]
		default:
			out = fanout(outs)
		}
		out = countingOutput{out: out, m: in.metrics}
		in.out = out
		if in.source != nil {
			if err := in.source.Open(in.ctx, out); err != nil {
				return nil, &TaskError{Operator: in.metrics.Name, Subtask: s, Parallelism: v.Parallelism, Err: err}
			}
			t.source = in.source
			t.sourceOut = out
		} else {
			if err := in.op.Open(in.ctx, out); err != nil {
				_ = in.op.Close()
				return nil, &TaskError{Operator: in.metrics.Name, Subtask: s, Parallelism: v.Parallelism, Err: err}
			}
		}
	}
	for _, in := range order {
		if in.op != nil {
			t.ops = append(t.ops, in.op)
			t.opNames = append(t.opNames, in.metrics.Name)
		}
		t.metrics = append(t.metrics, in.metrics)
	}
	if t.source == nil {
		t.head = order[0].op
		t.headOut = order[0].out
		t.headMetrics = order[0].metrics
	}
	j.mu.Lock()
	j.metrics = append(j.metrics, t.metrics...)
	j.mu.Unlock()
	return t, nil
}

func hasExternalOutput(v *graph.Vertex, node int) bool {
	for _, e := range v.Outputs {
		if e.From == node {
			return true
		}
	}
	return false
}

// tagFilter passes on the records of one output: the main output (tag "")
// or one side output, whose records lose their tag on the way.
type tagFilter struct {
	out Output
	tag string
}

func (f tagFilter) Emit(r types.Record) error {
	if r.Tag != f.tag {
		return nil
	}
	r.Tag = ""
	return f.out.Emit(r)
}

func (f tagFilter) EmitWatermark(wm int64) error { return f.out.EmitWatermark(wm) }

type discard struct{}

func (discard) Emit(types.Record) error   { return nil }
func (discard) EmitWatermark(int64) error { return nil }
