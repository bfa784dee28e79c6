package local

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestCPUProfileWrittenWhenJobsEnd(t *testing.T) {
	e := &Engine{jobs: map[int64]*job{}}
	path := filepath.Join(t.TempDir(), "cpu.pprof")
	if err := startCPUProfile(e, path); err != nil {
		t.Skipf("cannot profile here: %v", err)
	}
	if e.jobsDone() {
		t.Fatal("an engine that never ran a job is not done")
	}
	j := newJob("j", "")
	e.mu.Lock()
	e.next, e.jobs[1] = 1, j
	e.mu.Unlock()
	time.Sleep(3 * profilePoll)
	if fi, err := os.Stat(path); err != nil || fi.Size() != 0 {
		t.Fatalf("profile written while a job runs: %v", err)
	}
	j.mu.Lock()
	j.state = "FINISHED"
	j.mu.Unlock()
	deadline := time.Now().Add(5 * time.Second)
	for {
		if fi, err := os.Stat(path); err == nil && fi.Size() > 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("no profile written after the job ended")
		}
		time.Sleep(profilePoll)
	}
}
