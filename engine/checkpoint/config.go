package checkpoint

import "fmt"

// Config is the checkpointing configuration of a job (Flink's
// CheckpointConfig). Times are milliseconds.
type Config struct {
	Mode Mode
	// Interval between checkpoint triggers; 0 disables periodic checkpoints.
	Interval int64
	// Timeout after which a pending checkpoint expires (Flink: 10 minutes).
	Timeout int64
	// MinPause between the completion of a checkpoint and the next trigger.
	// A positive pause allows one checkpoint at a time.
	MinPause int64
	// MaxConcurrent checkpoints in flight (Flink: 1).
	MaxConcurrent int
	// TolerableFailures is the number of consecutive checkpoint failures
	// (expired, declined, not finalized) the job survives; one more fails it.
	TolerableFailures int
}

// DefaultConfig returns Flink's defaults with the given interval.
func DefaultConfig(interval int64) Config {
	return Config{Mode: ExactlyOnce, Interval: interval, Timeout: 10 * 60 * 1000, MaxConcurrent: 1}
}

// Validate reports the first setting out of range.
func (c Config) Validate() error {
	switch {
	case c.Interval < 0:
		return fmt.Errorf("checkpoint interval %d ms is negative", c.Interval)
	case c.Interval > 0 && c.Interval < 10:
		return fmt.Errorf("checkpoint interval %d ms is below the minimum of 10 ms", c.Interval)
	case c.Timeout <= 0:
		return fmt.Errorf("checkpoint timeout %d ms must be positive", c.Timeout)
	case c.MinPause < 0:
		return fmt.Errorf("min pause between checkpoints %d ms is negative", c.MinPause)
	case c.MaxConcurrent < 1:
		return fmt.Errorf("max concurrent checkpoints %d must be at least 1", c.MaxConcurrent)
	case c.TolerableFailures < 0:
		return fmt.Errorf("tolerable checkpoint failures %d is negative", c.TolerableFailures)
	}
	return nil
}

func (c Config) maxConcurrent() int {
	if c.MinPause > 0 {
		return 1
	}
	return c.MaxConcurrent
}
