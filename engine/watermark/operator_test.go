package watermark

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/pyflink-go/pyflink-go/engine/runtime"
	"github.com/pyflink-go/pyflink-go/engine/types"
)

type manualClock struct{ now time.Time }

func (c *manualClock) Now() time.Time { return c.now }

// recorder is a runtime.Output that also takes watermarks and statuses.
type recorder struct{ log []string }

func (r *recorder) Emit(rec types.Record) error {
	r.log = append(r.log, fmt.Sprintf("record %v@%d", rec.Value, rec.Timestamp))
	return nil
}
func (r *recorder) EmitWatermark(wm int64) error {
	r.log = append(r.log, "watermark "+FormatTimestamp(wm))
	return nil
}
func (r *recorder) EmitWatermarkStatus(idle bool) error {
	r.log = append(r.log, fmt.Sprintf("idle=%v", idle))
	return nil
}

func TestOperator(t *testing.T) {
	clock := &manualClock{now: time.UnixMilli(1000)}
	ctx := &runtime.Context{Env: &runtime.Env{Clock: clock, Config: map[string]string{IntervalKey: "100 ms"}}}
	spec := OperatorSpec{
		Strategy: ForBoundedOutOfOrderness(2).WithIdleness(250),
		Extract:  func(v any, _ int64) (int64, error) { return v.(int64) * 10, nil },
	}
	op, err := spec.NewOperator(ctx)
	if err != nil {
		t.Fatal(err)
	}
	out := &recorder{}
	if err := op.Open(ctx, out); err != nil {
		t.Fatal(err)
	}
	step := func(ms int64) {
		clock.now = clock.now.Add(time.Duration(ms) * time.Millisecond)
		if err := op.Tick(); err != nil {
			t.Fatal(err)
		}
	}
	for _, v := range []int64{1, 3, 2} {
		if err := op.Process(types.NewRecord(v)); err != nil {
			t.Fatal(err)
		}
	}
	step(50)  // before the interval: nothing
	step(50)  // 1100: watermark 30-2-1
	step(100) // 1200: countdown starts
	step(100) // 1300
	step(100) // 1400
	step(100) // 1500: 300 > 250 → idle
	if err := op.Process(types.NewRecord(int64(9))); err != nil {
		t.Fatal(err)
	}
	step(100) // active, watermark 87
	wa := op.(interface{ ProcessWatermark(int64) error })
	if err := wa.ProcessWatermark(50); err != nil { // upstream watermarks are dropped
		t.Fatal(err)
	}
	if err := wa.ProcessWatermark(Max); err != nil {
		t.Fatal(err)
	}
	if err := op.EndInput(); err != nil {
		t.Fatal(err)
	}
	want := strings.Join([]string{
		"record 1@10", "record 3@30", "record 2@20", "watermark 27", "idle=true",
		"record 9@90", "idle=false", "watermark 87", "watermark MAX",
	}, "\n")
	if got := strings.Join(out.log, "\n"); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
