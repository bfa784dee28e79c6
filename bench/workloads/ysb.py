"""Workload 4: YSB-lite, the Yahoo Streaming Benchmark without Kafka or Redis.

An in-job generator renders JSON ad events (event time advances by
--window-events events per 10 s window); the job parses them, keeps the "view"
events, joins ad -> campaign from a static in-memory map, and counts per
campaign in 10 s tumbling event-time windows. Each window result is printed as
"campaign,window_end,count|latency_ms", where latency is from the wall-clock
creation of the window's last event to the window's emission; the harness
compares the part before "|" and takes percentiles of the rest.

Runs unchanged on PyFlink and on pyflink-go (`python -m pyflink_go ysb.py`).
"""
import argparse
import json
import time

from pyflink.common import Configuration, Duration, Types, WatermarkStrategy
from pyflink.common.time import Time
from pyflink.common.watermark_strategy import TimestampAssigner
from pyflink.datastream import StreamExecutionEnvironment
from pyflink.datastream.connectors.number_seq import NumberSequenceSource
from pyflink.datastream.functions import ProcessWindowFunction
from pyflink.datastream.window import TumblingEventTimeWindows

CAMPAIGNS = 100
ADS_PER_CAMPAIGN = 10
EVENT_TYPES = ("view", "click", "purchase")
WINDOW_MS = 10_000
# The static ad -> campaign table that YSB keeps in Redis.
AD_TO_CAMPAIGN = {"ad-%d" % a: "campaign-%d" % (a // ADS_PER_CAMPAIGN)
                  for a in range(CAMPAIGNS * ADS_PER_CAMPAIGN)}


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=2_000_000, help="number of events")
    p.add_argument("--window-events", type=int, default=100_000,
                   help="events per 10 s of event time")
    p.add_argument("--parallelism", type=int, default=1)
    p.add_argument("--conf", action="append", default=[], metavar="KEY=VALUE")
    return p.parse_args()


def make_env(args):
    config = Configuration()
    for entry in args.conf:
        key, _, value = entry.partition("=")
        config.set_string(key, value)
    env = StreamExecutionEnvironment.get_execution_environment(config)
    env.set_parallelism(args.parallelism)
    return env


def make_event(window_events):
    """Returns n -> a JSON ad event; its event time is n's place in the windows."""
    def event(n):
        return json.dumps({
            "user_id": "user-%d" % (n % 9973), "page_id": "page-%d" % (n % 101),
            "ad_id": "ad-%d" % (n * 7 % (CAMPAIGNS * ADS_PER_CAMPAIGN)),
            "ad_type": "banner", "event_type": EVENT_TYPES[n % 3],
            "event_time": n * WINDOW_MS // window_events,
            "ip_address": "10.0.%d.%d" % (n % 256, n // 256 % 256),
            "created_ms": time.time() * 1000.0})
    return event


class EventTime(TimestampAssigner):
    """Reads the event time back from the tuple built by `project`."""

    def extract_timestamp(self, value, record_timestamp):
        return value[1]


def project(doc):
    """Parses an event into (ad_id, event_time, event_type, created_ms)."""
    e = json.loads(doc)
    return e["ad_id"], e["event_time"], e["event_type"], e["created_ms"]


class EmitWindow(ProcessWindowFunction):
    """Formats a window's count and its latency."""

    def process(self, key, context, elements):
        for campaign, count, last_created in elements:
            latency = time.time() * 1000.0 - last_created
            yield "%s,%d,%d|%.3f" % (campaign, context.window().end, count, latency)


def main():
    args = parse_args()
    env = make_env(args)
    parsed_type = Types.TUPLE([Types.STRING(), Types.LONG(), Types.STRING(), Types.DOUBLE()])
    counted_type = Types.TUPLE([Types.STRING(), Types.LONG(), Types.DOUBLE()])
    numbers = env.from_source(NumberSequenceSource(0, args.n - 1),
                              WatermarkStrategy.no_watermarks(), "events")
    docs = numbers.map(make_event(args.window_events), output_type=Types.STRING())
    events = docs.map(project, output_type=parsed_type).assign_timestamps_and_watermarks(
        WatermarkStrategy.for_bounded_out_of_orderness(Duration.of_millis(0))
        .with_timestamp_assigner(EventTime()))
    views = events.filter(lambda e: e[2] == "view")
    joined = views.map(lambda e: (AD_TO_CAMPAIGN[e[0]], 1, e[3]), output_type=counted_type)
    joined.key_by(lambda c: c[0], key_type=Types.STRING()) \
        .window(TumblingEventTimeWindows.of(Time.milliseconds(WINDOW_MS))) \
        .reduce(lambda a, b: (a[0], a[1] + b[1], max(a[2], b[2])),
                window_function=EmitWindow(), output_type=Types.STRING()) \
        .print()
    env.execute("w4-ysb-lite")


if __name__ == "__main__":
    main()
