package state

import (
	"math"

	"github.com/pyflink-go/pyflink-go/engine/state/kv"
)

// timerService keeps event-time and processing-time timers in two queues of
// the store ("<name>/event", "<name>/processing").
type timerService struct {
	b           *keyed
	event, proc kv.TimerQueue
	watermark   int64
}

func (b *keyed) Timers(name string) (TimerService, error) {
	if t, ok := b.timers[name]; ok {
		return t, nil
	}
	if err := b.register(name, "timers"); err != nil {
		return nil, err
	}
	ev, err := b.store.TimerQueue(name + "/event")
	if err != nil {
		return nil, err
	}
	pr, err := b.store.TimerQueue(name + "/processing")
	if err != nil {
		return nil, err
	}
	t := &timerService{b: b, event: ev, proc: pr, watermark: math.MinInt64}
	b.timers[name] = t
	return t, nil
}

func (t *timerService) timer(ns []byte, ts int64) kv.Timer {
	return kv.Timer{Timestamp: ts, KeyGroup: t.b.kg, Key: t.b.key, Namespace: ns}
}

func (t *timerService) RegisterEventTimeTimer(ns []byte, ts int64) error {
	return t.event.Add(t.timer(ns, ts))
}

func (t *timerService) DeleteEventTimeTimer(ns []byte, ts int64) error {
	return t.event.Delete(t.timer(ns, ts))
}

func (t *timerService) RegisterProcessingTimeTimer(ns []byte, ts int64) error {
	return t.proc.Add(t.timer(ns, ts))
}

func (t *timerService) DeleteProcessingTimeTimer(ns []byte, ts int64) error {
	return t.proc.Delete(t.timer(ns, ts))
}

func (t *timerService) CurrentWatermark() int64 { return t.watermark }

func (t *timerService) AdvanceWatermark(wm int64, fire func(Timer) error) error {
	if wm > t.watermark {
		t.watermark = wm
	}
	return t.drain(t.event, wm, fire)
}

func (t *timerService) AdvanceProcessingTime(now int64, fire func(Timer) error) error {
	return t.drain(t.proc, now, fire)
}

func (t *timerService) drain(q kv.TimerQueue, upTo int64, fire func(Timer) error) error {
	for {
		tm, ok, err := q.Pop(upTo)
		if err != nil || !ok {
			return err
		}
		t.b.SetCurrentKey(tm.KeyGroup, tm.Key)
		if err := fire(tm); err != nil {
			return err
		}
	}
}

func (t *timerService) NextProcessingTime() (int64, bool, error) { return next(t.proc) }
func (t *timerService) NextEventTime() (int64, bool, error)      { return next(t.event) }

func next(q kv.TimerQueue) (int64, bool, error) {
	tm, ok, err := q.Peek()
	return tm.Timestamp, ok, err
}
