package checkpoint

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/pyflink-go/pyflink-go/engine/plan"
)

// Configuration keys, as Flink names them (older names are read too).
const (
	IntervalKey        = "execution.checkpointing.interval"
	ModeKey            = "execution.checkpointing.mode"
	TimeoutKey         = "execution.checkpointing.timeout"
	MinPauseKey        = "execution.checkpointing.min-pause"
	MaxConcurrentKey   = "execution.checkpointing.max-concurrent-checkpoints"
	TolerableKey       = "execution.checkpointing.tolerable-failed-checkpoints"
	RetentionKey       = "execution.checkpointing.externalized-checkpoint-retention"
	NumRetainedKey     = "execution.checkpointing.num-retained"
	DirKey             = "execution.checkpointing.dir"
	SavepointDirKey    = "execution.checkpointing.savepoint-dir"
	RecoveryPathKey    = "execution.state-recovery.path"
	SavepointPathKey   = "execution.savepoint.path"
	IgnoreUnclaimedKey = "execution.state-recovery.ignore-unclaimed-state"
	oldIgnoreUnclaimed = "execution.savepoint.ignore-unclaimed-state"
	oldDirKey          = "state.checkpoints.dir"
	oldNumRetainedKey  = "state.checkpoints.num-retained"
	oldSavepointDirKey = "state.savepoints.dir"
	RestartTypeKey     = "restart-strategy.type"
	restartPrefix      = "restart-strategy."
)

// Settings is everything about checkpoints and recovery a job's
// configuration says, read from Flink's keys.
type Settings struct {
	// Enabled is true when IntervalKey is a positive duration.
	Enabled bool
	Config  Config
	// Dir is where checkpoints go (DirKey); empty means a temporary directory.
	Dir string
	// SavepointDir is the default target of savepoints.
	SavepointDir string
	// NumRetained completed checkpoints are kept (default 1).
	NumRetained int
	// Retention: "DELETE_ON_CANCELLATION", "RETAIN_ON_CANCELLATION" or
	// "NO_EXTERNALIZED_CHECKPOINTS" (the default).
	Retention string
	// RestorePath is the checkpoint or savepoint to start from.
	RestorePath string
	// AllowNonRestoredState lets a restore skip state of operators the job no longer has.
	AllowNonRestoredState bool
	// Restart is the restart strategy; nil means no restarts.
	Restart *RestartConfig
}

// ReadSettings reads the checkpoint, recovery and restart keys of cfg.
func ReadSettings(cfg map[string]string) (Settings, error) {
	var s Settings
	get := func(keys ...string) (string, bool) {
		for _, k := range keys {
			if v, ok := cfg[k]; ok && strings.TrimSpace(v) != "" {
				return strings.TrimSpace(v), true
			}
		}
		return "", false
	}
	ms := func(key string, def int64) (int64, error) {
		v, ok := get(key)
		if !ok {
			return def, nil
		}
		d, err := plan.ParseDuration(v)
		if err != nil {
			return 0, fmt.Errorf("%s: %w", key, err)
		}
		return d.Milliseconds(), nil
	}
	integer := func(key string, def int) (int, error) {
		v, ok := get(key)
		if !ok {
			return def, nil
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			return 0, fmt.Errorf("%s: %q is not an integer", key, v)
		}
		return n, nil
	}
	var err error
	interval, err := ms(IntervalKey, 0)
	if err != nil {
		return s, err
	}
	s.Enabled = interval > 0
	s.Config = DefaultConfig(max(interval, 0))
	switch m, _ := get(ModeKey); strings.ToUpper(strings.ReplaceAll(m, "-", "_")) {
	case "", "EXACTLY_ONCE":
	case "AT_LEAST_ONCE":
		s.Config.Mode = AtLeastOnce
	default:
		return s, fmt.Errorf("%s: unknown mode %q (use EXACTLY_ONCE or AT_LEAST_ONCE)", ModeKey, m)
	}
	if s.Config.Timeout, err = ms(TimeoutKey, s.Config.Timeout); err != nil {
		return s, err
	}
	if s.Config.MinPause, err = ms(MinPauseKey, 0); err != nil {
		return s, err
	}
	if s.Config.MaxConcurrent, err = integer(MaxConcurrentKey, 1); err != nil {
		return s, err
	}
	if s.Config.TolerableFailures, err = integer(TolerableKey, 0); err != nil {
		return s, err
	}
	if s.Enabled {
		if err := s.Config.Validate(); err != nil {
			return s, err
		}
	}
	dir, _ := get(DirKey, oldDirKey)
	s.Dir = localPath(dir)
	sp, _ := get(SavepointDirKey, oldSavepointDirKey)
	s.SavepointDir = localPath(sp)
	if v, ok := get(NumRetainedKey, oldNumRetainedKey); ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return s, fmt.Errorf("%s: %q must be a positive integer", NumRetainedKey, v)
		}
		s.NumRetained = n
	}
	s.Retention, _ = get(RetentionKey)
	s.Retention = strings.ToUpper(s.Retention)
	switch s.Retention {
	case "", "NO_EXTERNALIZED_CHECKPOINTS", "DELETE_ON_CANCELLATION", "RETAIN_ON_CANCELLATION":
	default:
		return s, fmt.Errorf("%s: unknown retention %q", RetentionKey, s.Retention)
	}
	rp, _ := get(RecoveryPathKey, SavepointPathKey)
	s.RestorePath = localPath(rp)
	if v, ok := get(IgnoreUnclaimedKey, oldIgnoreUnclaimed); ok {
		s.AllowNonRestoredState = strings.EqualFold(v, "true")
	}
	r, err := readRestart(cfg, s.Enabled)
	if err != nil {
		return s, err
	}
	s.Restart = r
	return s, nil
}

