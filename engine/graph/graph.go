// Package graph turns a stream graph (one node per transformation) into a job
// graph: virtual union nodes are resolved, every edge gets its concrete
// partitioning, and nodes joined by forward edges of equal parallelism are
// chained into one vertex that runs in a single task per subtask, as Flink
// chains operators. It is pure: no goroutines, no I/O.
package graph

import (
	"fmt"
	"sort"
)

// Kind says what role a node plays; it decides the "pact" in the execution plan.
type Kind int

// The node kinds.
const (
	Operator Kind = iota
	Source
	Sink
	Union // virtual: its inputs are connected straight to its consumers
)

// Chaining is a node's chaining strategy.
type Chaining int

// The chaining strategies, as DataStream.start_new_chain/disable_chaining set them.
const (
	ChainDefault Chaining = iota
	ChainStartNew
	ChainDisable
)

// Partition is how records of an edge are distributed over the consumer's subtasks.
type Partition string

// The partitionings. Auto resolves to Forward when both ends have the same
// parallelism and to Rebalance otherwise, as Flink's default edge does.
const (
	Auto      Partition = "auto"
	Forward   Partition = "forward"
	Rebalance Partition = "rebalance"
	Rescale   Partition = "rescale"
	Shuffle   Partition = "shuffle"
	Broadcast Partition = "broadcast"
	Global    Partition = "global"
	Hash      Partition = "hash"
)

// ShipStrategy is the name Flink's execution plan JSON gives a partitioning.
func (p Partition) ShipStrategy() string {
	switch p {
	case Hash:
		return "HASH"
	case Auto:
		return "FORWARD"
	default:
		return string(toUpper(string(p)))
	}
}

func toUpper(s string) []byte {
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			b[i] = c - 32
		}
	}
	return b
}

// Edge connects the output of node From to the node that lists it.
type Edge struct {
	From      int
	Partition Partition
	// Tag selects the side output of From this edge carries ("" = main output).
	Tag string
	// Input is the position among the consumer's inputs this edge fills
	// (set by Build; edges expanded from a union share the union's position).
	Input int
}

// Node is one transformation of the stream graph.
type Node struct {
	ID             int
	Name           string
	UID            string
	Kind           Kind
	Parallelism    int // > 0
	MaxParallelism int // > 0
	Chaining       Chaining
	Inputs         []Edge
	// Spec is what the runtime instantiates for this node (opaque here).
	Spec any
	// Fusable marks nodes (Python operators) that may be fused with chained
	// neighbours that are also fusable.
	Fusable bool
}

// JobEdge is an edge between two vertices, after chaining.
type JobEdge struct {
	From, To             int // node ids; To is the head of its vertex
	FromVertex, ToVertex int
	Partition            Partition
	Tag                  string // side output carried ("" = main output)
	// Input is the position of the edge among the consumer's inputs (0 or 1
	// for a two-input operator; unions count as the position they fill).
	Input int
}

// Vertex is a chain of nodes that runs as one task per subtask. Nodes are in
// topological order and Nodes[0] is the head: the only node with inputs from
// other vertices.
type Vertex struct {
	ID             int
	Nodes          []*Node
	Parallelism    int
	MaxParallelism int
	Inputs         []*JobEdge // into the head, in a fixed order
	Outputs        []*JobEdge
}

// JobGraph is the chained graph the runtime deploys.
type JobGraph struct {
	Vertices []*Vertex
	// Chained maps a node id to the ids of the nodes chained after it.
	Chained map[int][]int
	// ChainedTag is the side-output tag of a chained edge {from, to} ("" = main).
	ChainedTag map[[2]int]string
	// Resolved stream edges, by consumer node id (unions removed).
	Edges map[int][]Edge
	// Nodes by id (unions removed).
	Nodes map[int]*Node
	// Order is the node ids in topological order (unions removed).
	Order []int
	// VertexOf maps a node id to its vertex id.
	VertexOf map[int]int
}

// Options controls graph building.
type Options struct {
	Chaining bool // false after disable_operator_chaining()
	// AllowNoSink accepts a graph without sinks (for showing a plan, not running it).
	AllowNoSink bool
}

