package local

import (
	"encoding/json"
	"strings"

	"github.com/pyflink-go/pyflink-go/engine/graph"
	"github.com/pyflink-go/pyflink-go/engine/plan"
)

type jsonPlan struct {
	Nodes []jsonNode `json:"nodes"`
}

type jsonNode struct {
	ID           int        `json:"id"`
	Type         string     `json:"type"`
	Pact         string     `json:"pact"`
	Contents     string     `json:"contents"`
	Parallelism  int        `json:"parallelism"`
	Predecessors []jsonPred `json:"predecessors,omitempty"`
}

type jsonPred struct {
	ID           int    `json:"id"`
	ShipStrategy string `json:"ship_strategy"`
	Side         string `json:"side"`
}

// ExecutionPlanJSON returns Flink's execution-plan JSON for a msgpack plan:
// one entry per operator (unions resolved) with its pact, parallelism and
// predecessors with their ship strategies.
func ExecutionPlanJSON(planBytes []byte) ([]byte, error) {
	p, err := plan.Decode(planBytes)
	if err != nil {
		return nil, err
	}
	c, err := compile(p, graph.Options{AllowNoSink: true})
	if err != nil {
		return nil, err
	}
	g := c.graph
	out := jsonPlan{Nodes: []jsonNode{}}
	for _, id := range g.Order {
		n := g.Nodes[id]
		jn := jsonNode{ID: id + 1, Type: n.Name, Pact: pact(n.Kind), Contents: contents(n), Parallelism: n.Parallelism}
		for _, e := range g.Edges[id] {
			jn.Predecessors = append(jn.Predecessors, jsonPred{ID: e.From + 1, ShipStrategy: e.Partition.ShipStrategy(), Side: "second"})
		}
		out.Nodes = append(out.Nodes, jn)
	}
	return json.MarshalIndent(out, "", "  ")
}

func pact(k graph.Kind) string {
	switch k {
	case graph.Source:
		return "Data Source"
	case graph.Sink:
		return "Data Sink"
	default:
		return "Operator"
	}
}

// contents is the operator description Flink shows: sources and sinks carry a
// "Source: " or "Sink: " prefix.
func contents(n *graph.Node) string {
	switch {
	case n.Kind == graph.Source && !strings.HasPrefix(n.Name, "Source: "):
		return "Source: " + n.Name
	case n.Kind == graph.Sink && !strings.HasPrefix(n.Name, "Sink: "):
		return "Sink: " + n.Name
	}
	return n.Name
}
