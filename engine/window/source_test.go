package window

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/pyflink-go/pyflink-go/engine/state/statetest"
	"github.com/pyflink-go/pyflink-go/engine/types"
)

// sourcedFn is a Function that brings its own trigger (TriggerSource) and
// logs its window clean-ups (WindowCleaner); log is shared with the trigger.
type sourcedFn struct {
	Function
	trigger Trigger
	log     *[]string
}

func (f *sourcedFn) Trigger() Trigger { return f.trigger }

func (f *sourcedFn) ClearWindow(key any, w Window) error {
	*f.log = append(*f.log, fmt.Sprintf("cleanup %v %s", key, describe(w)))
	return nil
}

// loggingTrigger runs nested and logs the calls a trigger that keeps its
// state outside the operator relies on: keys, merges and clears.
type loggingTrigger struct {
	Trigger
	log      *[]string
	canMerge bool
}

func (l loggingTrigger) OnElement(v any, ts int64, w Window, ctx TriggerContext) (Result, error) {
	*l.log = append(*l.log, fmt.Sprintf("element %v key=%v %s", v, ctx.CurrentKey(), describe(w)))
	return l.Trigger.OnElement(v, ts, w, ctx)
}

func (l loggingTrigger) CanMerge() bool { return l.canMerge }

func (l loggingTrigger) OnMerge(w Window, ctx MergeContext) error {
	var merged []string
	for _, m := range ctx.MergedWindows() {
		merged = append(merged, describe(m))
	}
	*l.log = append(*l.log, fmt.Sprintf("merge key=%v %s from [%s]", ctx.CurrentKey(), describe(w), strings.Join(merged, " ")))
	return l.Trigger.OnMerge(w, ctx)
}

func (l loggingTrigger) Clear(w Window, ctx TriggerContext) error {
	*l.log = append(*l.log, fmt.Sprintf("clear key=%v %s", ctx.CurrentKey(), describe(w)))
	return l.Trigger.Clear(w, ctx)
}

// TestFunctionTriggerAndCleanup checks that a Function's own trigger
// replaces the configured one, sees the pane's key and merged windows, and
// that a WindowCleaner hears of each window cleaned up, after its trigger
// is cleared (WindowOperator.clearAllState's order) — never for count
// windows, which are never cleaned up.
func TestFunctionTriggerAndCleanup(t *testing.T) {
	type step struct {
		key string
		ts  int64
		wm  int64 // a watermark instead of an element when key == ""
	}
	tumbling, _ := TumblingEventTime(10, 0)
	session, _ := EventTimeSession(5)
	count, _ := CountTumbling(2)
	cases := []struct {
		name     string
		assigner Assigner
		lateness int64
		nested   Trigger
		steps    []step
		want     []string
	}{
		{"tumbling with lateness", tumbling, 5, EventTimeTrigger(),
			[]step{{key: "a", ts: 1}, {key: "b", ts: 13}, {wm: 9}, {key: "a", ts: 4}, {wm: 14}, {wm: 24}},
			[]string{
				"element a key=a 0,10", "element b key=b 10,20",
				"emit (a,0,10,[a])",
				// late but within the lateness: fires again at once
				"element a key=a 0,10", "emit (a,0,10,[a a])",
				"clear key=a 0,10", "cleanup a 0,10",
				"emit (b,10,20,[b])", "clear key=b 10,20", "cleanup b 10,20",
			}},
		{"sessions merge", session, 0, EventTimeTrigger(),
			[]step{{key: "a", ts: 1}, {key: "a", ts: 4}, {wm: 20}},
			[]string{
				"element a key=a 1,6",
				"merge key=a 1,9 from [1,6]", "clear key=a 1,6",
				"element a key=a 1,9",
				"emit (a,1,9,[a a])", "clear key=a 1,9", "cleanup a 1,9",
			}},
		{"count windows are never cleaned up", count, 0, PurgingTrigger(CountTrigger(2)),
			[]step{{key: "a", ts: 1}, {key: "a", ts: 2}, {key: "a", ts: 3}, {wm: math.MaxInt64}},
			[]string{
				"element a key=a CountWindow(id=0)", "element a key=a CountWindow(id=0)",
				"emit (a,CountWindow(id=0),[a a])",
				"element a key=a CountWindow(id=1)",
			}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var log []string
			list := Process[string](nil, func(key any, w Window, els []string, _ Emitter) error {
				log = append(log, fmt.Sprintf("emit (%v,%s,[%s])", key, describe(w), strings.Join(els, " ")))
				return nil
			})
			fn := func() Function {
				return &sourcedFn{Function: list(), log: &log,
					trigger: loggingTrigger{Trigger: c.nested, log: &log, canMerge: true}}
			}
			spec := Spec{Assigner: c.assigner, Function: fn, AllowedLateness: c.lateness,
				Trigger: NeverTrigger()} // replaced by the function's
			h, err := newHarness(t, spec, "hashmap", statetest.NewManualClock(0))
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range c.steps {
				if s.key == "" {
					err = h.op.ProcessWatermark(s.wm)
				} else {
					err = h.op.Process(types.Record{Key: s.key, Value: s.key, Timestamp: s.ts})
				}
				if err != nil {
					t.Fatal(err)
				}
			}
			got := log
			if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(c.want, "\n"))
			}
		})
	}
}

// TestFunctionTriggerMustMergeForSessions checks a function's trigger gets
// the same merging check as a configured one.
func TestFunctionTriggerMustMergeForSessions(t *testing.T) {
	session, _ := EventTimeSession(5)
	var log []string
	fn := func() Function {
		return &sourcedFn{Function: testFunction("list")(), log: &log,
			trigger: loggingTrigger{Trigger: EventTimeTrigger(), log: &log, canMerge: false}}
	}
	_, err := newHarness(t, Spec{Assigner: session, Function: fn}, "hashmap", statetest.NewManualClock(0))
	if err == nil || !strings.Contains(err.Error(), "cannot be used with a trigger that does not support merging") {
		t.Fatalf("got %v, want the merging check", err)
	}
}
