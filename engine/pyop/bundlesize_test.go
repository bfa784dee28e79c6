package pyop

import (
	"testing"
	"time"
)

// step sends a bundle of rows records at sendMs, answered at answerMs
// (steps are answered in order).
type step struct {
	sendMs   float64
	rows     int
	answerMs float64
}

// TestBundleSizer drives the sizer with bundles answered at given times
// (4 bundles in flight, a 200 ms target: 50 ms a bundle) and checks the
// size of the next bundle.
func TestBundleSizer(t *testing.T) {
	t0 := time.Unix(0, 0)
	at := func(ms float64) time.Time { return t0.Add(time.Duration(ms * float64(time.Millisecond))) }
	cases := []struct {
		name  string
		steps []step
		want  int
	}{
		{"nothing answered yet keeps the configured size", nil, 1000},
		{"a fast function keeps the configured size",
			[]step{{0, 1000, 1}, {1, 1000, 2}}, 1000},
		{"a 2 ms function gets 25 records a bundle",
			[]step{{0, 1000, 2000}}, 25},
		{"slower than the target: one record a bundle",
			[]step{{0, 10, 1000}}, 1},
		{"queued bundles count from the previous answer, not from their send",
			// both sent at 0; the second takes 2000 ms after the first's answer
			[]step{{0, 1000, 2000}, {0, 1000, 4000}}, 25},
		{"an idle worker counts from the send",
			[]step{{0, 1000, 2000}, {10000, 1000, 12000}}, 25},
		{"a function that speeds up gets its size back",
			append([]step{{0, 1000, 2000}}, speedUp()...), 1000},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := newBundleSizer(1000, 200*time.Millisecond, 4)
			for _, st := range c.steps {
				s.onSent(at(st.sendMs), st.rows)
			}
			for _, st := range c.steps {
				s.onAnswered(at(st.answerMs))
			}
			if got := s.size(); got != c.want {
				t.Fatalf("size() = %d, want %d (cost per record %.6f s)", got, c.want, s.perRecord)
			}
			wantInFlight := 4
			if len(c.steps) == 0 {
				wantInFlight = 1 // nothing known of the function yet
			}
			if got := s.inFlight(4); got != wantInFlight {
				t.Fatalf("inFlight(4) = %d, want %d", got, wantInFlight)
			}
		})
	}
}

// speedUp is a function that costs 1 µs a record after one slow bundle: a
// dozen bundles of 25 records bring the size back to the configured one.
func speedUp() (steps []step) {
	for i := 0; i < 12; i++ {
		ms := 3000 + float64(i)
		steps = append(steps, step{ms, 25, ms + 0.025})
	}
	return steps
}

// TestBundleSizerBounds ignores an answer it has no bundle for
// and never sizes outside 1..max.
func TestBundleSizerBounds(t *testing.T) {
	s := newBundleSizer(3, time.Second, 4)
	s.onAnswered(time.Unix(5, 0))
	if got := s.size(); got != 3 {
		t.Fatalf("size() = %d after a stray answer, want 3", got)
	}
	s.onSent(time.Unix(5, 0), 0) // a bundle of nothing (a final flush) teaches nothing
	s.onAnswered(time.Unix(9, 0))
	if got := s.size(); got != 3 {
		t.Fatalf("size() = %d after an empty bundle, want 3", got)
	}
}
