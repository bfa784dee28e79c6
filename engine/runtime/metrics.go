package runtime

import (
	"sync/atomic"

	"github.com/pyflink-go/pyflink-go/engine/types"
)

// OperatorMetrics counts the records a node (or fused group) of one subtask
// took in and gave out. The task goroutine counts in plain fields and
// publishes them every 256 records, at every tick and at the end, so counting
// costs no atomic operation per record.
type OperatorMetrics struct {
	NodeID      int
	Name        string
	Subtask     int
	Parallelism int
	RecordsIn   atomic.Int64
	RecordsOut  atomic.Int64
	// Calls counts worker calls (batches sent to Python), for operators that make them.
	Calls   atomic.Int64
	in, out int64
}

func (m *OperatorMetrics) publish() {
	m.RecordsIn.Store(m.in)
	m.RecordsOut.Store(m.out)
}

// countingOutput counts records as they leave a node.
type countingOutput struct {
	out Output
	m   *OperatorMetrics
}

func (c countingOutput) Emit(r types.Record) error {
	c.m.out++
	if c.m.out&publishEvery == 0 {
		c.m.RecordsOut.Store(c.m.out)
	}
	return c.out.Emit(r)
}

// publishEvery+1 records between publications of a counter while records
// flow, so progress shows even when a task is busy for long stretches.
const publishEvery = 255

func (c countingOutput) EmitWatermark(wm int64) error { return c.out.EmitWatermark(wm) }

func (c countingOutput) EmitWatermarkStatus(idle bool) error { return EmitStatus(c.out, idle) }

// EmitSide emits r to the side output tag (OutputTag): edges that read that
// tag receive it.
func (c countingOutput) EmitSide(tag string, r types.Record) error {
	r.Tag = tag
	return c.Emit(r)
}
