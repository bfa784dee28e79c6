package watermark

import (
	"fmt"
	"strings"
	"testing"

	"github.com/cockroachdb/datadriven"
)

func render(evs []Event) string {
	if len(evs) == 0 {
		return "(nothing)\n"
	}
	var b strings.Builder
	for _, e := range evs {
		fmt.Fprintln(&b, e)
	}
	return b.String()
}

// TestGenerator replays testdata/generator: a strategy, record timestamps and
// periodic probes at given processing times, and the decisions they give.
//
//	new kind=bounded|monotonous|none [delay=ms] [idle=ms]
//	event ts=5 [ts=...]
//	emit now=200
//	final
func TestGenerator(t *testing.T) {
	var g *Generator
	datadriven.RunTest(t, "testdata/generator", func(t *testing.T, d *datadriven.TestData) string {
		switch d.Cmd {
		case "new":
			var kind string
			var delay, idle int64
			d.ScanArgs(t, "kind", &kind)
			d.MaybeScanArgs(t, "delay", &delay)
			d.MaybeScanArgs(t, "idle", &idle)
			var s Strategy
			switch kind {
			case "bounded":
				s = ForBoundedOutOfOrderness(delay)
			case "monotonous":
				s = ForMonotonousTimestamps()
			case "none":
				s = NoWatermarks()
			default:
				d.Fatalf(t, "unknown kind %q", kind)
			}
			s = s.WithIdleness(idle)
			if err := s.Validate(); err != nil {
				return err.Error() + "\n"
			}
			g = s.NewGenerator()
			return ""
		case "event":
			var ts []int64
			d.ScanArgs(t, "ts", &ts)
			for _, x := range ts {
				g.OnEvent(x)
			}
			return ""
		case "emit":
			var now int64
			d.ScanArgs(t, "now", &now)
			return render(g.OnPeriodicEmit(now, nil))
		case "final":
			return render(g.Emit(Max, nil))
		}
		d.Fatalf(t, "unknown command %q", d.Cmd)
		return ""
	})
}

// TestValve replays testdata/valve: watermarks and statuses per channel and
// what the valve forwards.
//
//	new channels=3
//	wm ch=0 ts=5
//	idle ch=1
//	active ch=1
func TestValve(t *testing.T) {
	var v *Valve
	datadriven.RunTest(t, "testdata/valve", func(t *testing.T, d *datadriven.TestData) string {
		var ch int
		switch d.Cmd {
		case "new":
			var n int
			d.ScanArgs(t, "channels", &n)
			v = NewValve(n)
			return ""
		case "wm":
			var ts int64
			d.ScanArgs(t, "ch", &ch)
			d.ScanArgs(t, "ts", &ts)
			return render(v.InputWatermark(ch, ts, nil))
		case "idle", "active":
			d.ScanArgs(t, "ch", &ch)
			return render(v.InputStatus(ch, d.Cmd == "idle", nil))
		case "state":
			return fmt.Sprintf("watermark=%s idle=%v\n", FormatTimestamp(v.Watermark()), v.Idle())
		}
		d.Fatalf(t, "unknown command %q", d.Cmd)
		return ""
	})
}

func TestParseInterval(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
		err  bool
	}{
		{"", 200, false}, {"50", 50, false}, {"200 ms", 200, false}, {"1s", 1000, false},
		{"2 min", 120000, false}, {"0", 0, false}, {"soon", 0, true},
	} {
		got, err := ParseInterval(tc.in)
		if (err != nil) != tc.err || got != tc.want {
			t.Errorf("ParseInterval(%q) = %d, %v; want %d, err %v", tc.in, got, err, tc.want, tc.err)
		}
	}
}
