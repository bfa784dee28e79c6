package local

import (
	"fmt"
	"os"
	"runtime/pprof"
	"sync"
	"time"
)

// CPUProfileEnv names the environment variable that asks the engine for a Go
// CPU profile: when it holds a path as the process starts, the engine profiles
// from then until the jobs submitted to it have all ended (or have been
// released), and writes the pprof profile to that path. Jobs submitted after
// that point are not profiled. The profile sees every goroutine of the
// process: the runtime, the operators and the exchanges with Python workers.
const CPUProfileEnv = "PYFLINK_GO_CPUPROFILE"

// profilePoll is how often the profiler looks for the end of the jobs.
const profilePoll = 20 * time.Millisecond

// cpuProfile is the running profile of this process, if any.
var cpuProfile struct {
	once sync.Once
	stop func() error
}

func init() {
	if path := os.Getenv(CPUProfileEnv); path != "" {
		if err := startCPUProfile(defaultEngine, path); err != nil {
			fmt.Fprintf(os.Stderr, "pyflink-go: %s: %v\n", CPUProfileEnv, err)
		}
	}
}

// startCPUProfile starts profiling into path and a watcher that writes the
// profile once e has run at least one job and none is running any more.
func startCPUProfile(e *Engine, path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return err
	}
	cpuProfile.stop = func() error {
		pprof.StopCPUProfile()
		return f.Close()
	}
	go func() {
		for !e.jobsDone() {
			time.Sleep(profilePoll)
		}
		if err := stopCPUProfile(); err != nil {
			fmt.Fprintf(os.Stderr, "pyflink-go: %s: %v\n", CPUProfileEnv, err)
		}
	}()
	return nil
}

// stopCPUProfile writes the profile out; calls after the first do nothing.
func stopCPUProfile() (err error) {
	cpuProfile.once.Do(func() {
		if cpuProfile.stop != nil {
			err = cpuProfile.stop()
		}
	})
	return err
}

// jobsDone reports whether e has been given a job and every job it still
// holds has reached a terminal state.
func (e *Engine) jobsDone() bool {
	e.mu.Lock()
	submitted := e.next > 0
	e.mu.Unlock()
	return submitted && !anyRunning(e.jobList())
}