// Build resolves and chains nodes, which must be listed so that every input
// refers to a node listed earlier.
func Build(nodes []*Node, opts Options) (*JobGraph, error) {
	byID := make(map[int]*Node, len(nodes))
	for _, n := range nodes {
		if _, dup := byID[n.ID]; dup {
			return nil, fmt.Errorf("node %d (%s): duplicate id", n.ID, n.Name)
		}
		for _, in := range n.Inputs {
			if _, ok := byID[in.From]; !ok {
				return nil, fmt.Errorf("node %d (%s): input %d is not defined before it", n.ID, n.Name, in.From)
			}
		}
		if n.Kind != Union && n.Parallelism <= 0 {
			return nil, fmt.Errorf("node %d (%s): parallelism must be positive, got %d", n.ID, n.Name, n.Parallelism)
		}
		if n.Kind != Union && n.MaxParallelism < n.Parallelism {
			return nil, fmt.Errorf("node %d (%s): parallelism %d exceeds max parallelism %d", n.ID, n.Name, n.Parallelism, n.MaxParallelism)
		}
		if n.Kind == Source && len(n.Inputs) > 0 {
			return nil, fmt.Errorf("node %d (%s): a source cannot have inputs", n.ID, n.Name)
		}
		if n.Kind != Source && n.Kind != Union && len(n.Inputs) == 0 {
			return nil, fmt.Errorf("node %d (%s): has no input", n.ID, n.Name)
		}
		byID[n.ID] = n
	}
	g := &JobGraph{Chained: map[int][]int{}, ChainedTag: map[[2]int]string{}, Edges: map[int][]Edge{}, Nodes: map[int]*Node{}, VertexOf: map[int]int{}}
	for _, n := range nodes {
		if n.Kind == Union {
			continue
		}
		g.Nodes[n.ID] = n
		g.Order = append(g.Order, n.ID)
		var edges []Edge
		for pos, in := range n.Inputs {
			for _, e := range expandUnion(byID, in) {
				e.Input = pos
				edges = append(edges, e)
			}
		}
		for i, e := range edges {
			up := byID[e.From]
			p, err := resolvePartition(e.Partition, up, n)
			if err != nil {
				return nil, err
			}
			edges[i].Partition = p
		}
		g.Edges[n.ID] = edges
	}
	if len(g.Order) == 0 {
		return nil, fmt.Errorf("the job has no operators")
	}
	consumers := map[int][]int{}
	for _, id := range g.Order {
		for _, e := range g.Edges[id] {
			consumers[e.From] = append(consumers[e.From], id)
		}
	}
	hasSink := false
	for _, id := range g.Order {
		if g.Nodes[id].Kind == Sink {
			hasSink = true
		}
	}
	if !hasSink && !opts.AllowNoSink {
		return nil, fmt.Errorf("no sinks are defined in the job: add print(), a sink or execute_and_collect()")
	}
	// Chain: a node joins its single input's vertex when the edge is chainable.
	for _, id := range g.Order {
		n := g.Nodes[id]
		edges := g.Edges[id]
		if len(edges) == 1 && opts.Chaining && chainable(g.Nodes[edges[0].From], n, edges[0].Partition) {
			up := edges[0].From
			vid := g.VertexOf[up]
			v := g.Vertices[vid]
			v.Nodes = append(v.Nodes, n)
			g.VertexOf[id] = vid
			g.Chained[up] = append(g.Chained[up], id)
			g.ChainedTag[[2]int{up, id}] = edges[0].Tag
			continue
		}
		v := &Vertex{ID: len(g.Vertices), Nodes: []*Node{n}, Parallelism: n.Parallelism, MaxParallelism: n.MaxParallelism}
		g.Vertices = append(g.Vertices, v)
		g.VertexOf[id] = v.ID
	}
	for _, id := range g.Order {
		for _, e := range g.Edges[id] {
			if g.VertexOf[e.From] == g.VertexOf[id] && isChained(g, e.From, id) {
				continue
			}
			je := &JobEdge{From: e.From, To: id, FromVertex: g.VertexOf[e.From], ToVertex: g.VertexOf[id], Partition: e.Partition, Tag: e.Tag, Input: e.Input}
			g.Vertices[je.FromVertex].Outputs = append(g.Vertices[je.FromVertex].Outputs, je)
			g.Vertices[je.ToVertex].Inputs = append(g.Vertices[je.ToVertex].Inputs, je)
		}
	}
	for _, v := range g.Vertices {
		sort.SliceStable(v.Outputs, func(i, j int) bool { return v.Outputs[i].From < v.Outputs[j].From })
	}
	return g, nil
}

func isChained(g *JobGraph, from, to int) bool {
	for _, c := range g.Chained[from] {
		if c == to {
			return true
		}
	}
	return false
}

// expandUnion replaces an edge from a union node by edges from the union's
// inputs; an explicit partitioning on the union's output wins over the one on
// its input, as Flink applies the later partitioning.
func expandUnion(byID map[int]*Node, e Edge) []Edge {
	up := byID[e.From]
	if up.Kind != Union {
		return []Edge{e}
	}
	var out []Edge
	for _, in := range up.Inputs {
		p := e.Partition
		if p == Auto || p == "" {
			p = in.Partition
		}
		out = append(out, expandUnion(byID, Edge{From: in.From, Partition: p, Tag: in.Tag})...)
	}
	return out
}

func resolvePartition(p Partition, up, down *Node) (Partition, error) {
	switch p {
	case "", Auto:
		if up.Parallelism == down.Parallelism {
			return Forward, nil
		}
		return Rebalance, nil
	case Forward:
		if up.Parallelism != down.Parallelism {
			return "", fmt.Errorf("node %d (%s): forward partitioning does not allow change of parallelism: upstream %s has %d, %s has %d; use another partitioning",
				down.ID, down.Name, up.Name, up.Parallelism, down.Name, down.Parallelism)
		}
		return Forward, nil
	case Rebalance, Rescale, Shuffle, Broadcast, Global, Hash:
		return p, nil
	default:
		return "", fmt.Errorf("node %d (%s): unknown partitioning %q", down.ID, down.Name, p)
	}
}

func chainable(up, down *Node, p Partition) bool {
	return p == Forward && up.Parallelism == down.Parallelism && up.Kind != Sink &&
		down.Kind != Source && down.Chaining == ChainDefault && up.Chaining != ChainDisable
}
