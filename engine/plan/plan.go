// Package plan decodes and validates the job plan the Python package submits
// (see PLAN.md). A bad plan is an error that names the node and the key at
// fault; decoding never panics.
package plan

import (
	"fmt"

	"github.com/vmihailenco/msgpack/v5"

	"github.com/pyflink-go/pyflink-go/engine/types"
)

// Plan is a decoded job plan.
type Plan struct {
	Version        int               `msgpack:"version"`
	JobName        string            `msgpack:"job_name"`
	JobID          string            `msgpack:"job_id"`
	JobParameters  map[string]string `msgpack:"job_parameters"`
	Mode           string            `msgpack:"mode"`
	Parallelism    int               `msgpack:"parallelism"`
	MaxParallelism int               `msgpack:"max_parallelism"`
	Chaining       *bool             `msgpack:"chaining"`
	Config         map[string]string `msgpack:"config"`
	Python         Python            `msgpack:"python"`
	Nodes          []*Node           `msgpack:"nodes"`
}

// Python says how to start Python workers for this job.
type Python struct {
	Executable string   `msgpack:"executable"`
	Path       []string `msgpack:"path"`
}

// Node is one transformation.
type Node struct {
	ID             int                `msgpack:"id"`
	Kind           string             `msgpack:"kind"`
	Name           string             `msgpack:"name"`
	UID            string             `msgpack:"uid"`
	Parallelism    int                `msgpack:"parallelism"`
	MaxParallelism int                `msgpack:"max_parallelism"`
	Chaining       string             `msgpack:"chaining"`
	Inputs         []Input            `msgpack:"inputs"`
	OutType        *types.TypeInfo    `msgpack:"out_type"`
	Params         msgpack.RawMessage `msgpack:"params"`
}

// Input is an edge into a node.
type Input struct {
	Node      int    `msgpack:"node"`
	Partition string `msgpack:"partition"`
	Tag       string `msgpack:"tag"` // side output of Node to read ("" = main output)
}

// The node kinds a plan may use.
const (
	KindCollectionSource = "collection_source"
	KindNumberSequence   = "number_sequence_source"
	KindFileSource       = "file_source"
	KindPython           = "python"
	KindUnion            = "union"
	KindPrintSink        = "print_sink"
	KindCollectSink      = "collect_sink"
	KindDiscardSink      = "discard_sink"
	KindWatermarks       = "watermarks"
	KindWindow           = "window"
	KindFileSink         = "file_sink"
)

// Decode parses and validates a msgpack plan.
func Decode(b []byte) (p *Plan, err error) {
	defer func() {
		if r := recover(); r != nil {
			p, err = nil, fmt.Errorf("plan: malformed: %v", r)
		}
	}()
	p = &Plan{}
	if err := msgpack.Unmarshal(b, p); err != nil {
		return nil, fmt.Errorf("plan: cannot decode: %w", err)
	}
	if err := p.validate(); err != nil {
		return nil, err
	}
	return p, nil
}

// ChainingEnabled reports whether operator chaining is on (the default).
func (p *Plan) ChainingEnabled() bool { return p.Chaining == nil || *p.Chaining }

func (p *Plan) validate() error {
	if p.Version != 1 {
		return fmt.Errorf("plan: version %d is not supported (want 1)", p.Version)
	}
	switch p.Mode {
	case "", "STREAMING":
		p.Mode = "STREAMING"
	case "BATCH":
	default:
		return fmt.Errorf("plan: mode %q is not STREAMING or BATCH", p.Mode)
	}
	if p.Parallelism < 1 {
		return fmt.Errorf("plan: parallelism must be at least 1, got %d", p.Parallelism)
	}
	if p.MaxParallelism == 0 {
		p.MaxParallelism = 128
	}
	if p.MaxParallelism < 1 || p.MaxParallelism > 32768 {
		return fmt.Errorf("plan: max_parallelism %d is outside [1, 32768]", p.MaxParallelism)
	}
	if len(p.Nodes) == 0 {
		return fmt.Errorf("plan: no operators defined in the job")
	}
	seen := map[int]bool{}
	for i, n := range p.Nodes {
		if n == nil {
			return fmt.Errorf("plan: node #%d is empty", i)
		}
		where := fmt.Sprintf("plan: node %d (%s)", n.ID, n.Name)
		if seen[n.ID] {
			return fmt.Errorf("%s: duplicate id", where)
		}
		switch n.Kind {
		case KindCollectionSource, KindNumberSequence, KindFileSource, KindPython, KindUnion,
			KindPrintSink, KindCollectSink, KindDiscardSink, KindFileSink, KindWatermarks, KindWindow:
		default:
			return fmt.Errorf("%s: unknown kind %q", where, n.Kind)
		}
		if n.Parallelism < 0 {
			return fmt.Errorf("%s: parallelism must not be negative, got %d", where, n.Parallelism)
		}
		switch n.Chaining {
		case "", "default", "start_new_chain", "disable":
		default:
			return fmt.Errorf("%s: chaining %q is not default, start_new_chain or disable", where, n.Chaining)
		}
		for _, in := range n.Inputs {
			if !seen[in.Node] {
				return fmt.Errorf("%s: input %d is not a node listed before it", where, in.Node)
			}
		}
		if err := n.OutType.Validate(); err != nil {
			return fmt.Errorf("%s: out_type: %w", where, err)
		}
		seen[n.ID] = true
	}
	return nil
}

// DecodeParams decodes the node's params into v, with an error naming the node.
func (n *Node) DecodeParams(v any) error {
	if len(n.Params) == 0 {
		return nil
	}
	if err := msgpack.Unmarshal(n.Params, v); err != nil {
		return fmt.Errorf("plan: node %d (%s): params: %w", n.ID, n.Name, err)
	}
	return nil
}

// ParamsMap decodes the params as a generic map (for passing through to Python).
func (n *Node) ParamsMap() (map[string]any, error) {
	m := map[string]any{}
	if err := n.DecodeParams(&m); err != nil {
		return nil, err
	}
	return m, nil
}
