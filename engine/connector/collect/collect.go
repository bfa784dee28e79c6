// Package collect is the sink behind execute_and_collect: records are handed
// back to the client, encoded for Python.
//
// Delivery guarantee: at-least-once. Rows are handed to the client as they
// arrive and cannot be taken back, so when a checkpointed job fails and
// restores, the rows produced after the restored checkpoint reach the
// client a second time. (Flink's collect sink, with checkpointing, holds
// rows back from the client until their checkpoint completes and so is
// exactly-once; this sink does not.)
package collect

import (
	rt "github.com/pyflink-go/pyflink-go/engine/runtime"
	"github.com/pyflink-go/pyflink-go/engine/types"
	"github.com/pyflink-go/pyflink-go/engine/value"
)

// ServiceName is the Env.Services key of the Rows function that receives rows.
const ServiceName = "collect"

// Rows receives encoded rows in order per subtask.
type Rows func(rows []value.Raw)

// Spec configures a collect sink.
type Spec struct{}

// NewOperator returns the sink of one subtask.
func (s *Spec) NewOperator(ctx *rt.Context) (rt.Operator, error) {
	out, _ := ctx.Env.Services[ServiceName].(Rows)
	return &sink{rows: out}, nil
}

type sink struct {
	rows    Rows
	pending []value.Raw
}

func (s *sink) Open(*rt.Context, rt.Output) error { return nil }

func (s *sink) Process(r types.Record) error {
	raw, ok := r.Value.(value.Raw)
	if !ok {
		b, err := value.Encode(r.Value)
		if err != nil {
			return err
		}
		raw = b
	}
	s.pending = append(s.pending, raw)
	if len(s.pending) >= 1024 {
		s.flush()
	}
	return nil
}

func (s *sink) flush() {
	if len(s.pending) > 0 && s.rows != nil {
		s.rows(s.pending)
	}
	s.pending = nil
}

func (s *sink) Tick() error     { s.flush(); return nil }
func (s *sink) EndInput() error { s.flush(); return nil }
func (s *sink) Close() error    { return nil }
