package checkpoint

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// RestartKind names a restart strategy as restart-strategy.type does.
type RestartKind string

// The restart strategies.
const (
	NoRestart        RestartKind = "none"
	FixedDelay       RestartKind = "fixed-delay"
	ExponentialDelay RestartKind = "exponential-delay"
	FailureRate      RestartKind = "failure-rate"
)

// RestartConfig is a restart strategy's configuration (Flink's
// restart-strategy.* keys). Times are milliseconds.
type RestartConfig struct {
	Kind RestartKind
	// fixed-delay
	Attempts int
	Delay    int64
	// exponential-delay
	InitialBackoff int64
	MaxBackoff     int64
	Multiplier     float64
	ResetThreshold int64 // a failure this long after the previous one restarts the backoff
	Jitter         float64
	// failure-rate: at most MaxFailures within Interval
	MaxFailures int
	Interval    int64
}

// DefaultRestartConfig is Flink's default when checkpointing is enabled and
// no strategy is configured: exponential-delay with its default settings.
func DefaultRestartConfig() RestartConfig {
	return RestartConfig{Kind: ExponentialDelay, InitialBackoff: 1000, MaxBackoff: 60_000, Multiplier: 1.5,
		ResetThreshold: 3_600_000, Jitter: 0.1, Attempts: math.MaxInt32}
}

// Validate reports the first setting out of range.
func (c RestartConfig) Validate() error {
	switch c.Kind {
	case NoRestart:
	case FixedDelay:
		if c.Attempts < 0 || c.Delay < 0 {
			return fmt.Errorf("fixed-delay restart strategy: attempts %d and delay %d ms must not be negative", c.Attempts, c.Delay)
		}
	case ExponentialDelay:
		if c.InitialBackoff < 0 || c.MaxBackoff < c.InitialBackoff || c.Multiplier < 1 || c.Jitter < 0 || c.Jitter > 1 {
			return fmt.Errorf("exponential-delay restart strategy: need 0 <= initial-backoff (%d ms) <= max-backoff (%d ms), backoff-multiplier (%g) >= 1, 0 <= jitter-factor (%g) <= 1",
				c.InitialBackoff, c.MaxBackoff, c.Multiplier, c.Jitter)
		}
	case FailureRate:
		if c.MaxFailures < 1 || c.Interval <= 0 || c.Delay < 0 {
			return fmt.Errorf("failure-rate restart strategy: max-failures-per-interval %d must be at least 1, failure-rate-interval %d ms positive, delay %d ms not negative",
				c.MaxFailures, c.Interval, c.Delay)
		}
	default:
		return fmt.Errorf("restart-strategy.type: unknown strategy %q (use none, fixed-delay, exponential-delay or failure-rate)", c.Kind)
	}
	return nil
}

// Restarter decides, failure by failure, whether a job restarts and after
// what delay (Flink's RestartBackoffTimeStrategy). It is pure: the caller
// passes the time of each failure in milliseconds. Jitter comes from a seeded
// source so tests are deterministic.
type Restarter struct {
	cfg      RestartConfig
	failures []int64 // failure times (failure-rate), or count (fixed-delay)
	backoff  int64
	last     int64
	attempts int
	rng      *rand.Rand
}

// NewRestarter returns the restarter of cfg; seed feeds the jitter.
func NewRestarter(cfg RestartConfig, seed uint64) (*Restarter, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &Restarter{cfg: cfg, rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}, nil
}

// Config returns the restarter's configuration.
func (r *Restarter) Config() RestartConfig { return r.cfg }

// OnFailure records a failure at now and returns the delay before the
// restart, or ok=false when the strategy allows no more restarts.
func (r *Restarter) OnFailure(now int64) (delay int64, ok bool) {
	switch r.cfg.Kind {
	case FixedDelay:
		if r.attempts >= r.cfg.Attempts {
			return 0, false
		}
		r.attempts++
		return r.cfg.Delay, true
	case FailureRate:
		keep := r.failures[:0]
		for _, t := range r.failures {
			if now-t < r.cfg.Interval {
				keep = append(keep, t)
			}
		}
		r.failures = append(keep, now)
		if len(r.failures) > r.cfg.MaxFailures {
			return 0, false
		}
		return r.cfg.Delay, true
	case ExponentialDelay:
		if r.attempts > 0 && now-r.last >= r.cfg.ResetThreshold {
			r.attempts, r.backoff = 0, 0
		}
		r.last = now
		if r.cfg.Attempts > 0 && r.attempts >= r.cfg.Attempts {
			return 0, false
		}
		r.attempts++
		if r.backoff == 0 {
			r.backoff = r.cfg.InitialBackoff
		} else {
			r.backoff = min(int64(float64(r.backoff)*r.cfg.Multiplier), r.cfg.MaxBackoff)
		}
		d := r.backoff
		if r.cfg.Jitter > 0 && d > 0 {
			span := float64(d) * r.cfg.Jitter
			d += int64((r.rng.Float64()*2 - 1) * span)
		}
		return max(d, 0), true
	}
	return 0, false
}
