// Package keygroup maps keys to key groups and key groups to subtasks the
// way Flink does: keyGroup = murmur(hash(key)) % maxParallelism and
// subtask = keyGroup * parallelism / maxParallelism. A subtask therefore owns
// a contiguous KeyGroupRange, which is what makes rescaling from a snapshot
// possible.
package keygroup

// DefaultMaxParallelism is Flink's lower bound for the number of key groups.
const DefaultMaxParallelism = 128

// Murmur is Flink's MathUtils.murmurHash: one round of Murmur3's 32-bit mix
// applied to an int hash code, made non-negative.
func Murmur(code int32) int32 {
	k := uint32(code)
	k *= 0xcc9e2d51
	k = k<<15 | k>>17
	k *= 0x1b873593
	h := k
	h = h<<13 | h>>19
	h = h*5 + 0xe6546b64
	h ^= 4
	h ^= h >> 16
	h *= 0x85ebca6b
	h ^= h >> 13
	h *= 0xc2b2ae35
	h ^= h >> 16
	r := int32(h)
	if r >= 0 {
		return r
	}
	if r == -2147483648 {
		return 0
	}
	return -r
}

// ForHash returns the key group of a key whose Java-style hash code is code.
func ForHash(code int32, maxParallelism int) int {
	return int(Murmur(code)) % maxParallelism
}

// Operator returns the subtask index that owns keyGroup.
func Operator(keyGroup, maxParallelism, parallelism int) int {
	return keyGroup * parallelism / maxParallelism
}

// Range is a contiguous, inclusive range of key groups owned by one subtask.
type Range struct{ Start, End int }

// RangeFor returns the key groups owned by subtask index of parallelism.
func RangeFor(maxParallelism, parallelism, index int) Range {
	start := (index*maxParallelism + parallelism - 1) / parallelism
	end := ((index+1)*maxParallelism - 1) / parallelism
	return Range{Start: start, End: end}
}

// Contains reports whether kg lies in the range.
func (r Range) Contains(kg int) bool { return kg >= r.Start && kg <= r.End }
