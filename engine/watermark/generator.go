package watermark

import (
	"math"

	"github.com/pyflink-go/pyflink-go/engine/watermark/valve"
)

// Max is the final watermark: end of input, every pending timer fires.
const Max int64 = math.MaxInt64

// EventKind tells what a generator or valve decided.
type EventKind = valve.EventKind

// The decisions a Generator or a Valve hands back.
const (
	EmitWatermark = valve.EmitWatermark
	MarkIdle      = valve.MarkIdle
	MarkActive    = valve.MarkActive
)

// Event is one decision: a watermark to emit or a status change.
type Event = valve.Event

// FormatTimestamp prints a timestamp, naming the extremes MIN and MAX.
func FormatTimestamp(ts int64) string { return valve.FormatTimestamp(ts) }

// Generator turns the timestamps of one stream into watermarks. It combines
// Flink's BoundedOutOfOrdernessWatermarks, WatermarksWithIdleness and the
// WatermarkEmitter of TimestampsAndWatermarksOperator: OnEvent records a
// timestamp, OnPeriodicEmit (every auto-watermark interval) decides what to
// send. A Generator is not safe for concurrent use.
type Generator struct {
	kind         Kind
	delay        int64
	maxTimestamp int64

	// Idleness detection (IdlenessTimer): activity is a counter compared at
	// every periodic probe; the countdown starts at the first probe that saw
	// no activity.
	idleTimeout   int64
	activity      uint64
	lastActivity  uint64
	countdown     bool
	inactiveSince int64
	idleNow       bool

	// Emitter: the last emitted watermark and status.
	current int64
	idle    bool
}

// OnEvent records a record's timestamp.
func (g *Generator) OnEvent(ts int64) {
	if ts > g.maxTimestamp {
		g.maxTimestamp = ts
	}
	g.activity++
	g.idleNow = false
}

// OnPeriodicEmit is the periodic probe at processing time now (ms). It appends
// its decisions to dst: nothing, a watermark (preceded by MarkActive when the
// stream was idle), or MarkIdle.
func (g *Generator) OnPeriodicEmit(now int64, dst []Event) []Event {
	if g.idleTimeout > 0 && g.checkIdle(now) {
		if !g.idleNow {
			g.idleNow = true
			dst = g.markIdle(dst)
		}
		return dst
	}
	if g.kind == None {
		return dst
	}
	return g.Emit(g.maxTimestamp-g.delay-1, dst)
}

// checkIdle is IdlenessTimer.checkIfIdle.
func (g *Generator) checkIdle(now int64) bool {
	if g.activity != g.lastActivity {
		g.lastActivity = g.activity
		g.countdown = false
		return false
	}
	if !g.countdown {
		g.countdown = true
		g.inactiveSince = now
		return false
	}
	return now-g.inactiveSince > g.idleTimeout
}

// Emit proposes watermark wm (also used for the final watermark Max). Only a
// watermark above the last one is emitted; an idle stream turns active first.
func (g *Generator) Emit(wm int64, dst []Event) []Event {
	if wm <= g.current {
		return dst
	}
	g.current = wm
	if g.idle {
		g.idle = false
		dst = append(dst, Event{Kind: MarkActive})
	}
	return append(dst, Event{Kind: EmitWatermark, Watermark: wm})
}

func (g *Generator) markIdle(dst []Event) []Event {
	if g.idle {
		return dst
	}
	g.idle = true
	return append(dst, Event{Kind: MarkIdle})
}

// Current is the last emitted watermark (math.MinInt64 before the first).
func (g *Generator) Current() int64 { return g.current }

// Idle reports whether the stream is currently marked idle.
func (g *Generator) Idle() bool { return g.idle }
