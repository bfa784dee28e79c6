package value

import (
	"fmt"
	"testing"
)

func benchRecords(n int) []Raw {
	out := make([]Raw, n)
	for i := range out {
		out[i], _ = Encode(Tuple{fmt.Sprintf("user-%06d", i), int64(i), int64(1700000000000 + i)})
	}
	return out
}

// BenchmarkAppendRawBatch measures building a 1000-record array from Raw records (the udf hot path).
func BenchmarkAppendRawBatch(b *testing.B) {
	recs := benchRecords(1000)
	buf := make([]byte, 0, 64<<10)
	b.ReportAllocs()
	for b.Loop() {
		buf = AppendArrayHeader(buf[:0], len(recs))
		for _, r := range recs {
			buf = append(buf, r...)
		}
	}
}

// BenchmarkSplitArray measures splitting a 1000-record array into Raw records.
func BenchmarkSplitArray(b *testing.B) {
	recs := benchRecords(1000)
	enc := AppendArrayHeader(nil, len(recs))
	for _, r := range recs {
		enc = append(enc, r...)
	}
	dst := make([]Raw, 0, 1000)
	b.ReportAllocs()
	b.SetBytes(int64(len(enc)))
	for b.Loop() {
		var err error
		if dst, _, err = AppendSplitArray(dst[:0], enc); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeTuple measures decoding one small record into Go values.
func BenchmarkDecodeTuple(b *testing.B) {
	rec := benchRecords(1)[0]
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(rec); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEncodeTuple measures encoding one small record from Go values.
func BenchmarkEncodeTuple(b *testing.B) {
	v := Tuple{"user-000001", int64(1), int64(1700000000001)}
	buf := make([]byte, 0, 64)
	b.ReportAllocs()
	for b.Loop() {
		buf, _ = AppendEncode(buf[:0], v)
	}
}
