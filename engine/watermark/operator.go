package watermark

import (
	"fmt"
	"strings"

	"github.com/pyflink-go/pyflink-go/engine/plan"
	"github.com/pyflink-go/pyflink-go/engine/runtime"
	"github.com/pyflink-go/pyflink-go/engine/types"
)

// IntervalKey is the configuration key of the periodic watermark interval
// (ExecutionConfig.set_auto_watermark_interval in PyFlink).
const IntervalKey = "pipeline.auto-watermark-interval"

// DefaultInterval is Flink's default auto-watermark interval, in milliseconds.
const DefaultInterval int64 = 200

// StatusOutput is implemented by outputs that carry idle/active status.
type StatusOutput = runtime.StatusOutput

// Extractor returns the event timestamp of value (TimestampAssigner.
// extract_timestamp); recordTimestamp is the timestamp the record carries
// (types.NoTimestamp when none).
type Extractor func(value any, recordTimestamp int64) (int64, error)

// OperatorSpec builds the operator behind assign_timestamps_and_watermarks:
// it stamps every record with its extracted timestamp and emits the
// strategy's watermarks every interval of processing time.
type OperatorSpec struct {
	Strategy Strategy
	// Extract assigns timestamps; nil keeps the records' own timestamps.
	Extract Extractor
	// IntervalMillis overrides the configured interval when > 0.
	IntervalMillis int64
}

// NewOperator implements runtime.OperatorSpec.
func (s OperatorSpec) NewOperator(ctx *runtime.Context) (runtime.Operator, error) {
	if err := s.Strategy.Validate(); err != nil {
		return nil, err
	}
	interval := s.IntervalMillis
	if interval <= 0 {
		var err error
		if interval, err = ParseInterval(ctx.Env.Config[IntervalKey]); err != nil {
			return nil, err
		}
	}
	strategy := s.Strategy
	if ctx.Env.Mode == "BATCH" {
		// Batch execution emits only the final watermark.
		strategy = NoWatermarks()
	}
	return &Operator{extract: s.Extract, gen: strategy.NewGenerator(), interval: interval}, nil
}

// ParseInterval reads an interval setting: plain milliseconds ("200") or a
// duration as Flink's configuration writes it ("200 ms", "1 s", "1 min").
// Empty means DefaultInterval.
func ParseInterval(v string) (int64, error) {
	if strings.TrimSpace(v) == "" {
		return DefaultInterval, nil
	}
	d, err := plan.ParseDuration(v)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", IntervalKey, err)
	}
	return d.Milliseconds(), nil
}

// Operator is the runtime shell around a Generator: see OperatorSpec.
type Operator struct {
	extract  Extractor
	gen      *Generator
	interval int64
	next     int64
	clock    runtime.Clock
	out      runtime.Output
	events   []Event
}

// Open starts the periodic schedule.
func (o *Operator) Open(ctx *runtime.Context, out runtime.Output) error {
	o.out = out
	o.clock = ctx.Env.Clock
	if o.clock == nil {
		o.clock = runtime.SystemClock{}
	}
	o.next = o.clock.Now().UnixMilli() + o.interval
	return nil
}

// Process stamps the record and forwards it, then lets the generator see it.
func (o *Operator) Process(r types.Record) error {
	if o.extract != nil {
		ts, err := o.extract(r.Value, r.Timestamp)
		if err != nil {
			return fmt.Errorf("timestamp assigner: %w", err)
		}
		r.Timestamp = ts
	}
	if err := o.out.Emit(r); err != nil {
		return err
	}
	o.gen.OnEvent(r.Timestamp)
	return nil
}

// Tick runs the periodic probe when an interval has passed.
func (o *Operator) Tick() error {
	if o.interval <= 0 {
		return nil
	}
	now := o.clock.Now().UnixMilli()
	if now < o.next {
		return nil
	}
	o.next = now + o.interval
	return o.flush(o.gen.OnPeriodicEmit(now, o.events[:0]))
}

// ProcessWatermark ignores upstream watermarks except the final one, which
// it forwards (so that end of input reaches every downstream timer).
func (o *Operator) ProcessWatermark(wm int64) error {
	if wm != Max {
		return nil
	}
	return o.flush(o.gen.Emit(Max, o.events[:0]))
}

// EndInput runs a last periodic probe, as Flink does when the operator finishes.
func (o *Operator) EndInput() error {
	if o.interval <= 0 {
		return nil
	}
	return o.flush(o.gen.OnPeriodicEmit(o.clock.Now().UnixMilli(), o.events[:0]))
}

// Close does nothing.
func (o *Operator) Close() error { return nil }

func (o *Operator) flush(evs []Event) error {
	o.events = evs
	for _, e := range evs {
		var err error
		switch e.Kind {
		case EmitWatermark:
			err = o.out.EmitWatermark(e.Watermark)
		case MarkIdle, MarkActive:
			if s, ok := o.out.(StatusOutput); ok {
				err = s.EmitWatermarkStatus(e.Kind == MarkIdle)
			}
		}
		if err != nil {
			return err
		}
	}
	return nil
}
