package window

import (
	"fmt"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/cockroachdb/datadriven"

	"github.com/pyflink-go/pyflink-go/engine/keygroup"
	"github.com/pyflink-go/pyflink-go/engine/runtime"
	"github.com/pyflink-go/pyflink-go/engine/state"
	"github.com/pyflink-go/pyflink-go/engine/state/statetest"
	"github.com/pyflink-go/pyflink-go/engine/types"
)

// recorder is a runtime.Output that logs everything, side outputs by tag.
type recorder struct{ log []string }

func (r *recorder) Emit(rec types.Record) error {
	if rec.Tag != "" {
		r.log = append(r.log, fmt.Sprintf("side %s %v @%s", rec.Tag, rec.Value, ts(rec.Timestamp)))
		return nil
	}
	r.log = append(r.log, fmt.Sprintf("emit %v @%s", rec.Value, ts(rec.Timestamp)))
	return nil
}
func (r *recorder) EmitWatermark(wm int64) error {
	r.log = append(r.log, "watermark "+ts(wm))
	return nil
}
func (r *recorder) take() string {
	if len(r.log) == 0 {
		return "(nothing)\n"
	}
	s := strings.Join(r.log, "\n") + "\n"
	r.log = r.log[:0]
	return s
}

func ts(t int64) string {
	switch t {
	case math.MaxInt64:
		return "MAX"
	case math.MinInt64:
		return "MIN"
	}
	return strconv.FormatInt(t, 10)
}

// describe renders a window for results: start,end for time windows.
func describe(w Window) string {
	if w.Kind == TimeKind {
		return fmt.Sprintf("%d,%d", w.Start, w.End)
	}
	return w.String()
}

// functions the transcripts can pick. Elements are strings.
func testFunction(name string) func() Function {
	switch name {
	case "count": // ProcessWindowFunction emitting (key, start, end, count)
		return Process[string](nil, func(key any, w Window, els []string, emit Emitter) error {
			return emit(fmt.Sprintf("(%v,%s,%d)", key, describe(w), len(els)))
		})
	case "list":
		return Process[string](nil, func(key any, w Window, els []string, emit Emitter) error {
			return emit(fmt.Sprintf("(%v,%s,[%s])", key, describe(w), strings.Join(els, " ")))
		})
	case "concat": // incremental reduce
		return Reduce(func(a, b string) string { return a + "+" + b }, nil,
			func(key any, w Window, r string, emit Emitter) error {
				return emit(fmt.Sprintf("(%v,%s,%s)", key, describe(w), r))
			})
	case "fields": // native field reduce over tuples made of the string elements
		return fieldsOverStrings
	case "agg-count": // incremental aggregate, result emitted as is
		return Aggregate(AggregateFunc[string, int64, int64]{
			Create: func() int64 { return 0 },
			Add:    func(a int64, _ string) int64 { return a + 1 },
			Merge:  func(a, b int64) int64 { return a + b },
			Result: func(a int64) int64 { return a },
		})
	}
	return nil
}

func parseTrigger(t *testing.T, d *datadriven.TestData, s string) Trigger {
	name, arg, _ := strings.Cut(s, ":")
	n, _ := strconv.ParseInt(arg, 10, 64)
	switch name {
	case "event":
		return EventTimeTrigger()
	case "processing":
		return ProcessingTimeTrigger()
	case "count":
		return CountTrigger(n)
	case "purging-count":
		return PurgingTrigger(CountTrigger(n))
	case "continuous-event":
		return ContinuousEventTimeTrigger(n)
	case "continuous-processing":
		return ContinuousProcessingTimeTrigger(n)
	case "purging-continuous-event":
		return PurgingTrigger(ContinuousEventTimeTrigger(n))
	case "never":
		return NeverTrigger()
	}
	d.Fatalf(t, "unknown trigger %q", s)
	return nil
}

func parseAssigner(t *testing.T, d *datadriven.TestData) (Assigner, error) {
	var kind string
	var size, slide, offset, gap int64
	d.ScanArgs(t, "assigner", &kind)
	d.MaybeScanArgs(t, "size", &size)
	d.MaybeScanArgs(t, "slide", &slide)
	d.MaybeScanArgs(t, "offset", &offset)
	d.MaybeScanArgs(t, "gap", &gap)
	gapOf := func(v any) (int64, error) {
		_, g, ok := strings.Cut(v.(string), ":")
		if !ok {
			return 0, fmt.Errorf("element %q has no gap", v)
		}
		return strconv.ParseInt(g, 10, 64)
	}
	var a Assigner
	var err error
	switch kind {
	case "tumbling":
		a, err = TumblingEventTime(size, offset)
	case "tumbling-processing":
		a, err = TumblingProcessingTime(size, offset)
	case "sliding":
		a, err = SlidingEventTime(size, slide, offset)
	case "sliding-processing":
		a, err = SlidingProcessingTime(size, slide, offset)
	case "session":
		a, err = EventTimeSession(gap)
	case "session-processing":
		a, err = ProcessingTimeSession(gap)
	case "dynamic-session":
		a = DynamicEventTimeSession(gapOf)
	case "dynamic-session-processing":
		a = DynamicProcessingTimeSession(gapOf)
	case "global":
		a = Global{}
	case "count":
		if slide == 0 {
			a, err = CountTumbling(size)
		} else {
			a, err = CountSliding(size, slide)
		}
	default:
		d.Fatalf(t, "unknown assigner %q", kind)
	}
	return a, err
}

