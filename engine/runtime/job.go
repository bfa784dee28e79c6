package runtime

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/pyflink-go/pyflink-go/engine/checkpoint"
	"github.com/pyflink-go/pyflink-go/engine/checkpoint/store"
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
	// Checkpoints, when set, takes checkpoints as its configuration says.
	Checkpoints *CheckpointSetup
	// Restore, when set, is the checkpoint or savepoint the job starts from.
	Restore *RestorePoint
	// Restart decides whether a failed job restarts and when; nil means it
	// fails at the first failure. A restart restores every task from the
	// latest completed checkpoint (or from Restore when there is none yet).
	Restart *checkpoint.Restarter
	// OnRestart, when set, is told of every restart: the attempt about to
	// run, the failure that caused it and the checkpoint restored (0: none).
	OnRestart func(attempt int, cause error, checkpointID int64)

	mu       sync.Mutex
	metrics  []*OperatorMetrics
	cancel   context.CancelCauseFunc
	canceled bool
	shell    *shell
	restarts int
	cpStats  CheckpointStats
}

// CheckpointStats returns the job's checkpoint counters.
func (j *Job) CheckpointStats() CheckpointStats {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.cpStats
}

func (j *Job) updateStats(f func(*CheckpointStats)) {
	j.mu.Lock()
	f(&j.cpStats)
	j.mu.Unlock()
}

// Metrics returns the per-subtask operator counters of a running or finished job.
func (j *Job) Metrics() []*OperatorMetrics {
	j.mu.Lock()
	defer j.mu.Unlock()
	return append([]*OperatorMetrics(nil), j.metrics...)
}

// Restarts returns how many times the job has restarted.
func (j *Job) Restarts() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.restarts
}

// Cancel stops the job; Run returns ErrCanceled.
func (j *Job) Cancel() {
	j.mu.Lock()
	c := j.cancel
	j.canceled = true
	j.mu.Unlock()
	if c != nil {
		c(ErrCanceled)
	}
}

// Savepoint takes a checkpoint now, outside the interval (a savepoint),
// waits for it and copies it to the directory target. With stop the sources
// end right after its barrier, without the final watermark
// (stop-with-savepoint): once the tasks have drained what precedes it, the
// job finishes. With drain instead, the sources end as at the end of their
// input: the final watermark fires every event-time window and timer,
// every operator sees its end of input, two-phase sinks commit everything
// through the savepoint (their final checkpoint) and the job finishes with
// every task finished in it (Flink's stop --drain,
// advance_to_end_of_event_time). It needs checkpointing to be configured.
func (j *Job) Savepoint(ctx context.Context, target string, stop, drain bool) (SavepointResult, error) {
	j.mu.Lock()
	sh := j.shell
	j.mu.Unlock()
	if j.Checkpoints == nil || sh == nil {
		return SavepointResult{}, errors.New("savepoints need checkpointing to be enabled and the job to be running")
	}
	ch := make(chan SavepointResult, 1)
	if !sh.send(ctx, shellEvent{savepoint: &savepointRequest{result: ch, target: target, stop: stop || drain, drain: drain}}) {
		return SavepointResult{}, errors.New("the job is not running")
	}
	select {
	case r := <-ch:
		return r, r.Err
	case <-ctx.Done():
		return SavepointResult{}, ctx.Err()
	}
}

