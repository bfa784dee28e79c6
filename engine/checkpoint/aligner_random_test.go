package checkpoint

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// item is one thing on an input channel of the simulated task.
type item struct {
	kind  byte  // 'r' record, 'b' barrier, 'c' cancel barrier, 'e' end of input
	id    int64 // barrier or cancel id; for a record, the id of the marker before it (0: none)
	index int   // records: position on the channel
}

// genChannels builds the inputs of a task: every upstream sends checkpoints
// 1..k in order as barriers (or, having declined, cancel barriers), with
// records between them, and may end early.
func genChannels(r *rand.Rand, channels int, k int64) [][]item {
	in := make([][]item, channels)
	for ch := range in {
		last, n := int64(0), 0
		end := k + 1
		if r.IntN(3) == 0 {
			end = r.Int64N(k + 1)
		}
		for id := int64(1); id <= k; id++ {
			for range r.IntN(4) {
				in[ch] = append(in[ch], item{kind: 'r', id: last, index: n})
				n++
			}
			if id > end {
				break
			}
			kind := byte('b')
			if r.IntN(12) == 0 {
				kind = 'c'
			}
			in[ch] = append(in[ch], item{kind: kind, id: id})
			last = id
		}
		in[ch] = append(in[ch], item{kind: 'e'})
	}
	return in
}

// runAligner plays the inputs through an aligner the way the runtime will:
// channels interleave at random, what arrives on a blocked channel is held,
// UnblockAll replays the held items. It checks at every snapshot that the
// records processed are exactly those before the barrier (ExactlyOnce) or at
// least those (AtLeastOnce).
func runAligner(t *testing.T, seed uint64, mode Mode) {
	r := rand.New(rand.NewPCG(seed, seed))
	channels := 1 + r.IntN(4)
	k := int64(1 + r.IntN(8))
	in := genChannels(r, channels, k)
	next := make([]int, channels) // read position per channel
	held := make([][]item, channels)
	processed := make([]int, channels) // records processed per channel (in order)
	canceled, sent := map[int64]bool{}, map[int64]bool{}
	for _, c := range in {
		for _, it := range c {
			switch it.kind {
			case 'c':
				canceled[it.id] = true
			case 'b':
				sent[it.id] = true
			}
		}
	}
	a := NewAligner(channels, mode)
	var lastTrigger int64
	triggered := map[int64]bool{}
	fail := func(format string, args ...any) {
		t.Helper()
		t.Fatalf("seed %d mode %s channels %d: %s", seed, mode, channels, fmt.Sprintf(format, args...))
	}

	var process func(ch int, it item)
	apply := func(ds []AlignerDecision, err error) {
		if err != nil {
			fail("%v", err)
		}
		for _, d := range ds {
			switch d.Action {
			case Block:
				if mode != ExactlyOnce {
					fail("blocked in %s", mode)
				}
			case TriggerSnapshot:
				if d.ID <= lastTrigger {
					fail("trigger %d after %d", d.ID, lastTrigger)
				}
				lastTrigger = d.ID
				triggered[d.ID] = true
				// The cut: every record before barrier d.ID is in, and in
				// exactly-once mode none after it.
				for ch, c := range in {
					before := 0
					for _, it := range c {
						if it.kind == 'r' && it.id < d.ID {
							before++
						}
					}
					if processed[ch] < before || (mode == ExactlyOnce && processed[ch] > before) {
						fail("snapshot %d: channel %d processed %d records, %d precede the barrier", d.ID, ch, processed[ch], before)
					}
				}
			case UnblockAll:
				for ch := range held {
					for len(held[ch]) > 0 && !a.Blocked(ch) {
						it := held[ch][0]
						held[ch] = held[ch][1:]
						process(ch, it)
					}
				}
			}
		}
	}
	process = func(ch int, it item) {
		switch it.kind {
		case 'r':
			if it.index != processed[ch] {
				fail("channel %d: record %d processed out of order", ch, it.index)
			}
			processed[ch]++
		case 'b':
			apply(a.Barrier(ch, it.id, nil))
		case 'c':
			apply(a.CancelBarrier(it.id, nil), nil)
		case 'e':
			apply(a.EndOfInput(ch, nil))
		}
	}
	for {
		var open []int
		for ch := range in {
			if next[ch] < len(in[ch]) {
				open = append(open, ch)
			}
		}
		if len(open) == 0 {
			break
		}
		ch := open[r.IntN(len(open))]
		it := in[ch][next[ch]]
		next[ch]++
		if a.Blocked(ch) || len(held[ch]) > 0 {
			held[ch] = append(held[ch], it)
			continue
		}
		process(ch, it)
	}
	for ch := range held {
		if len(held[ch]) > 0 {
			fail("channel %d: %d items still held at the end", ch, len(held[ch]))
		}
	}
	if _, ok := a.Aligning(); ok {
		fail("still aligning at the end")
	}
	// Every checkpoint whose barrier reached the task and that no upstream
	// declined is taken. In AtLeastOnce mode a cancel barrier also drops the
	// older checkpoints still pending (as Flink's CheckpointBarrierTracker does).
	for id := int64(1); id <= k; id++ {
		dropped := canceled[id] || !sent[id]
		for c := range canceled {
			dropped = dropped || (mode == AtLeastOnce && c > id)
		}
		if !dropped && !triggered[id] {
			fail("checkpoint %d was never triggered", id)
		}
	}
}

func TestAlignerRandomFixedSeeds(t *testing.T) {
	for seed := uint64(1); seed <= 2000; seed++ {
		runAligner(t, seed, ExactlyOnce)
		runAligner(t, seed, AtLeastOnce)
	}
}

func TestAlignerRandom(t *testing.T) {
	seed := rand.Uint64()
	t.Logf("seed %d", seed)
	for i := range uint64(500) {
		runAligner(t, seed+i, ExactlyOnce)
		runAligner(t, seed+i, AtLeastOnce)
	}
}
