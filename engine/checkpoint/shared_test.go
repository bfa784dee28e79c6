package checkpoint

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/cockroachdb/datadriven"
)

// TestSharedRegistry replays testdata/shared: retained checkpoints register
// and release their shared files, and the sweep finds what may go.
//
//	register id=1 files=(a,b)
//	release id=1
//	unreferenced present=(a,b,c)
//	sweepable completed=3 [pending=(2,4)]
//	state
func TestSharedRegistry(t *testing.T) {
	datadriven.Walk(t, "testdata/shared", func(t *testing.T, path string) {
		r := NewSharedRegistry()
		datadriven.RunTest(t, path, func(t *testing.T, d *datadriven.TestData) string {
			var id int64
			if d.HasArg("id") {
				d.ScanArgs(t, "id", &id)
			}
			var names []string
			for _, key := range []string{"files", "present"} {
				if d.HasArg(key) {
					d.ScanArgs(t, key, &names)
				}
			}
			switch d.Cmd {
			case "register":
				r.Register(id, names)
			case "release":
				r.Release(id)
			case "unreferenced":
				return fmt.Sprintf("%v\n", r.Unreferenced(names))
			case "sweepable":
				var completed int
				d.ScanArgs(t, "completed", &completed)
				var pending []int64
				if d.HasArg("pending") {
					var ps []string
					d.ScanArgs(t, "pending", &ps)
					for _, p := range ps {
						n, err := strconv.ParseInt(p, 10, 64)
						if err != nil {
							t.Fatal(err)
						}
						pending = append(pending, n)
					}
				}
				return fmt.Sprintf("%v\n", Sweepable(int64(completed), pending))
			case "state":
			default:
				t.Fatalf("unknown command %q", d.Cmd)
			}
			return renderRegistry(r)
		})
	})
}

func renderRegistry(r *SharedRegistry) string {
	var b strings.Builder
	for _, id := range r.Checkpoints() {
		fmt.Fprintf(&b, "chk-%d:", id)
		for _, n := range r.byCheckpoint[id] {
			fmt.Fprintf(&b, " %s(%d)", n, r.refs[n])
		}
		b.WriteString("\n")
	}
	if b.Len() == 0 {
		return "(empty)\n"
	}
	return b.String()
}
