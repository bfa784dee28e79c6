package stream_test

import (
	"context"
	"fmt"
	"sort"
	"testing"

	"github.com/pyflink-go/pyflink-go/engine/stream"
	"github.com/pyflink-go/pyflink-go/engine/watermark"
	"github.com/pyflink-go/pyflink-go/engine/window"
)

// The example through the Go API: tumbling 5 ms event-time windows
// counting ('hi', ts) events.
func TestTumblingWindowCount(t *testing.T) {
	type ev struct {
		Key string
		TS  int64
	}
	for _, p := range []int{1, 2} {
		t.Run(fmt.Sprintf("p%d", p), func(t *testing.T) {
			env := stream.NewEnvironment(stream.WithParallelism(p))
			var events []ev
			for _, ts := range []int64{1, 2, 3, 4, 5, 8, 9, 15} {
				events = append(events, ev{"hi", ts})
			}
			src := stream.FromSlice(env, events)
			stamped := stream.Transform[ev, ev](src, "Timestamps/Watermarks", watermark.OperatorSpec{
				Strategy: watermark.ForMonotonousTimestamps(),
				Extract:  func(v any, _ int64) (int64, error) { return v.(ev).TS, nil },
			})
			keyed := stream.KeyBy(stamped, func(e ev) string { return e.Key })
			assigner, err := window.TumblingEventTime(5, 0)
			if err != nil {
				t.Fatal(err)
			}
			spec := window.GoSpec[string](assigner, window.CountPerWindow(func(k string, w window.Window, n int64) string {
				return fmt.Sprintf("(%s,%d,%d,%d)", k, w.Start, w.End, n)
			}))
			counts := stream.Transform[ev, string](keyed.Keyed(), "TumblingEventTimeWindows", spec)
			res := stream.Collect(counts)
			if err := env.Execute(context.Background(), "windows"); err != nil {
				t.Fatal(err)
			}
			got := res.Items()
			sort.Strings(got)
			want := []string{"(hi,0,5,4)", "(hi,15,20,1)", "(hi,5,10,3)"}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Fatalf("got %v, want %v", got, want)
			}
		})
	}
}