// Run deploys every task and waits until all have finished or one failed.
// The first failure cancels the rest; the job then restarts as Restart
// decides, from the latest completed checkpoint, or fails with it.
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
	restore := j.Restore
	for attempt := 0; ; attempt++ {
		err := j.runAttempt(parent, attempt, restore)
		j.mu.Lock()
		canceled := j.canceled
		j.mu.Unlock()
		switch {
		case err == nil:
			j.shutdownStore(store.Finished)
			return context.Cause(parent)
		case canceled || errors.Is(err, ErrCanceled) || parent.Err() != nil:
			j.shutdownStore(store.Canceled)
			if canceled || errors.Is(err, ErrCanceled) {
				return ErrCanceled
			}
			return err
		case j.Restart == nil:
			j.shutdownStore(store.Failed)
			return err
		}
		delay, ok := j.Restart.OnFailure(j.Env.Clock.Now().UnixMilli())
		if !ok {
			j.shutdownStore(store.Failed)
			return &RestartsExhaustedError{Restarts: attempt, Err: err}
		}
		t := time.NewTimer(time.Duration(delay) * time.Millisecond)
		select {
		case <-t.C:
		case <-parent.Done():
			t.Stop()
			return context.Cause(parent)
		}
		if j.Checkpoints != nil {
			m, lerr := j.Checkpoints.Store.Latest()
			if lerr != nil {
				return fmt.Errorf("cannot restart after %v: %w", err, lerr)
			}
			if m != nil {
				rp, lerr := LoadRestorePoint(j.Checkpoints.Store.Dir(m.ID))
				if lerr != nil {
					return fmt.Errorf("cannot restart after %v: %w", err, lerr)
				}
				rp.AllowNonRestoredState = true // the same job
				restore = rp
			}
		}
		j.mu.Lock()
		j.restarts++
		j.mu.Unlock()
		if j.OnRestart != nil {
			var id int64
			if restore != nil {
				id = restore.ID
			}
			j.OnRestart(attempt+1, err, id)
		}
	}
}

// RestartsExhaustedError is a failure after which the restart strategy
// allowed no more restarts.
type RestartsExhaustedError struct {
	Restarts int
	Err      error
}

func (e *RestartsExhaustedError) Error() string {
	return fmt.Sprintf("%v (the restart strategy allows no more restarts after %d)", e.Err, e.Restarts)
}

func (e *RestartsExhaustedError) Unwrap() error { return e.Err }

func (j *Job) shutdownStore(status store.JobStatus) {
	if j.Checkpoints != nil {
		_ = j.Checkpoints.Store.Shutdown(status)
	}
}

