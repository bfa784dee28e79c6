package checkpoint

import (
	"fmt"
	"strings"
	"testing"

	"github.com/cockroachdb/datadriven"
)

func renderAligner(out []AlignerDecision, err error) string {
	var b strings.Builder
	for _, d := range out {
		fmt.Fprintln(&b, d)
	}
	if err != nil {
		fmt.Fprintf(&b, "error: %v\n", err)
	}
	if b.Len() == 0 {
		return "(nothing)\n"
	}
	return b.String()
}

// TestAligner replays the transcripts in testdata/aligner*: events a task
// reads from its input gate, and the aligner's decisions.
//
//	new channels=3 [mode=at-least-once]
//	recv in=0 barrier=1     a barrier on channel 0
//	recv in=0 end           the end of input on channel 0
//	recv in=0 records       records (or a watermark): held or processed
//	cancel id=1             a cancel barrier
//	state
func TestAligner(t *testing.T) {
	datadriven.Walk(t, "testdata/aligner", func(t *testing.T, path string) {
		var a *Aligner
		datadriven.RunTest(t, path, func(t *testing.T, d *datadriven.TestData) string {
			switch d.Cmd {
			case "new":
				var n int
				mode := "exactly-once"
				d.ScanArgs(t, "channels", &n)
				d.MaybeScanArgs(t, "mode", &mode)
				m := ExactlyOnce
				if mode == "at-least-once" {
					m = AtLeastOnce
				}
				a = NewAligner(n, m)
				return ""
			case "recv":
				var ch int
				d.ScanArgs(t, "in", &ch)
				switch {
				case d.HasArg("barrier"):
					var id int64
					d.ScanArgs(t, "barrier", &id)
					return renderAligner(a.Barrier(ch, id, nil))
				case d.HasArg("end"):
					return renderAligner(a.EndOfInput(ch, nil))
				case d.HasArg("records"):
					if a.Blocked(ch) {
						return fmt.Sprintf("hold in=%d\n", ch)
					}
					return fmt.Sprintf("process in=%d\n", ch)
				}
				d.Fatalf(t, "recv needs barrier=, end or records")
			case "cancel":
				var id int64
				d.ScanArgs(t, "id", &id)
				return renderAligner(a.CancelBarrier(id, nil), nil)
			case "state":
				var blocked []string
				for ch := range a.blocked {
					if a.Blocked(ch) {
						blocked = append(blocked, fmt.Sprint(ch))
					}
				}
				var ids []string
				for _, p := range a.pending {
					ids = append(ids, fmt.Sprint(p.id))
				}
				return fmt.Sprintf("mode=%s pending=[%s] blocked=[%s] open=%d\n", a.Mode(),
					strings.Join(ids, " "), strings.Join(blocked, " "), a.open)
			}
			d.Fatalf(t, "unknown command %q", d.Cmd)
			return ""
		})
	})
}
