package window

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/pyflink-go/pyflink-go/engine/state/statetest"
	"github.com/pyflink-go/pyflink-go/engine/types"
)

// everyN fires a pane at every nth element and at the window's end (event
// time), keeping its counts outside the operator as a Python trigger does.
// It decides elements one by one (OnElement) and in runs (OnElements).
type everyN struct {
	n         int
	counts    map[string]int
	runs      *[]int // the length of each run of elements decided
	timerRuns *[]int // the length of each run of timers decided
}

func (e everyN) pane(key any, w Window) string { return fmt.Sprint(key, "/", w) }

func (e everyN) decide(key any, w Window) Decision {
	p := e.pane(key, w)
	e.counts[p]++
	d := Decision{Timers: []TimerOp{{Time: w.MaxTimestamp()}}}
	if e.counts[p] >= e.n {
		e.counts[p] = 0
		d.Result = Fire
	}
	return d
}

func (e everyN) OnElement(_ any, _ int64, w Window, ctx TriggerContext) (Result, error) {
	d := e.decide(ctx.CurrentKey(), w)
	return d.Result, ctx.RegisterEventTimeTimer(d.Timers[0].Time)
}

func (e everyN) OnElements(calls []ElementCall, _ TriggerContext) ([]Decision, error) {
	*e.runs = append(*e.runs, len(calls))
	out := make([]Decision, len(calls))
	for i, c := range calls {
		out[i] = e.decide(c.Key, c.Window)
	}
	return out, nil
}

func (e everyN) OnTimers(calls []TimerCall, _ TriggerContext) ([]Decision, error) {
	*e.timerRuns = append(*e.timerRuns, len(calls))
	out := make([]Decision, len(calls))
	for i, c := range calls {
		if !c.Processing && c.Time == c.Window.MaxTimestamp() {
			out[i].Result = FireAndPurge
		}
		if c.Cleanup {
			delete(e.counts, e.pane(c.Key, c.Window))
			out[i].Timers = append(out[i].Timers, TimerOp{Time: c.Window.MaxTimestamp(), Delete: true})
		}
	}
	return out, nil
}

func (e everyN) OnEventTime(t int64, w Window, _ TriggerContext) (Result, error) {
	if t == w.MaxTimestamp() {
		return FireAndPurge, nil
	}
	return Continue, nil
}
func (e everyN) OnProcessingTime(int64, Window, TriggerContext) (Result, error) { return Continue, nil }
func (e everyN) CanMerge() bool                                                 { return false }
func (e everyN) OnMerge(Window, MergeContext) error                             { return nil }
func (e everyN) Clear(w Window, ctx TriggerContext) error {
	delete(e.counts, e.pane(ctx.CurrentKey(), w))
	return ctx.DeleteEventTimeTimer(w.MaxTimestamp())
}
func (e everyN) String() string { return "everyN" }

// oneByOne hides OnElements: the same trigger deciding each element alone.
type oneByOne struct{ Trigger }

// TestElementBatcherMatchesOneByOne runs one input through a trigger that
// decides runs of elements and through the same trigger deciding them one
// by one: the outputs must be the same, and the runs must end where the
// operator must act (watermarks, ticks, a flush, the end, MaxDeferred).
func TestElementBatcherMatchesOneByOne(t *testing.T) {
	for _, backend := range []string{"hashmap", "pebble"} {
		t.Run(backend, func(t *testing.T) { testElementBatcherMatchesOneByOne(t, backend) })
	}
}