// localPath turns a file:// URI into a path; other paths pass through.
func localPath(p string) string {
	if rest, ok := strings.CutPrefix(p, "file://"); ok {
		return rest
	}
	if rest, ok := strings.CutPrefix(p, "file:"); ok {
		return rest
	}
	return p
}

// readRestart reads restart-strategy.*: without a type, Flink restarts with
// exponential-delay when checkpointing is on and not at all otherwise.
func readRestart(cfg map[string]string, checkpointing bool) (*RestartConfig, error) {
	kind := strings.ToLower(strings.TrimSpace(cfg[RestartTypeKey]))
	switch kind {
	case "":
		if !checkpointing {
			return nil, nil
		}
		c := DefaultRestartConfig()
		return &c, nil
	case "none", "off", "disable":
		return nil, nil
	case "fixeddelay", "fixed-delay":
		kind = string(FixedDelay)
	case "failurerate", "failure-rate":
		kind = string(FailureRate)
	case "exponentialdelay", "exponential-delay":
		kind = string(ExponentialDelay)
	default:
		return nil, fmt.Errorf("%s: unknown strategy %q (use none, fixed-delay, exponential-delay or failure-rate)", RestartTypeKey, cfg[RestartTypeKey])
	}
	c := DefaultRestartConfig()
	c.Kind = RestartKind(kind)
	key := func(name string) string { return restartPrefix + kind + "." + name }
	var err error
	dur := func(name string, def int64) int64 {
		v, ok := cfg[key(name)]
		if !ok || err != nil {
			return def
		}
		d, perr := plan.ParseDuration(v)
		if perr != nil {
			err = fmt.Errorf("%s: %w", key(name), perr)
			return def
		}
		return d.Milliseconds()
	}
	num := func(name string, def float64) float64 {
		v, ok := cfg[key(name)]
		if !ok || err != nil {
			return def
		}
		f, perr := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if perr != nil {
			err = fmt.Errorf("%s: %q is not a number", key(name), v)
			return def
		}
		return f
	}
	switch c.Kind {
	case FixedDelay:
		c.Attempts = int(num("attempts", 1))
		c.Delay = dur("delay", 1000)
	case FailureRate:
		c.MaxFailures = int(num("max-failures-per-interval", 1))
		c.Interval = dur("failure-rate-interval", 60_000)
		c.Delay = dur("delay", 1000)
	case ExponentialDelay:
		c.InitialBackoff = dur("initial-backoff", c.InitialBackoff)
		c.MaxBackoff = dur("max-backoff", c.MaxBackoff)
		c.Multiplier = num("backoff-multiplier", c.Multiplier)
		c.ResetThreshold = dur("reset-backoff-threshold", c.ResetThreshold)
		c.Jitter = num("jitter-factor", c.Jitter)
		c.Attempts = int(min(num("attempts-before-reset-backoff", math.MaxInt32), math.MaxInt32))
	}
	if err != nil {
		return nil, err
	}
	return &c, c.Validate()
}
