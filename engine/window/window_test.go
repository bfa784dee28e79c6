package window

import (
	"fmt"
	"math"
	"strings"
	"testing"
)

func TestStartWithOffset(t *testing.T) {
	for _, tc := range []struct{ ts, offset, size, want int64 }{
		{0, 0, 5, 0}, {4, 0, 5, 0}, {5, 0, 5, 5}, {-1, 0, 5, -5}, {-5, 0, 5, -5}, {-6, 0, 5, -10},
		{1, 2, 5, -3}, {2, 2, 5, 2}, {7, -2, 5, 3}, {1_700_000_000_123, 0, 10_000, 1_700_000_000_000},
	} {
		if got := StartWithOffset(tc.ts, tc.offset, tc.size); got != tc.want {
			t.Errorf("StartWithOffset(%d, %d, %d) = %d, want %d", tc.ts, tc.offset, tc.size, got, tc.want)
		}
	}
}

func TestNamespaceRoundTrip(t *testing.T) {
	for _, w := range []Window{TimeWindow(0, 5), TimeWindow(-10, -5), TimeWindow(math.MinInt64, math.MaxInt64),
		GlobalWindow(), CountWindow(0), CountWindow(42)} {
		got, err := ParseNamespace(w.AppendNamespace(nil))
		if err != nil || got != w {
			t.Errorf("round trip of %v: %v, %v", w, got, err)
		}
	}
	// Namespaces of time windows sort as the windows do.
	a, b := TimeWindow(-3, 2).AppendNamespace(nil), TimeWindow(1, 2).AppendNamespace(nil)
	if string(a) >= string(b) {
		t.Errorf("namespace order does not follow window order")
	}
}

func TestWindowBasics(t *testing.T) {
	if got := TimeWindow(0, 5).MaxTimestamp(); got != 4 {
		t.Errorf("MaxTimestamp = %d", got)
	}
	if GlobalWindow().MaxTimestamp() != math.MaxInt64 || CountWindow(3).MaxTimestamp() != math.MaxInt64 {
		t.Errorf("global and count windows end at MAX")
	}
	if !TimeWindow(0, 5).Intersects(TimeWindow(5, 8)) || TimeWindow(0, 5).Intersects(TimeWindow(6, 8)) {
		t.Errorf("touching windows intersect, separate ones do not")
	}
	if s := fmt.Sprint(TimeWindow(0, 5), GlobalWindow(), CountWindow(2)); s != "TimeWindow(start=0, end=5) GlobalWindow CountWindow(id=2)" {
		t.Errorf("String = %q", s)
	}
}

type fixedCtx struct{ now, count int64 }

func (c *fixedCtx) CurrentProcessingTime() int64 { return c.now }
func (c *fixedCtx) NextCount() (int64, error)    { c.count++; return c.count - 1, nil }

func TestAssigners(t *testing.T) {
	must := func(a Assigner, err error) Assigner {
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	for _, tc := range []struct {
		a    Assigner
		ts   int64
		want string
	}{
		{must(TumblingEventTime(5, 0)), 7, "[TimeWindow(start=5, end=10)]"},
		{must(SlidingEventTime(10, 5, 0)), 7, "[TimeWindow(start=5, end=15) TimeWindow(start=0, end=10)]"},
		{must(SlidingEventTime(10, 3, 0)), 0, "[TimeWindow(start=0, end=10) TimeWindow(start=-3, end=7) TimeWindow(start=-6, end=4) TimeWindow(start=-9, end=1)]"},
		{must(TumblingProcessingTime(5, 0)), 7, "[TimeWindow(start=100, end=105)]"},
		{must(EventTimeSession(3)), 7, "[TimeWindow(start=7, end=10)]"},
		{must(ProcessingTimeSession(3)), 7, "[TimeWindow(start=103, end=106)]"},
		{Global{}, 7, "[GlobalWindow]"},
	} {
		got, err := tc.a.Assign(nil, tc.ts, &fixedCtx{now: 103}, nil)
		if err != nil || fmt.Sprint(got) != tc.want {
			t.Errorf("%v.Assign(%d) = %v, %v; want %s", tc.a, tc.ts, got, err, tc.want)
		}
	}
	// Sliding count windows: element n is in every window i with 2i <= n <= 2i+2.
	a := must(CountSliding(3, 2))
	ctx := &fixedCtx{}
	var b strings.Builder
	for n := 0; n < 6; n++ {
		ws, _ := a.Assign(nil, 0, ctx, nil)
		fmt.Fprint(&b, ws)
	}
	if want := "[CountWindow(id=0)][CountWindow(id=0)][CountWindow(id=1) CountWindow(id=0)][CountWindow(id=1)][CountWindow(id=2) CountWindow(id=1)][CountWindow(id=2)]"; b.String() != want {
		t.Errorf("count sliding windows %s, want %s", b.String(), want)
	}
}

func TestMergingSet(t *testing.T) {
	a := Session{Gap: 5}
	s := NewMergingSet(a, nil)
	var log []string
	merge := func(result Window, merged []Window, stateWindow Window, mergedState []Window) error {
		log = append(log, fmt.Sprintf("merge %v into %v state %v from %v", merged, result, stateWindow, mergedState))
		return nil
	}
	add := func(start int64) Window {
		w, err := s.Add(TimeWindow(start, start+5), merge)
		if err != nil {
			t.Fatal(err)
		}
		return w
	}
	add(0)
	add(20)
	if w := add(3); w != TimeWindow(0, 8) {
		t.Errorf("merged to %v", w)
	}
	if w := add(13); w != TimeWindow(13, 18) {
		t.Errorf("new window %v", w)
	}
	if w := add(8); w != TimeWindow(0, 18) {
		t.Errorf("bridged to %v", w)
	}
	// A window inside an existing one changes nothing.
	if w := add(0); w != TimeWindow(0, 18) {
		t.Errorf("re-add gave %v", w)
	}
	if w := add(18); w != TimeWindow(0, 25) {
		t.Errorf("bridged to %v", w)
	}
	want := strings.Join([]string{
		"merge [TimeWindow(start=0, end=5)] into TimeWindow(start=0, end=8) state TimeWindow(start=0, end=5) from []",
		"merge [TimeWindow(start=0, end=8) TimeWindow(start=13, end=18)] into TimeWindow(start=0, end=18) state TimeWindow(start=0, end=5) from [TimeWindow(start=13, end=18)]",
		"merge [TimeWindow(start=0, end=18) TimeWindow(start=20, end=25)] into TimeWindow(start=0, end=25) state TimeWindow(start=0, end=5) from [TimeWindow(start=20, end=25)]",
	}, "\n")
	if got := strings.Join(log, "\n"); got != want {
		t.Errorf("merges:\n%s\nwant\n%s", got, want)
	}
	if fmt.Sprint(s.Pairs()) != "[[TimeWindow(start=0, end=25) TimeWindow(start=0, end=5)]]" {
		t.Errorf("pairs %v", s.Pairs())
	}
}