// harness runs one window operator by hand.
type harness struct {
	op    *Operator
	out   *recorder
	clock *statetest.ManualClock
}

func newHarness(t *testing.T, spec Spec, backend string, clock *statetest.ManualClock) (*harness, error) {
	spec.NewBackend = func(ctx *runtime.Context) (state.Backend, error) {
		return openBackend(t, backend, clock), nil
	}
	ctx := &runtime.Context{Env: &runtime.Env{Clock: clock, Config: map[string]string{}}, Parallelism: 1,
		MaxParallelism: statetest.MaxParallelism}
	op, err := spec.NewOperator(ctx)
	if err != nil {
		return nil, err
	}
	h := &harness{op: op.(*Operator), out: &recorder{}, clock: clock}
	if err := h.op.Open(ctx, h.out); err != nil {
		return nil, err
	}
	t.Cleanup(func() { h.op.Close() })
	return h, nil
}

func keyRange() keygroup.Range { return keygroup.Range{Start: 0, End: statetest.MaxParallelism - 1} }

func openBackend(t testing.TB, kind string, clock state.Clock) state.Backend {
	cfg := map[string]string{state.BackendKey: kind}
	b, err := state.Open(cfg, statetest.TempDir(t), keyRange(), statetest.MaxParallelism, clock)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestOperator replays testdata/operator/* against both backends:
//
//	window assigner=... [size= slide= offset= gap=] function=count|list|concat|agg-count
//	       [trigger=...] [lateness=ms] [late=tag]
//	element [key=K] ts=T [val=V]   (val defaults to the key; no key: window_all)
//	watermark ts=T
//	proctime now=T                 (moves the clock and ticks)
//	end                            (final watermark, end of input)
func TestOperator(t *testing.T) {
	files, _ := filepath.Glob("testdata/operator/*")
	if len(files) == 0 {
		t.Fatal("no transcripts")
	}
	for _, backend := range []string{"hashmap", "pebble"} {
		for _, f := range files {
			t.Run(backend+"/"+filepath.Base(f), func(t *testing.T) {
				var h *harness
				datadriven.RunTest(t, f, func(t *testing.T, d *datadriven.TestData) string {
					return runCommand(t, d, &h, backend)
				})
			})
		}
	}
}

func runCommand(t *testing.T, d *datadriven.TestData, hp **harness, backend string) string {
	h := *hp
	var err error
	switch d.Cmd {
	case "window":
		var fn, trig, late string
		var lateness int64
		d.ScanArgs(t, "function", &fn)
		d.MaybeScanArgs(t, "trigger", &trig)
		d.MaybeScanArgs(t, "lateness", &lateness)
		d.MaybeScanArgs(t, "late", &late)
		a, err := parseAssigner(t, d)
		if err != nil {
			return "error: " + err.Error() + "\n"
		}
		spec := Spec{Assigner: a, Function: testFunction(fn), AllowedLateness: lateness, LateTag: late}
		if trig != "" {
			spec.Trigger = parseTrigger(t, d, trig)
		}
		if *hp, err = newHarness(t, spec, backend, statetest.NewManualClock(0)); err != nil {
			return "error: " + err.Error() + "\n"
		}
		return ""
	case "element":
		var key, val string
		var at int64
		d.MaybeScanArgs(t, "key", &key)
		d.ScanArgs(t, "ts", &at)
		val = key
		d.MaybeScanArgs(t, "val", &val)
		var k any = key
		if !d.HasArg("key") {
			k = nil // window_all
		}
		err = h.op.Process(types.Record{Key: k, Value: val, Timestamp: at})
	case "watermark":
		var at int64
		d.ScanArgs(t, "ts", &at)
		err = h.op.ProcessWatermark(at)
	case "proctime":
		var now int64
		d.ScanArgs(t, "now", &now)
		h.clock.Set(now)
		err = h.op.Tick()
	case "end":
		if err = h.op.ProcessWatermark(math.MaxInt64); err == nil {
			err = h.op.EndInput()
		}
	case "dropped":
		return fmt.Sprintf("%d\n", h.op.LateDropped())
	default:
		d.Fatalf(t, "unknown command %q", d.Cmd)
	}
	out := h.out.take()
	if err != nil {
		out = strings.TrimSuffix(out, "(nothing)\n") + "error: " + err.Error() + "\n"
	}
	return out
}