func testElementBatcherMatchesOneByOne(t *testing.T, backend string) {
	type step struct {
		op  string // element, watermark, tick, flush, end
		key string
		ts  int64
	}
	var steps []step
	for i := 0; i < 5; i++ {
		steps = append(steps, step{op: "element", key: "a", ts: int64(i)}, step{op: "element", key: "b", ts: int64(i * 3)})
	}
	steps = append(steps, step{op: "watermark", ts: 9}, step{op: "element", key: "a", ts: 12},
		step{op: "element", key: "a", ts: 3} /* late: dropped */, step{op: "tick"},
		step{op: "element", key: "b", ts: 15}, step{op: "flush"}, step{op: "element", key: "b", ts: 16},
		step{op: "element", key: "b", ts: 17})
	for i := 0; i < MaxDeferred+1; i++ {
		steps = append(steps, step{op: "element", key: "c", ts: 25})
	}
	steps = append(steps, step{op: "element", key: "c", ts: 26}, step{op: "end"})

	run := func(batched bool) (string, []int, []int) {
		var log []string
		var runs, timerRuns []int
		trig := everyN{n: 2, counts: map[string]int{}, runs: &runs, timerRuns: &timerRuns}
		var tr Trigger = trig
		if !batched {
			tr = oneByOne{trig}
		}
		fn := Process[string](nil, func(key any, w Window, els []string, _ Emitter) error {
			log = append(log, fmt.Sprintf("(%v,%s,%d)", key, describe(w), len(els)))
			return nil
		})
		a, _ := TumblingEventTime(10, 0)
		h, err := newHarness(t, Spec{Assigner: a, Function: fn, Trigger: tr}, backend, statetest.NewManualClock(0))
		if err != nil {
			t.Fatal(err)
		}
		if batched != (h.op.batcher != nil) || batched != (h.op.timerBatcher != nil) {
			t.Fatalf("batchers set: %v %v, want %v", h.op.batcher != nil, h.op.timerBatcher != nil, batched)
		}
		for _, s := range steps {
			switch s.op {
			case "element":
				err = h.op.Process(types.Record{Key: s.key, Value: s.key, Timestamp: s.ts})
			case "watermark":
				err = h.op.ProcessWatermark(s.ts)
			case "tick":
				err = h.op.Tick()
			case "flush":
				err = h.op.fn.Flush(h.op.coll) // what PrepareSnapshot does
			case "end":
				if err = h.op.ProcessWatermark(math.MaxInt64); err == nil {
					err = h.op.EndInput()
				}
			}
			if err != nil {
				t.Fatal(err)
			}
			if out := h.out.take(); out != "(nothing)\n" {
				log = append(log, strings.TrimSuffix(out, "\n"))
			}
		}
		// Results are compared in order, not by the step that caused them:
		// a run's results come when it is settled.
		return strings.Join(log, "\n"), runs, timerRuns
	}
	want, none, noTimers := run(false)
	got, runs, timerRuns := run(true)
	if len(none) != 0 || len(noTimers) != 0 {
		t.Fatalf("one-by-one trigger decided runs %v %v", none, noTimers)
	}
	if got != want {
		t.Fatalf("batched\n%s\none by one\n%s", got, want)
	}
	wantRuns := []int{10, 1, 1, MaxDeferred, 4} // watermark, tick, flush, full, end
	if fmt.Sprint(runs) != fmt.Sprint(wantRuns) {
		t.Fatalf("runs %v, want %v", runs, wantRuns)
	}
	// watermark 9: both keys' [0,10); the end: a's and b's [10,20), then c's [20,30)
	if fmt.Sprint(timerRuns) != fmt.Sprint([]int{2, 2, 1}) {
		t.Fatalf("timer runs %v, want [2 2 1]", timerRuns)
	}
	if !strings.Contains(want, "(a,0,10,2)") || !strings.Contains(want, "(c,20,30,1002)") {
		t.Fatalf("the scenario does not fire as intended:\n%s", want)
	}
}

// mergingEveryN fires a session at every nth element it holds (counts of
// merged sessions add up) and at its end, keeping counts outside the operator.
type mergingEveryN struct {
	n      int
	counts map[string]int
	runs   *[]string // each run decided, as call kinds
}

func (m mergingEveryN) pane(key any, w Window) string { return fmt.Sprint(key, "/", w) }

func (m mergingEveryN) element(key any, w Window) Decision {
	p := m.pane(key, w)
	m.counts[p]++
	d := Decision{Timers: []TimerOp{{Time: w.MaxTimestamp()}}}
	if m.counts[p] >= m.n {
		m.counts[p] = 0
		d.Result = Fire
	}
	return d
}

func (m mergingEveryN) merge(key any, w Window, merged []Window) Decision {
	for _, x := range merged {
		m.counts[m.pane(key, w)] += m.counts[m.pane(key, x)]
		delete(m.counts, m.pane(key, x))
	}
	return Decision{Timers: []TimerOp{{Time: w.MaxTimestamp()}}}
}

func (m mergingEveryN) clear(key any, w Window) Decision {
	delete(m.counts, m.pane(key, w))
	return Decision{Timers: []TimerOp{{Time: w.MaxTimestamp(), Delete: true}}}
}

