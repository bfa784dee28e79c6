package pyop

import "time"

// Bundle sizing: the records in flight to a Python worker bound how long a
// checkpoint barrier waits (an operator finishes its bundles in flight
// before it snapshots) and how long a record waits behind others. With the
// configured bundle size alone, a slow function makes that wait long: 4
// bundles of 1000 records at 2 ms a record is 8 s. So, as Flink's buffer
// debloating sizes network buffers by throughput, a bundle holds at most
// the records the worker processes in the debloat target divided among the
// bundles in flight, measured as the worker goes. A function fast enough to
// do a full bundle within that time keeps the configured size, so fast
// jobs see no change.

// Defaults of bundle sizing.
const (
	// BufferDebloatTargetKey is Flink's key for the time the data in flight
	// should take to process; it sets the target of bundle sizing.
	BufferDebloatTargetKey = "execution.buffer-debloat.target"
	// DefaultInFlightTarget is the time the bundles in flight to a worker
	// should take to process when BufferDebloatTargetKey is not set (short,
	// since records here wait behind Python calls, not network buffers).
	DefaultInFlightTarget = 200 * time.Millisecond
	// bundleCostWeight is the weight of the newest measurement in the
	// moving average of the cost of a record.
	bundleCostWeight = 0.3
)

// bundleSizer decides how many records the next bundle may hold. It is
// pure: the operator reports when bundles were sent and answered, with
// times from its clock.
//
// Invariant: 1 <= limit <= max.
type bundleSizer struct {
	max      int
	limit    int           // the size of the next bundle
	perBatch time.Duration // target time of one bundle: the in-flight target / bundles in flight
	// perRecord is the moving average of the worker's time per record, in
	// seconds; 0 until a bundle was answered.
	perRecord float64
	// sent holds the send time and record count of each bundle in flight,
	// oldest first (a worker answers a stream's bundles in order).
	sent     []sentBundle
	lastDone time.Time
}

type sentBundle struct {
	at   time.Time
	rows int
}

func newBundleSizer(max int, inFlightTarget time.Duration, maxInFlight int) *bundleSizer {
	return &bundleSizer{max: max, limit: max, perBatch: inFlightTarget / time.Duration(maxInFlight)}
}

// size is the most records the next bundle may hold (ProcessInput asks per
// record, so it is worked out when a bundle is answered, not here).
func (s *bundleSizer) size() int { return s.limit }

// resize works out limit from the cost per record.
func (s *bundleSizer) resize() {
	n := s.perBatch.Seconds() / s.perRecord
	switch {
	case n >= float64(s.max):
		s.limit = s.max
	case n < 1:
		s.limit = 1
	default:
		s.limit = int(n)
	}
}

// inFlight is how many bundles may be in flight: one until the first is
// answered (nothing is known of the function yet, and a slow one would
// otherwise get limit full bundles queued), then limit.
func (s *bundleSizer) inFlight(limit int) int {
	if s.perRecord <= 0 {
		return 1
	}
	return limit
}

// onSent records a bundle of rows records (and timers) sent at now.
func (s *bundleSizer) onSent(now time.Time, rows int) {
	s.sent = append(s.sent, sentBundle{at: now, rows: rows})
}

// onAnswered records that the oldest bundle in flight was answered at now.
// The worker started on it when it was sent or when it answered the one
// before, whichever was later, so that span is its time for the bundle.
func (s *bundleSizer) onAnswered(now time.Time) {
	if len(s.sent) == 0 {
		return
	}
	b := s.sent[0]
	s.sent = s.sent[1:]
	start := b.at
	if s.lastDone.After(start) {
		start = s.lastDone
	}
	s.lastDone = now
	if b.rows <= 0 {
		return
	}
	cost := now.Sub(start).Seconds() / float64(b.rows)
	if cost < 0 {
		return
	}
	if s.perRecord <= 0 {
		s.perRecord = cost
	} else {
		s.perRecord += bundleCostWeight * (cost - s.perRecord)
	}
	if s.perRecord > 0 {
		s.resize()
	}
}
