// Command ysb is workload 4 natively on pyflink-go: YSB-lite written with the
// engine's Go API (engine/stream), the counterpart of bench/flink-java's Ysb.
//
// The pipeline is the one of bench/workloads/ysb.py and of Ysb.java: an in-job
// generator of JSON ad events, parse, keep "view" events, join ad -> campaign
// from a static map, count per campaign in 10 s tumbling event-time windows,
// print "campaign,window_end,count|latency_ms". The latency is from the
// wall-clock creation of the window's last event to the window's emission.
//
//	go run ./bench/ysb --n 2000000 --window-events 100000 --parallelism 2
//
// With PYFLINK_GO_CPUPROFILE=<path> (or --cpuprofile) it writes a Go CPU
// profile of the run there.
package main

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"runtime/pprof"
	"strconv"
	"sync"
	"time"

	"github.com/pyflink-go/pyflink-go/engine/stream"
	"github.com/pyflink-go/pyflink-go/engine/watermark"
	"github.com/pyflink-go/pyflink-go/engine/window"
)

const (
	campaigns      = 100
	adsPerCampaign = 10
	windowMS       = 10_000
)

var eventTypes = [...]string{"view", "click", "purchase"}

// adEvent is one generated YSB event, as parsed from JSON.
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
	CreatedMS float64
}

// campaignNames is the static ad -> campaign table that YSB keeps in Redis,
// indexed by ad number.
var campaignNames = func() []string {
	names := make([]string, campaigns)
	for c := range names {
		names[c] = "campaign-" + strconv.Itoa(c)
	}
	return names
}()

// campaignOf joins an ad id ("ad-<number>") with its campaign.
func campaignOf(adID string) string {
	a, err := strconv.Atoi(adID[len("ad-"):])
	if err != nil {
		panic(err)
	}
	return campaignNames[a/adsPerCampaign]
}

