package graph

import (
	"fmt"
	"strings"
	"testing"
)

func node(id int, name string, kind Kind, p int, inputs ...Edge) *Node {
	return &Node{ID: id, Name: name, Kind: kind, Parallelism: p, MaxParallelism: 128, Inputs: inputs}
}

func e(from int, p Partition) Edge { return Edge{From: from, Partition: p} }

// describe renders vertices as "[a b] -REBALANCE-> [c]" lines for golden comparison.
func describe(g *JobGraph) string {
	var b strings.Builder
	for _, v := range g.Vertices {
		var names []string
		for _, n := range v.Nodes {
			names = append(names, n.Name)
		}
		fmt.Fprintf(&b, "v%d p%d [%s]", v.ID, v.Parallelism, strings.Join(names, " "))
		for _, o := range v.Outputs {
			fmt.Fprintf(&b, " -%s-> v%d", o.Partition.ShipStrategy(), o.ToVertex)
		}
		b.WriteString("\n")
	}
	return b.String()
}

func TestBuild(t *testing.T) {
	for _, tc := range []struct {
		name     string
		nodes    []*Node
		chaining bool
		want     string
	}{
		{
			name:     "collection source at p1 rebalances into p2",
			nodes:    []*Node{node(0, "src", Source, 1), node(1, "map", Operator, 2, e(0, Auto)), node(2, "print", Sink, 2, e(1, Auto))},
			chaining: true,
			want:     "v0 p1 [src] -REBALANCE-> v1\nv1 p2 [map print]\n",
		},
		{
			name:     "equal parallelism chains",
			nodes:    []*Node{node(0, "src", Source, 1), node(1, "map", Operator, 1, e(0, Auto)), node(2, "print", Sink, 1, e(1, Auto))},
			chaining: true,
			want:     "v0 p1 [src map print]\n",
		},
		{
			name:     "chaining disabled",
			nodes:    []*Node{node(0, "src", Source, 1), node(1, "map", Operator, 1, e(0, Auto)), node(2, "s", Sink, 1, e(1, Auto))},
			chaining: false,
			want:     "v0 p1 [src] -FORWARD-> v1\nv1 p1 [map] -FORWARD-> v2\nv2 p1 [s]\n",
		},
		{
			name: "hash edge breaks the chain",
			nodes: []*Node{node(0, "src", Source, 2), node(1, "key", Operator, 2, e(0, Auto)),
				node(2, "reduce", Operator, 2, e(1, Hash)), node(3, "sink", Sink, 2, e(2, Auto))},
			chaining: true,
			want:     "v0 p2 [src key] -HASH-> v1\nv1 p2 [reduce sink]\n",
		},
		{
			name: "union feeds both inputs into one head",
			nodes: []*Node{node(0, "a", Source, 1), node(1, "b", Source, 1), node(2, "u", Union, 0, e(0, Auto), e(1, Rebalance)),
				node(3, "sink", Sink, 1, e(2, Auto))},
			chaining: true,
			want:     "v0 p1 [a] -FORWARD-> v2\nv1 p1 [b] -REBALANCE-> v2\nv2 p1 [sink]\n",
		},
		{
			name: "fan-out chains both consumers",
			nodes: []*Node{node(0, "src", Source, 1), node(1, "m1", Operator, 1, e(0, Auto)), node(2, "m2", Operator, 1, e(0, Auto)),
				node(3, "s1", Sink, 1, e(1, Auto)), node(4, "s2", Sink, 1, e(2, Auto))},
			chaining: true,
			want:     "v0 p1 [src m1 m2 s1 s2]\n",
		},
		{
			name:     "start new chain",
			nodes:    []*Node{node(0, "src", Source, 1), {ID: 1, Name: "map", Kind: Operator, Parallelism: 1, MaxParallelism: 128, Chaining: ChainStartNew, Inputs: []Edge{e(0, Auto)}}, node(2, "sink", Sink, 1, e(1, Auto))},
			chaining: true,
			want:     "v0 p1 [src] -FORWARD-> v1\nv1 p1 [map sink]\n",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g, err := Build(tc.nodes, Options{Chaining: tc.chaining})
			if err != nil {
				t.Fatal(err)
			}
			if got := describe(g); got != tc.want {
				t.Errorf("got\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}

func TestBuildErrors(t *testing.T) {
	for _, tc := range []struct {
		name  string
		nodes []*Node
		want  string
	}{
		{"forward across parallelism", []*Node{node(0, "src", Source, 1), node(1, "map", Operator, 2, e(0, Forward)), node(2, "s", Sink, 2, e(1, Auto))}, "forward partitioning does not allow change of parallelism"},
		{"no sink", []*Node{node(0, "src", Source, 1), node(1, "map", Operator, 1, e(0, Auto))}, "no sinks are defined"},
		{"undefined input", []*Node{node(0, "src", Source, 1), node(1, "map", Operator, 1, e(5, Auto))}, "input 5 is not defined"},
		{"zero parallelism", []*Node{node(0, "src", Source, 0)}, "parallelism must be positive"},
		{"parallelism above max", []*Node{{ID: 0, Name: "src", Kind: Source, Parallelism: 4, MaxParallelism: 2}}, "exceeds max parallelism"},
		{"unknown partition", []*Node{node(0, "src", Source, 1), node(1, "s", Sink, 1, e(0, "zigzag"))}, "unknown partitioning"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Build(tc.nodes, Options{Chaining: true})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}
