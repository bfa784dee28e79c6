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
	n      int
	counts map[string]int
	runs   *[]int // the length of each run decided
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

	run := func(batched bool) (string, []int) {
		var log []string
		var runs []int
		trig := everyN{n: 2, counts: map[string]int{}, runs: &runs}
		var tr Trigger = trig
		if !batched {
			tr = oneByOne{trig}
		}
		fn := Process[string](nil, func(key any, w Window, els []string, _ Emitter) error {
			log = append(log, fmt.Sprintf("(%v,%s,%d)", key, describe(w), len(els)))
			return nil
		})
		a, _ := TumblingEventTime(10, 0)
		h, err := newHarness(t, Spec{Assigner: a, Function: fn, Trigger: tr}, "hashmap", statetest.NewManualClock(0))
		if err != nil {
			t.Fatal(err)
		}
		if batched != (h.op.batcher != nil) {
			t.Fatalf("batcher set: %v, want %v", h.op.batcher != nil, batched)
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
		return strings.Join(log, "\n"), runs
	}
	want, none := run(false)
	got, runs := run(true)
	if len(none) != 0 {
		t.Fatalf("one-by-one trigger decided runs %v", none)
	}
	if got != want {
		t.Fatalf("batched\n%s\none by one\n%s", got, want)
	}
	wantRuns := []int{10, 1, 1, MaxDeferred, 4} // watermark, tick, flush, full, end
	if fmt.Sprint(runs) != fmt.Sprint(wantRuns) {
		t.Fatalf("runs %v, want %v", runs, wantRuns)
	}
	if !strings.Contains(want, "(a,0,10,2)") || !strings.Contains(want, "(c,20,30,1002)") {
		t.Fatalf("the scenario does not fire as intended:\n%s", want)
	}
}

// TestElementBatcherIsNotUsedForSessions checks merging windows keep deciding
// element by element.
func TestElementBatcherIsNotUsedForSessions(t *testing.T) {
	var runs []int
	session, _ := EventTimeSession(5)
	spec := Spec{Assigner: session, Function: testFunction("count"),
		Trigger: mergingEveryN{everyN{n: 1, counts: map[string]int{}, runs: &runs}}}
	h, err := newHarness(t, spec, "hashmap", statetest.NewManualClock(0))
	if err != nil {
		t.Fatal(err)
	}
	if h.op.batcher != nil {
		t.Fatal("a merging window operator defers elements")
	}
	for _, ts := range []int64{1, 3} {
		if err := h.op.Process(types.Record{Key: "a", Value: "a", Timestamp: ts}); err != nil {
			t.Fatal(err)
		}
	}
	if got := h.out.take(); got != "emit (a,1,6,1) @5\nemit (a,1,8,2) @7\n" || len(runs) != 0 {
		t.Fatalf("got %q, runs %v", got, runs)
	}
}

type mergingEveryN struct{ everyN }

func (mergingEveryN) CanMerge() bool { return true }