// render builds event n as JSON, as Ysb.java does; its event time is n's
// place in the windows.
func render(n, windowEvents int64) string {
	b := make([]byte, 0, 256)
	b = append(b, `{"user_id": "user-`...)
	b = strconv.AppendInt(b, n%9973, 10)
	b = append(b, `", "page_id": "page-`...)
	b = strconv.AppendInt(b, n%101, 10)
	b = append(b, `", "ad_id": "ad-`...)
	b = strconv.AppendInt(b, n*7%(campaigns*adsPerCampaign), 10)
	b = append(b, `", "ad_type": "banner", "event_type": "`...)
	b = append(b, eventTypes[n%3]...)
	b = append(b, `", "event_time": `...)
	b = strconv.AppendInt(b, n*windowMS/windowEvents, 10)
	b = append(b, `, "ip_address": "10.0.`...)
	b = strconv.AppendInt(b, n%256, 10)
	b = append(b, '.')
	b = strconv.AppendInt(b, n/256%256, 10)
	b = append(b, `", "created_ms": `...)
	b = strconv.AppendFloat(b, float64(time.Now().UnixMilli()), 'f', -1, 64)
	b = append(b, '}')
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

// windowCount is the accumulator of a campaign's window: the number of
// views and the creation time of the latest one.
type windowCount struct {
	N         int64
	CreatedMS float64
}

// windowCountCodec stores a windowCount in 16 bytes.
type windowCountCodec struct{}

func (windowCountCodec) Append(dst []byte, c windowCount) ([]byte, error) {
	dst = binary.BigEndian.AppendUint64(dst, uint64(c.N))
	return binary.BigEndian.AppendUint64(dst, math.Float64bits(c.CreatedMS)), nil
}

func (windowCountCodec) Decode(b []byte) (windowCount, error) {
	if len(b) != 16 {
		return windowCount{}, fmt.Errorf("ysb: corrupt window count (%d bytes)", len(b))
	}
	return windowCount{N: int64(binary.BigEndian.Uint64(b)), CreatedMS: math.Float64frombits(binary.BigEndian.Uint64(b[8:]))}, nil
}

// countPerWindow counts hits per campaign in 10 s tumbling event-time
// windows and formats one "campaign,window_end,count|latency_ms" line per
// window and campaign.
func countPerWindow(hits stream.Stream[campaignHit]) (stream.Stream[string], error) {
	assigner, err := window.TumblingEventTime(windowMS, 0)
	if err != nil {
		return stream.Stream[string]{}, err
	}
	keyed := stream.KeyBy(hits, func(h campaignHit) string { return h.Campaign })
	count := window.Aggregate(window.AggregateFunc[campaignHit, windowCount, windowCount]{
		Create: func() windowCount { return windowCount{} },
		Add: func(c windowCount, h campaignHit) windowCount {
			return windowCount{N: c.N + 1, CreatedMS: max(c.CreatedMS, h.CreatedMS)}
		},
		Merge: func(a, b windowCount) windowCount {
			return windowCount{N: a.N + b.N, CreatedMS: max(a.CreatedMS, b.CreatedMS)}
		},
		Result: func(c windowCount) windowCount { return c },
		Codec:  windowCountCodec{},
		Process: func(key any, w window.Window, c windowCount, emit window.Emitter) error {
			latency := float64(time.Now().UnixNano())/1e6 - c.CreatedMS
			return emit(fmt.Sprintf("%s,%d,%d|%.3f", key.(string), w.End, c.N, latency))
		},
	})
	spec := window.GoSpec[string](assigner, count)
	return stream.Transform[campaignHit, string](keyed.Keyed(), "TumblingEventTimeWindows", spec), nil
}

// build adds the YSB-lite job to env; its result lines go to emit.
func build(env *stream.Environment, n, windowEvents int64, emit func(string) error) error {
	docs := stream.Generate(env, n, func(i int64) string { return render(i, windowEvents) })
	events := stream.Map(docs, project)
	stamped := stream.Transform[view, view](events, "Timestamps/Watermarks", watermark.OperatorSpec{
		Strategy: watermark.ForBoundedOutOfOrderness(0),
		Extract:  func(v any, _ int64) (int64, error) { return v.(view).EventTime, nil },
	})
	views := stream.Filter(stamped, func(v view) bool { return v.EventType == "view" })
	hits := stream.Map(views, func(v view) campaignHit {
		return campaignHit{Campaign: campaignOf(v.AdID), CreatedMS: v.CreatedMS}
	})
	lines, err := countPerWindow(hits)
	if err != nil {
		return err
	}
	stream.Sink(lines, emit)
	return nil
}

// printer writes lines to stdout as they come, one write per line.
type printer struct{ mu sync.Mutex }

func (p *printer) print(line string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	_, err := os.Stdout.WriteString(line + "\n")
	return err
}

func main() {
	n := flag.Int64("n", 2_000_000, "number of events")
	windowEvents := flag.Int64("window-events", 100_000, "events per 10 s of event time")
	parallelism := flag.Int("parallelism", 1, "parallelism")
	cpuprofile := flag.String("cpuprofile", os.Getenv("PYFLINK_GO_CPUPROFILE"), "write a CPU profile to this file")
	flag.Parse()
	if *windowEvents <= 0 {
		fmt.Fprintln(os.Stderr, "ysb: --window-events must be positive")
		os.Exit(2)
	}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "ysb: cpu profile:", err)
			os.Exit(1)
		}
		defer func() { pprof.StopCPUProfile(); f.Close() }()
	}
	if err := run(*n, *windowEvents, *parallelism); err != nil {
		fmt.Fprintln(os.Stderr, err)
		pprof.StopCPUProfile()
		os.Exit(1)
	}
}

func run(n, windowEvents int64, parallelism int) error {
	env := stream.NewEnvironment(stream.WithParallelism(parallelism))
	var out printer
	if err := build(env, n, windowEvents, out.print); err != nil {
		return err
	}
	return env.Execute(context.Background(), "w4-ysb-lite-go")
}
