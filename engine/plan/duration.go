package plan

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ParseDuration reads a duration as Flink's configuration writes it: a number
// with an optional unit ("100", "100 ms", "5 s", "1min"); a bare number is
// milliseconds.
func ParseDuration(s string) (time.Duration, error) {
	t := strings.TrimSpace(s)
	i := 0
	for i < len(t) && (t[i] >= '0' && t[i] <= '9') {
		i++
	}
	if i == 0 {
		return 0, fmt.Errorf("%q is not a duration", s)
	}
	n, err := strconv.ParseInt(t[:i], 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not a duration", s)
	}
	unit := strings.ToLower(strings.TrimSpace(t[i:]))
	var per time.Duration
	switch unit {
	case "", "ms", "milli", "millis", "millisecond", "milliseconds":
		per = time.Millisecond
	case "s", "sec", "secs", "second", "seconds":
		per = time.Second
	case "min", "m", "minute", "minutes":
		per = time.Minute
	case "h", "hour", "hours":
		per = time.Hour
	case "us", "µs", "micro", "micros", "microsecond", "microseconds":
		per = time.Microsecond
	case "ns", "nano", "nanos", "nanosecond", "nanoseconds":
		per = time.Nanosecond
	case "d", "day", "days":
		per = 24 * time.Hour
	default:
		return 0, fmt.Errorf("%q has an unknown time unit %q", s, unit)
	}
	return time.Duration(n) * per, nil
}
