package keygroup

import "testing"

func TestJavaHashes(t *testing.T) {
	// Values of String.hashCode / Long.hashCode as the JVM computes them.
	for _, tc := range []struct {
		v    any
		want int32
	}{
		{"", 0},
		{"a", 97},
		{"hello", 99162322},
		{"apple", 93029210},
		{"the quick brown fox", 1302335171},
		{"😀", 1772899},
		{int64(1), 1},
		{int64(-1), 0},
		{int64(1) << 32, 1},
		{true, 1231},
		{false, 1237},
	} {
		got, ok := JavaHash(tc.v)
		if !ok || got != tc.want {
			t.Errorf("JavaHash(%#v) = %d, %v; want %d", tc.v, got, ok, tc.want)
		}
	}
}

func TestKeyGroupRanges(t *testing.T) {
	// Every key group belongs to exactly the subtask whose range holds it.
	for _, p := range []int{1, 2, 3, 7, 128} {
		for kg := 0; kg < 128; kg++ {
			op := Operator(kg, 128, p)
			if !RangeFor(128, p, op).Contains(kg) {
				t.Fatalf("p=%d: key group %d assigned to %d outside its range %v", p, kg, op, RangeFor(128, p, op))
			}
		}
	}
}

func TestMurmurIsNonNegative(t *testing.T) {
	for _, c := range []int32{0, 1, -1, 2147483647, -2147483648, 97, 99162322} {
		if m := Murmur(c); m < 0 {
			t.Errorf("Murmur(%d) = %d", c, m)
		}
	}
}

func TestMurmurMatchesFlink(t *testing.T) {
	// MathUtils.murmurHash as computed on a JVM.
	for code, want := range map[int32]int32{97: 1455541201, 0: 593689054, -1: 1982413648} {
		if got := Murmur(code); got != want {
			t.Errorf("Murmur(%d) = %d, want %d", code, got, want)
		}
	}
}