func apply(ctx TriggerContext, d Decision) (Result, error) {
	for _, t := range d.Timers {
		var err error
		if t.Delete {
			err = ctx.DeleteEventTimeTimer(t.Time)
		} else {
			err = ctx.RegisterEventTimeTimer(t.Time)
		}
		if err != nil {
			return Continue, err
		}
	}
	return d.Result, nil
}

func (m mergingEveryN) OnElement(_ any, _ int64, w Window, ctx TriggerContext) (Result, error) {
	return apply(ctx, m.element(ctx.CurrentKey(), w))
}

func (m mergingEveryN) OnMerge(w Window, ctx MergeContext) error {
	_, err := apply(ctx, m.merge(ctx.CurrentKey(), w, ctx.MergedWindows()))
	return err
}

func (m mergingEveryN) Clear(w Window, ctx TriggerContext) error {
	_, err := apply(ctx, m.clear(ctx.CurrentKey(), w))
	return err
}

func (m mergingEveryN) OnElements(calls []ElementCall, _ TriggerContext) ([]Decision, error) {
	out := make([]Decision, len(calls))
	kinds := ""
	for i, c := range calls {
		switch c.Kind {
		case CallElement:
			out[i] = m.element(c.Key, c.Window)
			kinds += "e"
		case CallMerge:
			out[i] = m.merge(c.Key, c.Window, c.Merged)
			kinds += "m"
		case CallClear:
			out[i] = m.clear(c.Key, c.Window)
			kinds += "c"
		}
	}
	*m.runs = append(*m.runs, kinds)
	return out, nil
}

func (m mergingEveryN) OnTimers(calls []TimerCall, _ TriggerContext) ([]Decision, error) {
	out := make([]Decision, len(calls))
	for i, c := range calls {
		if !c.Processing && c.Time == c.Window.MaxTimestamp() {
			out[i].Result = Fire
		}
		if c.Cleanup {
			out[i].Timers = m.clear(c.Key, c.Window).Timers
		}
	}
	*m.runs = append(*m.runs, fmt.Sprintf("t%d", len(calls)))
	return out, nil
}

func (m mergingEveryN) OnEventTime(t int64, w Window, _ TriggerContext) (Result, error) {
	if t == w.MaxTimestamp() {
		return Fire, nil
	}
	return Continue, nil
}
func (mergingEveryN) OnProcessingTime(int64, Window, TriggerContext) (Result, error) {
	return Continue, nil
}
func (mergingEveryN) CanMerge() bool { return true }
func (mergingEveryN) String() string { return "mergingEveryN" }

// TestElementBatcherOnSessions checks runs on merging windows — elements,
// merges (one bridging two sessions, whose contents then move) and the
// clears of merged-away windows — and runs of timers give what deciding
// each call alone gives.
func TestElementBatcherOnSessions(t *testing.T) {
	for _, backend := range []string{"hashmap", "pebble"} {
		t.Run(backend, func(t *testing.T) {
			run := func(batched bool) (string, []string) {
				var runs []string
				var tr Trigger = mergingEveryN{n: 3, counts: map[string]int{}, runs: &runs}
				if !batched {
					tr = oneByOne{tr}
				}
				session, _ := EventTimeSession(5)
				h, err := newHarness(t, Spec{Assigner: session, Function: testFunction("list"), Trigger: tr}, backend, statetest.NewManualClock(0))
				if err != nil {
					t.Fatal(err)
				}
				if batched != (h.op.timerBatcher != nil) || batched != (h.op.batcher != nil) {
					t.Fatalf("batchers: %v %v", h.op.batcher != nil, h.op.timerBatcher != nil)
				}
				var log []string
				step := func(err error) {
					if err != nil {
						t.Fatal(err)
					}
					if out := h.out.take(); out != "(nothing)\n" {
						log = append(log, strings.TrimSuffix(out, "\n"))
					}
				}
				for _, e := range []struct {
					key string
					ts  int64
				}{{"a", 1}, {"a", 10}, {"b", 2}, {"a", 5}, {"b", 3}, {"a", 12}} {
					step(h.op.Process(types.Record{Key: e.key, Value: fmt.Sprint(e.key, e.ts), Timestamp: e.ts}))
				}
				step(h.op.ProcessWatermark(9))
				step(h.op.Process(types.Record{Key: "b", Value: "b30", Timestamp: 30}))
				step(h.op.Process(types.Record{Key: "a", Value: "a-10", Timestamp: -10})) // late: dropped
				step(h.op.ProcessWatermark(math.MaxInt64))
				step(h.op.EndInput())
				return strings.Join(log, "\n"), runs
			}
			want, _ := run(false)
			got, runs := run(true)
			t.Logf("results:\n%s", want)
			if got != want {
				t.Fatalf("batched\n%s\none by one\n%s", got, want)
			}
			// a@5 bridges [1,6) and [10,15): a merge, then the clears of both
			// merged windows, then the element; b@3 and a@12 merge one window
			// each; b's session ends at 7, a's at 16, b's second at 34
			if fmt.Sprint(runs) != "[eeemccemcemce t1 e t1 t1]" {
				t.Fatalf("runs %v", runs)
			}
			if !strings.Contains(want, "(a,1,15,[a1 a10 a5])") || !strings.Contains(want, "(b,2,8,[b2 b3])") {
				t.Fatalf("the sessions do not merge as intended:\n%s", want)
			}
		})
	}
}

