package filesink

import (
	"fmt"
	"strings"
	"time"
)

// JavaDateFormat formats t with a java.time DateTimeFormatter pattern of the
// letters bucket formats use (yyyy, MM, dd, HH, mm, ss); other letters and
// quoted text are copied.
func JavaDateFormat(pattern string, t time.Time) string {
	var b strings.Builder
	for i := 0; i < len(pattern); {
		c := pattern[i]
		j := i
		for j < len(pattern) && pattern[j] == c {
			j++
		}
		n := j - i
		switch c {
		case 'y':
			if n == 2 {
				fmt.Fprintf(&b, "%02d", t.Year()%100)
			} else {
				fmt.Fprintf(&b, "%0*d", n, t.Year())
			}
		case 'M':
			fmt.Fprintf(&b, "%0*d", n, int(t.Month()))
		case 'd':
			fmt.Fprintf(&b, "%0*d", n, t.Day())
		case 'H':
			fmt.Fprintf(&b, "%0*d", n, t.Hour())
		case 'm':
			fmt.Fprintf(&b, "%0*d", n, t.Minute())
		case 's':
			fmt.Fprintf(&b, "%0*d", n, t.Second())
		case '\'':
			end := strings.IndexByte(pattern[i+1:], '\'')
			if end < 0 {
				b.WriteString(pattern[i+1:])
				return b.String()
			}
			b.WriteString(pattern[i+1 : i+1+end])
			j = i + end + 2
		default:
			b.WriteString(pattern[i:j])
		}
		i = j
	}
	return b.String()
}
