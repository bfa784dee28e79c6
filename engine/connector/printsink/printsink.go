// Package printsink is DataStream.print(): every record becomes one line,
// prefixed as Flink's PrintSinkOutputWriter prefixes it ("N> " above
// parallelism 1, "id> " or "id:N> " with an identifier), and rendered as
// PyFlink renders the stream's type.
//
// Delivery guarantee: at-least-once, as Flink's standard output sink is. A
// printed line cannot be taken back, so when a checkpointed job fails and
// restores, the records processed after the restored checkpoint are printed
// a second time. Use a two-phase-commit sink (FileSink) for exactly-once
// output.
package printsink

import (
	"strconv"

	"github.com/pyflink-go/pyflink-go/engine/format"
	rt "github.com/pyflink-go/pyflink-go/engine/runtime"
	"github.com/pyflink-go/pyflink-go/engine/types"
	"github.com/pyflink-go/pyflink-go/engine/value"
)

// ServiceName is the Env.Services key of the Lines function that receives output.
const ServiceName = "stdout"

// Lines receives finished lines, in order per subtask.
type Lines func(lines []string)

// Spec configures one print sink.
type Spec struct {
	Identifier string
	Type       *types.TypeInfo // the type of the printed stream
}

// Prefix is the prefix Flink writes before each line of subtask (0-based) of parallelism.
func Prefix(identifier string, subtask, parallelism int) string {
	p := identifier
	if parallelism > 1 {
		if p != "" {
			p += ":"
		}
		p += strconv.Itoa(subtask + 1)
	}
	if p != "" {
		p += "> "
	}
	return p
}

// Render turns one value into the text print() shows for a stream of type t.
func Render(v any, t *types.TypeInfo) (string, error) {
	if raw, ok := v.(value.Raw); ok {
		d, err := value.Decode(raw)
		if err != nil {
			return "", err
		}
		v = d
	}
	if s, ok := v.(string); ok {
		return s, nil
	}
	return format.Java(v, t)
}

// NewOperator returns the sink of one subtask.
func (s *Spec) NewOperator(ctx *rt.Context) (rt.Operator, error) {
	out, _ := ctx.Env.Services[ServiceName].(Lines)
	return &sink{spec: s, prefix: Prefix(s.Identifier, ctx.Subtask, ctx.Parallelism), lines: out}, nil
}

type sink struct {
	spec    *Spec
	prefix  string
	lines   Lines
	pending []string
}

func (s *sink) Open(*rt.Context, rt.Output) error { return nil }

func (s *sink) Process(r types.Record) error {
	text, err := Render(r.Value, s.spec.Type)
	if err != nil {
		return err
	}
	s.pending = append(s.pending, s.prefix+text)
	if len(s.pending) >= 1024 {
		s.flush()
	}
	return nil
}

func (s *sink) flush() {
	if len(s.pending) == 0 {
		return
	}
	if s.lines != nil {
		s.lines(s.pending)
	}
	s.pending = nil
}

func (s *sink) Tick() error     { s.flush(); return nil }
func (s *sink) EndInput() error { s.flush(); return nil }
func (s *sink) Close() error    { s.flush(); return nil }