// relay fires at each of its timers; the timer at 3 deletes the one at 4
// and sets ones at 5 and 6, all due under the same watermark.
type relay struct{ runs *[][]int64 }

func (relay) decide(t int64, w Window) Decision {
	d := Decision{Result: Fire}
	if t == 3 {
		d.Timers = []TimerOp{{Time: 4, Delete: true}, {Time: 5}, {Time: 6}}
	}
	if t == w.MaxTimestamp() {
		d.Result = FireAndPurge
	}
	return d
}

func (r relay) OnElement(_ any, ts int64, _ Window, ctx TriggerContext) (Result, error) {
	return Continue, ctx.RegisterEventTimeTimer(ts)
}

func (r relay) OnEventTime(t int64, w Window, ctx TriggerContext) (Result, error) {
	return apply(ctx, r.decide(t, w))
}

func (r relay) OnTimers(calls []TimerCall, _ TriggerContext) ([]Decision, error) {
	var times []int64
	out := make([]Decision, len(calls))
	for i, c := range calls {
		times = append(times, c.Time)
		out[i] = r.decide(c.Time, c.Window)
	}
	*r.runs = append(*r.runs, times)
	return out, nil
}

func (relay) OnProcessingTime(int64, Window, TriggerContext) (Result, error) { return Continue, nil }
func (relay) CanMerge() bool                                                 { return false }
func (relay) OnMerge(Window, MergeContext) error                             { return nil }
func (relay) Clear(Window, TriggerContext) error                             { return nil }
func (relay) String() string                                                 { return "relay" }

// TestTimerRunsKeepTimestampOrder checks timers a run sets fire before later
// timers that were already due, and a timer a run deletes does not fire —
// what firing them one by one does.
func TestTimerRunsKeepTimestampOrder(t *testing.T) {
	for _, backend := range []string{"hashmap", "pebble"} {
		t.Run(backend, func(t *testing.T) { testTimerRunsKeepTimestampOrder(t, backend) })
	}
}

func testTimerRunsKeepTimestampOrder(t *testing.T, backend string) {
	run := func(batched bool) (string, [][]int64) {
		var runs [][]int64
		var tr Trigger = relay{runs: &runs}
		if !batched {
			tr = oneByOne{tr}
		}
		var log []string
		fn := Process[string](nil, func(key any, w Window, els []string, _ Emitter) error {
			log = append(log, fmt.Sprintf("%d", len(els)))
			return nil
		})
		a, _ := TumblingEventTime(10, 0)
		h, err := newHarness(t, Spec{Assigner: a, Function: fn, Trigger: tr}, backend, statetest.NewManualClock(0))
		if err != nil {
			t.Fatal(err)
		}
		for _, ts := range []int64{1, 3, 3, 4} {
			if err := h.op.Process(types.Record{Key: "a", Value: "a", Timestamp: ts}); err != nil {
				t.Fatal(err)
			}
		}
		// the cleanup timer at 9 is due too; the timers at 5 and 6 must fire before it
		if err := h.op.ProcessWatermark(20); err != nil {
			t.Fatal(err)
		}
		return strings.Join(log, " "), runs
	}
	want, _ := run(false)
	got, runs := run(true)
	if got != want || want != "4 4 4 4 4" {
		t.Fatalf("batched %q, one by one %q, want \"4 4 4 4 4\" (fires at 1, 3, 5, 6, 9)", got, want)
	}
	if fmt.Sprint(runs) != "[[1] [3] [5] [6] [9]]" {
		t.Fatalf("runs %v", runs)
	}
}

