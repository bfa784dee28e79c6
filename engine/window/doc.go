// Package window owns windowing as Flink defines it: windows (time, global,
// count), assigners (tumbling, sliding, session with static or dynamic gap,
// global, count), triggers as decision logic returning CONTINUE / FIRE /
// PURGE / FIRE_AND_PURGE, the merging window set of session windows, and the
// keyed window Operator that runs them over engine/state (contents, trigger
// state, timers) with allowed lateness and a late-data side output.
//
// What an operator does with a window's contents is a Function: incremental
// (Reduce, Aggregate: one accumulator per window) or buffered (Process: all
// elements, evaluated when the window fires). A Python window function plugs
// in as another Function that batches its evaluations (Flush). A Python
// reduce the client recognized as per-field expressions (first, last, sum,
// max, min of each field) runs natively as ReduceFields, with Python's
// number semantics (numbers.go).
//
// Semantics are Flink's (and PyFlink's, whose Python window operator ports
// them):
//   - a time window is [Start, End); its max timestamp is End-1; a window
//     starts at ts - floorMod(ts - offset, size), so windows may start below 0;
//   - an event-time window fires when the watermark reaches End-1, and its
//     state is dropped at End-1 + allowed lateness;
//   - an element is late when every window it belongs to is already cleaned
//     up (timestamp + lateness <= watermark); late elements go to the late
//     side output or are dropped;
//   - session windows that touch merge (start <= other.End && End >= other.Start);
//   - count windows fire when full and never at end of input;
//   - results carry the window's max timestamp.
//
// Everything but Operator is pure; Operator takes processing time from the
// runtime's injected clock.
package window
