// Package types holds the small value types every engine package shares:
// records, timestamps and the markers that travel in-band with them.
package types

import "math"

// NoTimestamp marks a record that carries no event timestamp.
const NoTimestamp int64 = math.MinInt64

// Record is one element of a stream. Value is whatever the stream carries
// (a value.Raw for Python streams, any Go value for the Go API). Key is set
// on records of a keyed stream (after key_by) and nil otherwise.
type Record struct {
	Value     any
	Key       any
	Timestamp int64
	// Tag names the side output the record was emitted to; "" is the main output.
	Tag string
}

// NewRecord returns a record with no key and no timestamp.
func NewRecord(v any) Record { return Record{Value: v, Timestamp: NoTimestamp} }
