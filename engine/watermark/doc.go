// Package watermark owns event-time progress: watermark strategies and the
// generators they build (Flink's BoundedOutOfOrdernessWatermarks, with
// idleness detection), the emitter that keeps a stream's watermark monotone,
// and the Valve that combines the watermarks and idle statuses of several
// input channels into one.
//
// Everything here except Operator is pure: time is an argument (milliseconds
// since the epoch), nothing reads a clock or starts a goroutine, and every
// step returns the decisions it took (watermarks to emit, status changes) for
// a thin shell to carry out.
//
// Invariants:
//   - a Generator's emitted watermarks strictly increase;
//   - a Valve's output watermark never decreases, ignores idle channels, and
//     when every channel has gone idle flushes the largest channel watermark;
//   - math.MaxInt64 is the final watermark: it fires everything pending.
package watermark
