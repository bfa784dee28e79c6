package watermark

import (
	"fmt"
	"math"
)

// Kind selects the watermark generator of a Strategy.
type Kind uint8

// The generator kinds PyFlink's WatermarkStrategy offers.
const (
	// BoundedOutOfOrderness emits maxTimestamp - maxOutOfOrderness - 1.
	BoundedOutOfOrderness Kind = iota
	// Monotonous is BoundedOutOfOrderness with no out-of-orderness.
	Monotonous
	// None emits no watermarks (only the final one at end of input).
	None
)

// String names the kind as the plan format spells it.
func (k Kind) String() string {
	switch k {
	case Monotonous:
		return "monotonous"
	case None:
		return "none"
	default:
		return "bounded"
	}
}

// Strategy describes how a stream's watermarks are generated. The zero value
// is a monotonous strategy without idleness.
type Strategy struct {
	Kind Kind
	// MaxOutOfOrderness is the bound in milliseconds (BoundedOutOfOrderness).
	MaxOutOfOrderness int64
	// IdleTimeout in milliseconds marks the stream idle when no record arrived
	// for that long; 0 disables idleness detection.
	IdleTimeout int64
}

// ForMonotonousTimestamps is WatermarkStrategy.for_monotonous_timestamps().
func ForMonotonousTimestamps() Strategy { return Strategy{Kind: Monotonous} }

// ForBoundedOutOfOrderness is WatermarkStrategy.for_bounded_out_of_orderness.
func ForBoundedOutOfOrderness(maxOutOfOrdernessMillis int64) Strategy {
	return Strategy{Kind: BoundedOutOfOrderness, MaxOutOfOrderness: maxOutOfOrdernessMillis}
}

// NoWatermarks is WatermarkStrategy.no_watermarks().
func NoWatermarks() Strategy { return Strategy{Kind: None} }

// WithIdleness returns s with idleness detection after timeoutMillis.
func (s Strategy) WithIdleness(timeoutMillis int64) Strategy {
	s.IdleTimeout = timeoutMillis
	return s
}

// Validate reports a strategy PyFlink would refuse.
func (s Strategy) Validate() error {
	if s.Kind == BoundedOutOfOrderness && s.MaxOutOfOrderness < 0 {
		return fmt.Errorf("watermark strategy: maxOutOfOrderness cannot be negative (%d ms)", s.MaxOutOfOrderness)
	}
	if s.IdleTimeout < 0 {
		return fmt.Errorf("watermark strategy: idleTimeout must be greater than zero (%d ms)", s.IdleTimeout)
	}
	if s.Kind > None {
		return fmt.Errorf("watermark strategy: unknown kind %d", s.Kind)
	}
	return nil
}

// delay is the out-of-orderness the generator subtracts.
func (s Strategy) delay() int64 {
	if s.Kind == BoundedOutOfOrderness {
		return s.MaxOutOfOrderness
	}
	return 0
}

// NewGenerator returns a fresh generator for one stream (one source split or
// one subtask of an assign_timestamps_and_watermarks step).
func (s Strategy) NewGenerator() *Generator {
	g := &Generator{kind: s.Kind, delay: s.delay(), idleTimeout: s.IdleTimeout, current: math.MinInt64}
	// Start so that the first periodic watermark is math.MinInt64: nothing seen yet.
	g.maxTimestamp = math.MinInt64 + g.delay + 1
	return g
}
