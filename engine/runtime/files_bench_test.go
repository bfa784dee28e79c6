package runtime

import (
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"github.com/vmihailenco/msgpack/v5"

	"github.com/pyflink-go/pyflink-go/engine/checkpoint"
	"github.com/pyflink-go/pyflink-go/engine/checkpoint/store"
	"github.com/pyflink-go/pyflink-go/engine/keygroup"
	"github.com/pyflink-go/pyflink-go/engine/state"
)

type benchClock struct{}

func (benchClock) Now() time.Time { return time.UnixMilli(0) }

// BenchmarkSnapshot1MKeys measures one checkpoint of a Pebble backend
// holding 1M keys after a fifth of them changed, full (every key group
// serialized into the task file) and incremental (Pebble checkpoint, new
// sstables linked into the shared directory): the synchronous part and the
// asynchronous part up to the durable metadata, as the task and the shell
// run them. The backend's key groups are one subtask's (128 of 128).
//
//	go test -run '^$' -bench Snapshot1MKeys -benchtime 3x ./engine/runtime/
func BenchmarkSnapshot1MKeys(b *testing.B) {
	const keys = 1_000_000
	for _, mode := range []string{"full", "incremental"} {
		b.Run(mode, func(b *testing.B) {
			cfg := map[string]string{state.BackendKey: "pebble", state.IncrementalKey: strconv.FormatBool(mode == "incremental")}
			r := keygroup.Range{Start: 0, End: 127}
			be, err := state.Open(cfg, "", r, 128, benchClock{})
			if err != nil {
				b.Fatal(err)
			}
			defer be.Close()
			v, err := be.Value(state.Descriptor{Name: "sum"})
			if err != nil {
				b.Fatal(err)
			}
			rnd := rand.New(rand.NewPCG(1, 2))
			put := func(i int, val int) {
				key := []byte(strconv.Itoa(i))
				h, _ := keygroup.GoHash(int64(i))
				be.SetCurrentKey(keygroup.ForHash(h, 128), key)
				if err := v.Update([]byte(strconv.Itoa(val))); err != nil {
					b.Fatal(err)
				}
			}
			for i := 0; i < keys; i++ {
				put(i, i)
			}
			st, err := store.Open(b.TempDir(), store.Options{})
			if err != nil {
				b.Fatal(err)
			}
			tk := &task{cpName: "node:1#0", subtask: 0, par: 1, cp: &taskCheckpointing{shell: &shell{}}}
			var syncTime time.Duration
			var written int64
			stored := map[string]bool{}
			take := func(id int64) {
				t0 := time.Now()
				c, err := state.CaptureBackend(be)
				if err != nil {
					b.Fatal(err)
				}
				snap := &OperatorSnapshot{}
				if err := snap.Write(c.Async(), func(s *OperatorSnapshot) error { return c.WriteTo(nil, s) }); err != nil {
					b.Fatal(err)
				}
				syncTime += time.Since(t0)
				if err := snap.Finish(); err != nil {
					b.Fatal(err)
				}
				ts := checkpoint.TaskState{Task: tk.cpName}
				sec := &section{Op: "node:1", Parallelism: 1, KeyGroups: snap.KeyGroups}
				if snap.Files != nil {
					h, shared, private, err := tk.storeFiles(st, id, "node:1", snap.Files)
					if err != nil {
						b.Fatal(err)
					}
					sec.Files, ts.Shared, ts.Files = h, shared, private
					for _, f := range shared {
						if !stored[f.Name] {
							stored[f.Name] = true
							written += f.Size
						}
					}
					for _, f := range private {
						written += f.Size
					}
				}
				data, err := msgpack.Marshal([]*section{sec})
				if err != nil {
					b.Fatal(err)
				}
				ref, err := st.WriteFile(id, taskFileName(tk.cpName), data)
				if err != nil {
					b.Fatal(err)
				}
				ts.Files = append(ts.Files, ref)
				written += ref.Size
				if err := st.Finalize(store.NewMetadata("bench", id, id, []checkpoint.TaskState{ts})); err != nil {
					b.Fatal(err)
				}
				tk.cp.shell.completed.Store(id)
				if err := st.SweepShared(); err != nil {
					b.Fatal(err)
				}
			}
			take(1)
			syncTime, written = 0, 0
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				for j := 0; j < keys/5; j++ {
					put(rnd.IntN(keys), j)
				}
				b.StartTimer()
				take(int64(i + 2))
			}
			b.ReportMetric(float64(syncTime.Milliseconds())/float64(b.N), "sync-ms/op")
			b.ReportMetric(float64(written)/1e6/float64(b.N), "new-MB/op")
		})
	}
}
