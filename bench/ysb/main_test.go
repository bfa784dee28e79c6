package main

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/pyflink-go/pyflink-go/engine/stream"
)

// reference computes the per-campaign, per-window view counts the job must
// print, as bench/workloads/expected.py does.
func reference(n, windowEvents int64) []string {
	counts := map[string]int64{}
	for i := int64(0); i < n; i++ {
		if i%3 != 0 {
			continue
		}
		t := i * windowMS / windowEvents
		key := fmt.Sprintf("campaign-%d,%d", i*7%(campaigns*adsPerCampaign)/adsPerCampaign, t-t%windowMS+windowMS)
		counts[key]++
	}
	out := make([]string, 0, len(counts))
	for k, c := range counts {
		out = append(out, fmt.Sprintf("%s,%d", k, c))
	}
	sort.Strings(out)
	return out
}

func TestCountsMatchReference(t *testing.T) {
	const n, windowEvents = 6000, 1000
	want := reference(n, windowEvents)
	for _, p := range []int{1, 2} {
		t.Run(fmt.Sprintf("p%d", p), func(t *testing.T) {
			env := stream.NewEnvironment(stream.WithParallelism(p))
			var mu sync.Mutex
			var got []string
			err := build(env, n, windowEvents, func(line string) error {
				data, latency, ok := strings.Cut(line, "|")
				if !ok || latency == "" {
					return fmt.Errorf("line %q has no latency", line)
				}
				mu.Lock()
				got = append(got, data)
				mu.Unlock()
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if err := env.Execute(context.Background(), "ysb"); err != nil {
				t.Fatal(err)
			}
			sort.Strings(got)
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Fatalf("got %d lines, want %d; first: %v vs %v", len(got), len(want), got[:min(3, len(got))], want[:3])
			}
		})
	}
}

func TestRenderParses(t *testing.T) {
	v := project(render(4, 1000))
	if v.AdID != "ad-28" || v.EventTime != 40 || v.EventType != "click" || v.CreatedMS <= 0 {
		t.Fatalf("parsed %+v", v)
	}
	if campaignOf("ad-999") != "campaign-99" {
		t.Fatal("campaignOf")
	}
}
