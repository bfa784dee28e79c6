package checkpoint

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
)

// runCoordinator drives a coordinator with random events (ticks, acks,
// declines, finished tasks, metadata outcomes, failovers) and checks its
// invariants on the decisions.
func runCoordinator(t *testing.T, seed uint64) {
	r := rand.New(rand.NewPCG(seed, 7))
	cfg := Config{Interval: 100 + r.Int64N(200), Timeout: 200 + r.Int64N(800), MaxConcurrent: 1 + r.IntN(3),
		TolerableFailures: r.IntN(3)}
	if r.IntN(2) == 0 {
		cfg.MinPause = r.Int64N(300)
	}
	tasks := []string{"a", "b", "c"}[:1+r.IntN(3)]
	first := 1 + r.Int64N(5)
	c, err := NewCoordinator(cfg, tasks, first, 0)
	if err != nil {
		t.Fatal(err)
	}
	fail := func(format string, args ...any) {
		t.Helper()
		t.Fatalf("seed %d %+v: %s", seed, cfg, fmt.Sprintf(format, args...))
	}

	const (
		live = iota + 1
		completing
		done // notified or aborted
	)
	status := map[int64]int{}
	trigTime := map[int64]int64{}
	acked := map[int64]map[string]bool{}
	finished := map[string]bool{}
	nextID, lastNotified := first, int64(0)
	var lastTrigger int64
	var lastCompletion int64 = -1 << 62
	consecutive := 0
	now := int64(0)
	inFlight := func() int {
		n := 0
		for _, s := range status {
			if s == live || s == completing {
				n++
			}
		}
		return n
	}

	periodic := false // the decisions come from Tick
	check := func(ds []Decision, err error) {
		if err != nil {
			fail("%v", err)
		}
		for _, d := range ds {
			switch d.Action {
			case Trigger:
				if d.ID != nextID {
					fail("trigger %d, want %d", d.ID, nextID)
				}
				if periodic {
					if n := inFlight(); n >= cfg.maxConcurrent() {
						fail("trigger %d with %d in flight", d.ID, n)
					}
					if now < lastTrigger+cfg.Interval || now < lastCompletion+cfg.MinPause {
						fail("trigger %d at %d: too early", d.ID, now)
					}
				}
				nextID++
				lastTrigger = now
				status[d.ID], trigTime[d.ID], acked[d.ID] = live, now, map[string]bool{}
			case Complete:
				if status[d.ID] != live {
					fail("complete %d in status %d", d.ID, status[d.ID])
				}
				for _, task := range tasks {
					if !acked[d.ID][task] && !finished[task] {
						fail("complete %d without %s", d.ID, task)
					}
				}
				status[d.ID] = completing
			case NotifyComplete:
				if status[d.ID] != completing || d.ID <= lastNotified {
					fail("notify %d (status %d, last notified %d)", d.ID, status[d.ID], lastNotified)
				}
				status[d.ID], lastNotified, lastCompletion, consecutive = done, d.ID, now, 0
			case Abort:
				if status[d.ID] != live && status[d.ID] != completing {
					fail("abort %d in status %d", d.ID, status[d.ID])
				}
				if d.Reason == Expired && now < trigTime[d.ID]+cfg.Timeout {
					fail("expired %d early", d.ID)
				}
				status[d.ID] = done
				if d.Reason == Expired || d.Reason == Declined || d.Reason == FinalizeFailed {
					consecutive++
				}
			case FailJob:
				if consecutive <= cfg.TolerableFailures {
					fail("fail-job after %d failures", consecutive)
				}
			}
		}
		if !c.Failed() && consecutive > cfg.TolerableFailures {
			fail("%d consecutive failures and the job runs", consecutive)
		}
	}

	for step := 0; step < 300; step++ {
		now += r.Int64N(60)
		live := c.Pending()
		switch x := r.IntN(20); {
		case x < 6:
			periodic = true
			check(c.Tick(now, nil), nil)
			periodic = false
		case x < 13 && len(live) > 0:
			id := live[r.IntN(len(live))]
			task := tasks[r.IntN(len(tasks))]
			if !finished[task] {
				acked[id][task] = true
			}
			check(c.Ack(now, id, TaskState{Task: task}, nil))
		case x < 14 && len(live) > 0:
			check(c.Decline(now, live[0], tasks[0], Declined, nil))
		case x < 17:
			for id, s := range status {
				if s == completing {
					var err error
					if r.IntN(5) == 0 {
						err = errors.New("disk full")
					}
					out, perr := c.Persisted(now, id, err, nil)
					check(out, perr)
					break
				}
			}
		case x < 18 && r.IntN(4) == 0:
			task := tasks[r.IntN(len(tasks))]
			finished[task] = true
			check(c.TaskFinished(now, task, nil))
		case x < 19 && r.IntN(3) == 0:
			out, _ := c.TriggerNow(now, nil)
			check(out, nil)
		case r.IntN(4) == 0:
			check(c.Suspend(nil), nil)
			c.Resume(now)
			clear(finished)
			lastTrigger, consecutive = now, 0
		}
	}
}

func TestCoordinatorRandomFixedSeeds(t *testing.T) {
	for seed := uint64(1); seed <= 1000; seed++ {
		runCoordinator(t, seed)
	}
}

func TestCoordinatorRandom(t *testing.T) {
	seed := rand.Uint64()
	t.Logf("seed %d", seed)
	for i := range uint64(300) {
		runCoordinator(t, seed+i)
	}
}
