// Command ysb is workload 4 natively on pyflink-go: YSB-lite written with the
// engine's Go API (engine/stream), the counterpart of bench/flink-java's Ysb.
//
// The pipeline is the one of bench/workloads/ysb.py: an in-job generator of
// JSON ad events, parse, keep "view" events, join ad -> campaign from a static
// map, count per campaign in 10 s tumbling event-time windows, print
// "campaign,window_end,count|latency_ms".
//
// engine/stream has no event-time windows yet, so the last stage reports
// itself as pending: the command exits with status 3 and prints "PENDING: ..."
// on stderr, and the harness shows the row as pending. When windows land,
// countPerWindow is the one function to fill in.
//
//	go run ./bench/ysb --n 2000000 --window-events 100000 --parallelism 2
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/pyflink-go/pyflink-go/engine/stream"
)

const (
	campaigns      = 100
	adsPerCampaign = 10
	windowMS       = 10_000
)

var eventTypes = [...]string{"view", "click", "purchase"}

// errPending marks a stage the engine cannot run yet.
var errPending = errors.New("engine/stream has no event-time windows yet")

// adEvent is one generated YSB event, as JSON.
type adEvent struct {
	UserID    string  `json:"user_id"`
	PageID    string  `json:"page_id"`
	AdID      string  `json:"ad_id"`
	AdType    string  `json:"ad_type"`
	EventType string  `json:"event_type"`
	EventTime int64   `json:"event_time"`
	IPAddress string  `json:"ip_address"`
	CreatedMS float64 `json:"created_ms"`
}

// view is a parsed event reduced to what the query needs.
type view struct {
	AdID      string
	EventTime int64
	EventType string
	CreatedMS float64
}

// campaignHit is a view joined with its campaign.
type campaignHit struct {
	Campaign  string
	EventTime int64
	Count     int64
	CreatedMS float64
}

// adToCampaign is the static table that YSB keeps in Redis.
var adToCampaign = func() map[string]string {
	m := make(map[string]string, campaigns*adsPerCampaign)
	for a := 0; a < campaigns*adsPerCampaign; a++ {
		m["ad-"+strconv.Itoa(a)] = "campaign-" + strconv.Itoa(a/adsPerCampaign)
	}
	return m
}()

// render builds event n as JSON; its event time is n's place in the windows.
func render(n, windowEvents int64) string {
	b, _ := json.Marshal(adEvent{
		UserID:    "user-" + strconv.FormatInt(n%9973, 10),
		PageID:    "page-" + strconv.FormatInt(n%101, 10),
		AdID:      "ad-" + strconv.FormatInt(n*7%(campaigns*adsPerCampaign), 10),
		AdType:    "banner",
		EventType: eventTypes[n%3],
		EventTime: n * windowMS / windowEvents,
		IPAddress: fmt.Sprintf("10.0.%d.%d", n%256, n/256%256),
		CreatedMS: float64(time.Now().UnixNano()) / 1e6,
	})
	return string(b)
}

// project parses an event (a malformed one panics: the generator makes none).
func project(doc string) view {
	var e adEvent
	if err := json.Unmarshal([]byte(doc), &e); err != nil {
		panic(err)
	}
	return view{AdID: e.AdID, EventTime: e.EventTime, EventType: e.EventType, CreatedMS: e.CreatedMS}
}

// countPerWindow counts hits per campaign in 10 s tumbling event-time windows
// and prints one "campaign,window_end,count|latency_ms" line per window.
func countPerWindow(hits stream.Stream[campaignHit]) error {
	_ = hits
	return errPending
}

func main() {
	n := flag.Int64("n", 2_000_000, "number of events")
	windowEvents := flag.Int64("window-events", 100_000, "events per 10 s of event time")
	parallelism := flag.Int("parallelism", 1, "parallelism")
	flag.Parse()

	env := stream.NewEnvironment(stream.WithParallelism(*parallelism))
	docs := stream.Generate(env, *n, func(i int64) string { return render(i, *windowEvents) })
	events := stream.Map(docs, project)
	views := stream.Filter(events, func(v view) bool { return v.EventType == "view" })
	hits := stream.Map(views, func(v view) campaignHit {
		return campaignHit{Campaign: adToCampaign[v.AdID], EventTime: v.EventTime, Count: 1, CreatedMS: v.CreatedMS}
	})
	if err := countPerWindow(hits); err != nil {
		if errors.Is(err, errPending) {
			fmt.Fprintln(os.Stderr, "PENDING:", err)
			os.Exit(3)
		}
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := env.Execute(context.Background(), "w4-ysb-lite-go"); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