// runAttempt runs the job once, from restore when set.
func (j *Job) runAttempt(parent context.Context, attempt int, restore *RestorePoint) error {
	ctx, cancel := context.WithCancelCause(parent)
	defer cancel(nil)
	j.mu.Lock()
	if j.canceled {
		j.mu.Unlock()
		return ErrCanceled
	}
	j.cancel = cancel
	j.metrics = nil
	j.mu.Unlock()

	tasks, err := j.build(ctx, attempt, restore)
	if err != nil {
		return err
	}
	if j.Checkpoints != nil {
		first, err := j.Checkpoints.Store.NextID()
		if err != nil {
			closeTasks(tasks)
			return err
		}
		if restore != nil && restore.ID >= first {
			// Ids go on from the checkpoint restored, as Flink's do, so
			// transactions named by checkpoint id never repeat.
			first = restore.ID + 1
		}
		sh, err := newShell(j.Checkpoints, tasks, j.Env.Clock, first, func(err error) { cancel(err) }, j.updateStats)
		if err != nil {
			closeTasks(tasks)
			return err
		}
		for _, t := range tasks {
			t.cp.shell = sh
		}
		j.mu.Lock()
		j.shell = sh
		j.mu.Unlock()
		shellCtx, stopShell := context.WithCancelCause(ctx)
		defer stopShell(nil)
		shellDone := make(chan struct{})
		go func() {
			defer close(shellDone)
			sh.run(shellCtx)
		}()
		defer func() {
			// The last tasks' ends may complete a checkpoint (a drained
			// savepoint): the shell handles them before it stops.
			sh.flush(shellCtx)
			stopShell(errors.New("the job attempt ended"))
			<-shellDone
			sh.writes.Wait()
			j.mu.Lock()
			j.shell = nil
			j.mu.Unlock()
		}()
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
	if c := context.Cause(ctx); c != nil && parent.Err() == nil {
		// The checkpoint shell failed the job (too many failed checkpoints).
		return c
	}
	return nil
}

func closeTasks(tasks []*task) {
	for _, t := range tasks {
		for _, op := range t.ops {
			_ = op.Close()
		}
		if t.source != nil {
			_ = t.source.Close()
		}
	}
}

// build instantiates every subtask of every vertex and wires them together.
func (j *Job) build(ctx context.Context, attempt int, restore *RestorePoint) ([]*task, error) {
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
			t, err := j.buildTask(ctx, v, s, gates, offsets, attempt, restore)
			if err != nil {
				closeTasks(tasks) // what was opened so far
				return nil, err
			}
			tasks = append(tasks, t)
		}
	}
	if restore != nil && !restore.AllowNonRestoredState {
		if ops := restore.unclaimed(); len(ops) > 0 {
			closeTasks(tasks)
			return nil, fmt.Errorf("cannot restore from %s: it holds state of operators the job does not have (%s); "+
				"give those operators their old uid, or set %s to true to skip that state",
				restore.Dir, strings.Join(ops, ", "), "execution.state-recovery.ignore-unclaimed-state")
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

func (j *Job) buildTask(ctx context.Context, v *graph.Vertex, s int, gates [][]*gate, offsets map[*graph.JobEdge]int, attempt int, restore *RestorePoint) (*task, error) {
	g := j.Graph
	name := VertexName(v)
	async := make(chan asyncEvent, 64)
	t := &task{name: name, subtask: s, par: v.Parallelism, gate: gates[v.ID][s], clock: j.Env.Clock, tickEvery: j.TickInterval}
	newCtx := func(n *graph.Node) *Context {
		return &Context{Env: j.Env, TaskName: name, OperatorName: n.Name, NodeID: n.ID, OperatorID: OperatorID(n.UID, n.ID), Subtask: s,
			Parallelism: v.Parallelism, MaxParallelism: v.MaxParallelism, Attempt: attempt, Checkpointing: j.Checkpoints != nil,
			ctx: ctx, async: async, task: t}
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
		if restore != nil {
			var c Checkpointed
			if in.source != nil {
				c, _ = in.source.(Checkpointed)
			} else {
				c, _ = in.op.(Checkpointed)
			}
			if c != nil {
				if st := restore.stateFor(in.ctx.OperatorID, s, v.Parallelism, v.MaxParallelism); st != nil {
					if err := c.RestoreState(st); err != nil {
						if in.source == nil {
							_ = in.op.Close()
						}
						return nil, &TaskError{Operator: in.metrics.Name, Subtask: s, Parallelism: v.Parallelism,
							Err: fmt.Errorf("cannot restore state from checkpoint %d: %w", restore.ID, err)}
					}
				}
			}
		}
	}
	for _, in := range order {
		if in.op != nil {
			t.ops = append(t.ops, in.op)
			t.opNames = append(t.opNames, in.metrics.Name)
			t.opIDs = append(t.opIDs, in.ctx.OperatorID)
		} else {
			t.sourceID = in.ctx.OperatorID
		}
		t.metrics = append(t.metrics, in.metrics)
	}
	t.cpName = taskName(OperatorID(v.Nodes[0].UID, v.Nodes[0].ID), s)
	if j.Checkpoints != nil {
		// Every task can be triggered directly: sources always, other
		// tasks while they wait for their final checkpoint.
		t.cp = &taskCheckpointing{notify: make(chan struct{}, 1), triggers: make(chan checkpointTrigger, 16)}
		if order[0].source == nil {
			t.cp.aligner = checkpoint.NewAligner(t.gate.channels, j.Checkpoints.Config.Mode)
		}
	}
	if restore != nil && restore.finishedTasks[t.cpName] {
		t.restoredFinished = true
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

func (f tagFilter) EmitWatermarkStatus(idle bool) error { return EmitStatus(f.out, idle) }

type discard struct{}

func (discard) EmitWatermarkStatus(bool) error { return nil }

func (discard) Emit(types.Record) error   { return nil }
func (discard) EmitWatermark(int64) error { return nil }
