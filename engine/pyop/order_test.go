package pyop

import (
	"context"
	"strconv"
	"testing"
	"time"

	rt "github.com/pyflink-go/pyflink-go/engine/runtime"
	"github.com/pyflink-go/pyflink-go/engine/types"
	"github.com/pyflink-go/pyflink-go/engine/value"
	"github.com/pyflink-go/pyflink-go/udf"
)

// echoWorker answers every batch at once with its rows unchanged.
type echoWorker struct{ results chan *udf.Result }

func (w *echoWorker) Open(ctx context.Context, spec udf.ChainSpec) (udf.Stream, error) {
	return &echoStream{results: make(chan *udf.Result, MaxInFlight)}, nil
}

type echoStream struct{ results chan *udf.Result }

func (s *echoStream) Submit(b *udf.Batch) error {
	s.results <- &udf.Result{Rows: append([]udf.Row(nil), b.Rows...)}
	return nil
}
func (s *echoStream) Results() <-chan *udf.Result { return s.results }
func (s *echoStream) Close() error {
	close(s.results)
	return nil
}

// into feeds what an operator emits to the next operator of the task.
type into struct{ next *chainOp }

func (i into) Emit(r types.Record) error    { return i.next.Process(r) }
func (i into) EmitWatermark(wm int64) error { return i.next.ProcessWatermark(wm) }

// TestTwoPythonOperatorsOfATaskKeepTheOrder: the second Python operator of
// a task waits for its results while the first one emits (handling the
// first one's next results too, through the task's mailbox); the records
// still leave in the order they came.
func TestTwoPythonOperatorsOfATaskKeepTheOrder(t *testing.T) {
	env := &rt.Env{JobName: "test", Mode: "STREAMING", Clock: fixedClock{time.UnixMilli(0)},
		Services: map[string]any{ServiceName: &echoWorker{}},
		Config:   map[string]string{BundleSizeKey: "3"}}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rc := rt.NewStandaloneContext(ctx, env, 0, 1, 128)
	fuse := func(name string) *chainOp {
		spec := &Spec{Func: "map", Name: name}
		op, err := spec.Fuse(rc, []any{spec}, []string{name})
		if err != nil {
			t.Fatal(err)
		}
		return op.(*chainOp)
	}
	first, second := fuse("first"), fuse("second")
	second.bundleSize = 1 // every record it gets is a batch: it waits while the first emits
	out := &collect{}
	if err := second.Open(rc, out); err != nil {
		t.Fatal(err)
	}
	defer second.Close()
	if err := first.Open(rc, into{second}); err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	var want []string
	for i := 0; i < 200; i++ {
		v := strconv.Itoa(i)
		want = append(want, v)
		if err := first.Process(types.Record{Value: value.Raw(v), Timestamp: types.NoTimestamp}); err != nil {
			t.Fatal(err)
		}
	}
	if err := first.EndInput(); err != nil {
		t.Fatal(err)
	}
	if err := second.EndInput(); err != nil {
		t.Fatal(err)
	}
	eq(t, "records in order", out.out, want)
}
