package window

import (
	"fmt"
	"math"
	"testing"

	"github.com/pyflink-go/pyflink-go/engine/state"
	"github.com/pyflink-go/pyflink-go/engine/types"
	"github.com/pyflink-go/pyflink-go/engine/value"
)

// BenchmarkFieldReduce drives one window operator with the native field
// reduce of the recognized lambda (a[0], a[1] + b[1], max(a[2], b[2])) over
// value-encoded (word, 1, ts) tuples, as a Python job's records arrive:
// 10 s tumbling windows, 1000 keys, a watermark every 10k records.
func BenchmarkFieldReduce(b *testing.B) {
	for _, backend := range []string{state.HashMap, state.Pebble} {
		b.Run(backend, func(b *testing.B) {
			fn := ReduceFields("bench", []FieldReduce{{FieldFirst, 0}, {FieldSum, 1}, {FieldMax, 2}})
			w := openBenchOperator(b, backend, fn)
			defer w.Close()
			const keys = 1000
			// The records, encoded beforehand: word k%1000 and value ts for ts < 1<<16.
			recs := make([]types.Record, 1<<16)
			for i := range recs {
				key, _ := value.Encode(fmt.Sprintf("k%d", i%keys))
				enc, _ := value.Encode(value.Tuple{fmt.Sprintf("k%d", i%keys), int64(1), int64(i)})
				recs[i] = types.Record{Key: value.Raw(key), Value: value.Raw(enc)}
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				ts := int64(i)
				r := recs[i%len(recs)]
				r.Timestamp = ts
				if err := w.Process(r); err != nil {
					b.Fatal(err)
				}
				if i%10_000 == 9_999 {
					if err := w.ProcessWatermark(ts - 1); err != nil {
						b.Fatal(err)
					}
				}
			}
			if err := w.ProcessWatermark(math.MaxInt64); err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
		})
	}
}
