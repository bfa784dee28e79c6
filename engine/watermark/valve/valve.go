// Package valve holds the decisions of event-time progress (Event: a
// watermark to emit, or an idle/active status change) and the Valve that
// combines the watermarks and idle statuses of a task's input channels. It is
// pure and imports nothing of the engine, so both the runtime (which feeds
// every task's input through a Valve) and package watermark (whose generators
// decide Events) use it.
package valve

import (
	"fmt"
	"math"
)

// EventKind tells what a generator or valve decided.
type EventKind uint8

// The decisions a Generator or a Valve hands back.
const (
	// EmitWatermark: forward Event.Watermark downstream.
	EmitWatermark EventKind = iota
	// MarkIdle: the stream went idle; downstream stops waiting for it.
	MarkIdle
	// MarkActive: the stream is active again.
	MarkActive
)

// Event is one decision: a watermark to emit or a status change.
type Event struct {
	Kind      EventKind
	Watermark int64
}

// String renders the event for transcripts: "watermark 42", "idle", "active".
func (e Event) String() string {
	switch e.Kind {
	case MarkIdle:
		return "idle"
	case MarkActive:
		return "active"
	default:
		return fmt.Sprintf("watermark %s", FormatTimestamp(e.Watermark))
	}
}

// FormatTimestamp prints a timestamp, naming the extremes MIN and MAX.
func FormatTimestamp(ts int64) string {
	switch ts {
	case math.MinInt64:
		return "MIN"
	case math.MaxInt64:
		return "MAX"
	}
	return fmt.Sprint(ts)
}

// Valve combines the watermarks and idle statuses of a task's input channels
// into the task's input watermark, as Flink's StatusWatermarkValve: the
// minimum over the active channels whose watermark has caught up with the
// output ("aligned"), never going backwards. A channel that turns idle stops
// holding the minimum back; when every channel is idle the valve flushes the
// largest channel watermark and reports itself idle. A Valve is not safe for
// concurrent use.
type Valve struct {
	channels []channelStatus
	last     int64
	idle     bool
}

type channelStatus struct {
	watermark int64
	idle      bool
	aligned   bool
}

// NewValve returns a valve over n input channels, all active, with no
// watermark yet.
func NewValve(n int) *Valve {
	if n <= 0 {
		panic(fmt.Sprintf("watermark: valve needs at least one channel, got %d", n))
	}
	v := &Valve{channels: make([]channelStatus, n), last: math.MinInt64}
	for i := range v.channels {
		v.channels[i] = channelStatus{watermark: math.MinInt64, aligned: true}
	}
	return v
}

// Watermark is the last watermark the valve emitted.
func (v *Valve) Watermark() int64 { return v.last }

// Idle reports whether every input channel is idle.
func (v *Valve) Idle() bool { return v.idle }

// Channels is the number of input channels.
func (v *Valve) Channels() int { return len(v.channels) }

// InputWatermark feeds watermark wm of channel ch and appends the valve's
// decision (at most one EmitWatermark) to dst. Watermarks of idle channels,
// of an idle valve, and watermarks that do not advance their channel are
// ignored.
func (v *Valve) InputWatermark(ch int, wm int64, dst []Event) []Event {
	c := &v.channels[ch]
	if v.idle || c.idle || wm <= c.watermark {
		return dst
	}
	c.watermark = wm
	if !c.aligned && wm >= v.last {
		c.aligned = true
	}
	return v.emitMinAligned(dst)
}

// InputStatus feeds an idle (true) or active (false) status of channel ch and
// appends the decisions: a watermark the change releases, and the valve's own
// status change when all channels went idle or one came back.
func (v *Valve) InputStatus(ch int, idle bool, dst []Event) []Event {
	c := &v.channels[ch]
	switch {
	case idle && !c.idle:
		c.idle = true
		c.aligned = false
		if !v.anyActive() {
			if c.watermark == v.last {
				dst = v.emitMaxAll(dst)
			}
			v.idle = true
			return append(dst, Event{Kind: MarkIdle})
		}
		if c.watermark == v.last {
			dst = v.emitMinAligned(dst)
		}
	case !idle && c.idle:
		c.idle = false
		if c.watermark >= v.last {
			c.aligned = true
		}
		if v.idle {
			v.idle = false
			dst = append(dst, Event{Kind: MarkActive})
		}
	}
	return dst
}

func (v *Valve) anyActive() bool {
	for i := range v.channels {
		if !v.channels[i].idle {
			return true
		}
	}
	return false
}

func (v *Valve) emitMinAligned(dst []Event) []Event {
	min, any := int64(math.MaxInt64), false
	for i := range v.channels {
		if c := &v.channels[i]; c.aligned {
			any = true
			if c.watermark < min {
				min = c.watermark
			}
		}
	}
	if any && min > v.last {
		v.last = min
		dst = append(dst, Event{Kind: EmitWatermark, Watermark: min})
	}
	return dst
}

func (v *Valve) emitMaxAll(dst []Event) []Event {
	max := int64(math.MinInt64)
	for i := range v.channels {
		if w := v.channels[i].watermark; w > max {
			max = w
		}
	}
	if max > v.last {
		v.last = max
		dst = append(dst, Event{Kind: EmitWatermark, Watermark: max})
	}
	return dst
}
