package checkpoint

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/cockroachdb/datadriven"
)

func renderCoord(out []Decision, err error) string {
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

// TestCoordinator replays the transcripts in testdata/coordinator: events at
// given times (ms) and the coordinator's decisions.
//
//	new tasks=(a,b) [interval=] [timeout=] [min-pause=] [max-concurrent=] [tolerable=] [first-id=] [now=]
//	tick now=1000
//	trigger now=1000                          TriggerNow
//	ack now=1100 id=1 task=a [files=(a.1)]
//	decline now=1100 id=1 task=a [reason=declined]
//	persisted now=1200 id=1 [err=disk full]
//	finished now=1300 task=a
//	suspend / resume now=
//	state
func TestCoordinator(t *testing.T) {
	datadriven.Walk(t, "testdata/coordinator", func(t *testing.T, path string) {
		var c *Coordinator
		datadriven.RunTest(t, path, func(t *testing.T, d *datadriven.TestData) string {
			var now, id int64
			d.MaybeScanArgs(t, "now", &now)
			d.MaybeScanArgs(t, "id", &id)
			var task string
			d.MaybeScanArgs(t, "task", &task)
			switch d.Cmd {
			case "new":
				var tasks []string
				d.ScanArgs(t, "tasks", &tasks)
				cfg := DefaultConfig(1000)
				first := int64(1)
				d.MaybeScanArgs(t, "interval", &cfg.Interval)
				d.MaybeScanArgs(t, "timeout", &cfg.Timeout)
				d.MaybeScanArgs(t, "min-pause", &cfg.MinPause)
				d.MaybeScanArgs(t, "max-concurrent", &cfg.MaxConcurrent)
				d.MaybeScanArgs(t, "tolerable", &cfg.TolerableFailures)
				d.MaybeScanArgs(t, "first-id", &first)
				var err error
				c, err = NewCoordinator(cfg, tasks, first, now)
				if err != nil {
					return "error: " + err.Error() + "\n"
				}
				return ""
			case "tick":
				return renderCoord(c.Tick(now, nil), nil)
			case "trigger":
				out, _ := c.TriggerNow(now, nil)
				return renderCoord(out, nil)
			case "ack":
				var files []string
				d.MaybeScanArgs(t, "files", &files)
				st := TaskState{Task: task}
				for _, f := range files {
					st.Files = append(st.Files, FileRef{Name: f})
				}
				return renderCoord(c.Ack(now, id, st, nil))
			case "decline":
				reason := string(Declined)
				d.MaybeScanArgs(t, "reason", &reason)
				return renderCoord(c.Decline(now, id, task, AbortReason(reason), nil))
			case "persisted":
				var err error
				if d.HasArg("err") {
					var msg string
					d.ScanArgs(t, "err", &msg)
					err = errors.New(msg)
				}
				return renderCoord(c.Persisted(now, id, err, nil))
			case "finished":
				return renderCoord(c.TaskFinished(now, task, nil))
			case "suspend":
				return renderCoord(c.Suspend(nil), nil)
			case "resume":
				c.Resume(now)
				return ""
			case "state":
				deadline := "none"
				if t, ok := c.NextDeadline(); ok {
					deadline = fmt.Sprint(t)
				}
				return fmt.Sprintf("pending=%v latest=%d next-id=%d failures=%d failed=%v deadline=%s\n",
					c.Pending(), c.LatestCompleted(), c.NextID(), c.failures, c.Failed(), deadline)
			}
			d.Fatalf(t, "unknown command %q", d.Cmd)
			return ""
		})
	})
}