// procEnd fires a window when processing time reaches its end, setting its
// timer from each element, decided one by one or in runs.
type procEnd struct{ runs *[]int }

func (procEnd) OnElement(_ any, _ int64, w Window, ctx TriggerContext) (Result, error) {
	return Continue, ctx.RegisterProcessingTimeTimer(w.MaxTimestamp())
}

func (p procEnd) OnElements(calls []ElementCall, _ TriggerContext) ([]Decision, error) {
	out := make([]Decision, len(calls))
	for i, c := range calls {
		out[i].Timers = []TimerOp{{Time: c.Window.MaxTimestamp(), Processing: true}}
	}
	return out, nil
}

func (p procEnd) OnTimers(calls []TimerCall, _ TriggerContext) ([]Decision, error) {
	*p.runs = append(*p.runs, len(calls))
	out := make([]Decision, len(calls))
	for i, c := range calls {
		if c.Processing && c.Time == c.Window.MaxTimestamp() {
			out[i].Result = Fire
		}
		if c.Cleanup {
			out[i].Timers = []TimerOp{{Time: c.Window.MaxTimestamp(), Processing: true, Delete: true}}
		}
	}
	return out, nil
}

func (procEnd) OnEventTime(int64, Window, TriggerContext) (Result, error) { return Continue, nil }
func (procEnd) OnProcessingTime(t int64, w Window, _ TriggerContext) (Result, error) {
	if t == w.MaxTimestamp() {
		return Fire, nil
	}
	return Continue, nil
}
func (procEnd) CanMerge() bool                     { return false }
func (procEnd) OnMerge(Window, MergeContext) error { return nil }
func (procEnd) Clear(w Window, ctx TriggerContext) error {
	return ctx.DeleteProcessingTimeTimer(w.MaxTimestamp())
}
func (procEnd) String() string { return "procEnd" }

// TestProcessingTimeRuns checks processing-time windows fire from runs of
// timers on ticks as they do one by one, their contents dropped at cleanup.
func TestProcessingTimeRuns(t *testing.T) {
	run := func(batched bool) (string, []int) {
		var runs []int
		var tr Trigger = procEnd{runs: &runs}
		if !batched {
			tr = oneByOne{tr}
		}
		clock := statetest.NewManualClock(0)
		a, _ := TumblingProcessingTime(10, 0)
		h, err := newHarness(t, Spec{Assigner: a, Function: testFunction("list"), Trigger: tr}, "hashmap", clock)
		if err != nil {
			t.Fatal(err)
		}
		var log []string
		step := func(err error) {
			if err != nil {
				t.Fatal(err)
			}
			if out := h.out.take(); out != "(nothing)\n" {
				log = append(log, strings.TrimSuffix(out, "\n"))
			}
		}
		for _, now := range []int64{1, 4, 12, 25} {
			clock.Set(now)
			step(h.op.Process(types.Record{Key: "a", Value: fmt.Sprint("a", now), Timestamp: types.NoTimestamp}))
			step(h.op.Process(types.Record{Key: "b", Value: fmt.Sprint("b", now), Timestamp: types.NoTimestamp}))
			step(h.op.Tick())
		}
		clock.Set(40)
		step(h.op.Tick())
		return strings.Join(log, "\n"), runs
	}
	want, _ := run(false)
	got, runs := run(true)
	if got != want {
		t.Fatalf("batched\n%s\none by one\n%s", got, want)
	}
	if !strings.Contains(want, "(a,0,10,[a1 a4])") || !strings.Contains(want, "(b,20,30,[b25])") {
		t.Fatalf("unexpected results:\n%s", want)
	}
	// [0,10) of both keys at 9 (the tick at 12), [10,20) at 19 and [20,30) at 29 (the tick at 40)
	if fmt.Sprint(runs) != "[2 2 2]" {
		t.Fatalf("timer runs %v", runs)
	}
}
