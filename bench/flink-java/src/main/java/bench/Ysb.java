package bench;

import java.time.Duration;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.api.java.tuple.Tuple4;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * Workload 4 natively on Flink: YSB-lite as a Java DataStream job.
 *
 * <p>The same pipeline as bench/workloads/ysb.py: an in-job generator of JSON ad events,
 * parse, keep "view" events, join ad to campaign from a static map, count per campaign in
 * 10 s tumbling event-time windows, print "campaign,window_end,count|latency_ms".
 *
 * <p>Usage: Ysb [--n N] [--window-events E] [--parallelism P]
 */
public final class Ysb {
    static final int CAMPAIGNS = 100;
    static final int ADS_PER_CAMPAIGN = 10;
    static final long WINDOW_MS = 10_000;
    static final String[] EVENT_TYPES = {"view", "click", "purchase"};

    public static void main(String[] args) throws Exception {
        long n = 2_000_000;
        long windowEvents = 100_000;
        int parallelism = 1;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--n" -> n = Long.parseLong(args[i + 1]);
                case "--window-events" -> windowEvents = Long.parseLong(args[i + 1]);
                case "--parallelism" -> parallelism = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        final long perWindow = windowEvents;
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(parallelism);

        env.fromSequence(0, n - 1)
                .map(i -> event(i, perWindow)).returns(Types.STRING)
                .map(Ysb::project)
                .returns(Types.TUPLE(Types.STRING, Types.LONG, Types.STRING, Types.DOUBLE))
                .assignTimestampsAndWatermarks(
                        WatermarkStrategy.<Tuple4<String, Long, String, Double>>forBoundedOutOfOrderness(Duration.ZERO)
                                .withTimestampAssigner((e, ts) -> e.f1))
                .filter(e -> e.f2.equals("view"))
                .map(e -> Tuple3.of(campaignOf(e.f0), 1L, e.f3))
                .returns(Types.TUPLE(Types.STRING, Types.LONG, Types.DOUBLE))
                .keyBy(c -> c.f0)
                .window(TumblingEventTimeWindows.of(Duration.ofMillis(WINDOW_MS)))
                .reduce((a, b) -> Tuple3.of(a.f0, a.f1 + b.f1, Math.max(a.f2, b.f2)), new EmitWindow())
                .returns(Types.STRING)
                .print();
        env.execute("w4-ysb-lite-java");
    }

    /** Renders event i as JSON; its event time is i's place in the windows. */
    static String event(long i, long windowEvents) {
        StringBuilder b = new StringBuilder(256);
        b.append("{\"user_id\": \"user-").append(i % 9973)
                .append("\", \"page_id\": \"page-").append(i % 101)
                .append("\", \"ad_id\": \"ad-").append(i * 7 % (CAMPAIGNS * ADS_PER_CAMPAIGN))
                .append("\", \"ad_type\": \"banner\", \"event_type\": \"").append(EVENT_TYPES[(int) (i % 3)])
                .append("\", \"event_time\": ").append(i * WINDOW_MS / windowEvents)
                .append(", \"ip_address\": \"10.0.").append(i % 256).append('.').append(i / 256 % 256)
                .append("\", \"created_ms\": ").append((double) System.currentTimeMillis())
                .append('}');
        return b.toString();
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Parses an event into (ad_id, event_time, event_type, created_ms). */
    static Tuple4<String, Long, String, Double> project(String doc) throws Exception {
        JsonNode e = JSON.readTree(doc);
        return Tuple4.of(e.get("ad_id").asText(), e.get("event_time").asLong(),
                e.get("event_type").asText(), e.get("created_ms").asDouble());
    }

    /** The static ad -> campaign table that YSB keeps in Redis. */
    static String campaignOf(String adId) {
        return CAMPAIGN_NAMES[Integer.parseInt(adId.substring(3)) / ADS_PER_CAMPAIGN];
    }

    private static final String[] CAMPAIGN_NAMES = new String[CAMPAIGNS];

    static {
        for (int c = 0; c < CAMPAIGNS; c++) {
            CAMPAIGN_NAMES[c] = "campaign-" + c;
        }
    }

    /** Formats a window's count and its latency. */
    static final class EmitWindow
            extends ProcessWindowFunction<Tuple3<String, Long, Double>, String, String, TimeWindow> {
        @Override
        public void process(String key, Context ctx, Iterable<Tuple3<String, Long, Double>> elements,
                            Collector<String> out) {
            for (Tuple3<String, Long, Double> c : elements) {
                double latency = System.currentTimeMillis() - c.f2;
                out.collect(String.format("%s,%d,%d|%.3f", c.f0, ctx.window().getEnd(), c.f1, latency));
            }
        }
    }
}
