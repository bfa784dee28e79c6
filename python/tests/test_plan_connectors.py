"""The plan nodes of sources and sinks: from_source, read_text_file, FileSink, StreamingFileSink,
print sinks given as sink functions, and the collect sink."""

import os

import pytest

from pyflink_go.common import Duration, Encoder, Types, WatermarkStrategy
from pyflink_go.common.serialization import SimpleStringEncoder
from pyflink_go.common.watermark_strategy import TimestampAssigner
from pyflink_go.datastream import SinkFunction, StreamExecutionEnvironment
from pyflink_go.datastream._plan import build_plan
from pyflink_go.datastream.connectors import FileSink, FileSource, NumberSequenceSource, \
    OutputFileConfig, RollingPolicy, Sink, StreamFormat, StreamingFileSink
from pyflink_go.datastream.connectors.file_system import BucketAssigner

pytestmark = pytest.mark.filterwarnings("ignore:Deprecated in 1.15")


@pytest.fixture
def env(monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    monkeypatch.setenv("PYFLINK_GO_PRESTART", "0")
    return StreamExecutionEnvironment.get_execution_environment()


def plan_of(env):
    return build_plan(env, env._transformations)


def node(plan, stream_or_sink):
    return next(n for n in plan["nodes"] if n["id"] == stream_or_sink._transformation.id)


class Stamp(TimestampAssigner):
    def extract_timestamp(self, value, record_timestamp):
        return value


def test_number_sequence_source(env):
    strategy = WatermarkStrategy.for_bounded_out_of_orderness(Duration.of_seconds(5)) \
        .with_idleness(Duration.of_minutes(1))
    ds = env.from_source(NumberSequenceSource(1, 10), strategy, "seq")
    ds.print()
    n = node(plan_of(env), ds)
    assert ds.get_name() == "seq"
    assert ds.get_type() == Types.LONG()
    assert n["kind"] == "number_sequence_source"
    assert n["name"] == "Source: seq"
    assert n["parallelism"] == 2
    assert n["out_type"] == {"t": "LONG"}
    assert n["params"]["from"] == 1 and n["params"]["to"] == 10
    assert n["params"]["watermark_strategy"] == {
        "kind": "bounded_out_of_orderness", "max_out_of_orderness_ms": 5000,
        "idle_timeout_ms": 60000, "has_timestamp_assigner": False}
    assert "timestamp_assigner" not in n["params"]


def test_timestamp_assigner_runs_after_the_source(env):
    import cloudpickle
    strategy = WatermarkStrategy.for_monotonous_timestamps()
    assert strategy.with_timestamp_assigner(Stamp()) is strategy
    ds = env.from_source(NumberSequenceSource(0, 1), strategy, "seq")
    ds.print()
    plan = plan_of(env)
    params = node(plan, ds)["params"]
    assert params["watermark_strategy"]["kind"] == "monotonous"
    assert params["watermark_strategy"]["has_timestamp_assigner"] is True
    assert "timestamp_assigner" not in params
    stamp, watermarks = plan["nodes"][1:3]
    assert (stamp["params"]["func"], watermarks["kind"]) == ("timestamp_assigner", "watermarks")
    assert cloudpickle.loads(stamp["params"]["fn"]).extract_timestamp(42, -1) == 42


@pytest.mark.parametrize("start, end, error", [(5, 1, ValueError), (1.5, 2, TypeError)])
def test_number_sequence_bounds(start, end, error):
    with pytest.raises(error):
        NumberSequenceSource(start, end)


def test_file_source(env, tmp_path):
    (tmp_path / "a.txt").write_text("x\n")
    source = FileSource.for_record_stream_format(StreamFormat.text_line_format("latin-1"),
                                                 str(tmp_path)).process_static_file_set().build()
    ds = env.from_source(source, WatermarkStrategy.no_watermarks(), "files")
    ds.map(lambda line: line).print()
    plan = plan_of(env)
    n = node(plan, ds)
    assert n["kind"] == "file_source"
    assert n["name"] == "Source: files"
    assert n["out_type"] == {"t": "STRING"}
    assert n["params"]["paths"] == [str(tmp_path)]
    assert n["params"]["format"] == "text_line"
    assert n["params"]["charset"] == "latin-1"
    assert "monitor_interval_ms" not in n["params"]


def test_missing_input_file_names_the_path(env, tmp_path):
    missing = str(tmp_path / "nope.txt")
    source = FileSource.for_record_stream_format(StreamFormat.text_line_format(), missing).build()
    env.from_source(source, WatermarkStrategy.no_watermarks(), "file_source").print()
    with pytest.raises(FileNotFoundError, match="'Source: file_source'.*nope.txt"):
        plan_of(env)


def test_continuous_file_source_makes_automatic_mode_streaming(env, tmp_path):
    from pyflink_go.datastream import RuntimeExecutionMode
    env.set_runtime_mode(RuntimeExecutionMode.AUTOMATIC)
    source = FileSource.for_record_stream_format(StreamFormat.text_line_format(),
                                                 str(tmp_path / "later")) \
        .monitor_continuously(Duration.of_seconds(2)).build()
    ds = env.from_source(source, WatermarkStrategy.no_watermarks(), "watch")
    ds.print()
    plan = plan_of(env)
    assert plan["mode"] == "STREAMING"
    assert node(plan, ds)["params"]["monitor_interval_ms"] == 2000


def test_read_text_file(env, tmp_path):
    path = tmp_path / "in.txt"
    path.write_text("a\nb\n")
    ds = env.read_text_file("file://" + str(path))
    ds.print()
    n = node(plan_of(env), ds)
    assert (n["kind"], n["name"], n["params"]["paths"]) == \
        ("file_source", "Custom File Source", [str(path)])


def test_file_sink_with_settings(env, tmp_path):
    sink = FileSink.for_row_format(str(tmp_path), Encoder.simple_string_encoder("UTF-16")) \
        .with_output_file_config(OutputFileConfig.builder().with_part_prefix("prefix")
                                 .with_part_suffix(".ext").build()) \
        .with_rolling_policy(RollingPolicy.default_rolling_policy(part_size=1024,
                                                                  rollover_interval=10,
                                                                  inactivity_interval=20)) \
        .with_bucket_assigner(BucketAssigner.base_path_bucket_assigner()) \
        .with_bucket_check_interval(5).build()
    ds = env.from_collection(["a"], Types.STRING())
    written = ds.sink_to(sink)
    plan = plan_of(env)
    n = node(plan, written)
    assert n["kind"] == "file_sink"
    assert n["name"] == "Sink"
    assert n["inputs"] == [{"node": ds._transformation.id, "partition": "auto"}]
    assert n["params"] == {
        "base_path": str(tmp_path), "part_prefix": "prefix", "part_suffix": ".ext",
        "bucket_check_interval": 5, "legacy": False, "encoder": "simple_string",
        "charset": "UTF-16", "bucket_assigner": "base_path", "bucket_format": None,
        "bucket_timezone": None,
        "rolling": {"part_size": 1024, "rollover_interval": 10, "inactivity_interval": 20,
                    "on_checkpoint": False}}


def test_on_checkpoint_rolling_policy(env, tmp_path):
    sink = StreamingFileSink.for_row_format(str(tmp_path), SimpleStringEncoder()) \
        .with_rolling_policy(RollingPolicy.on_checkpoint_rolling_policy()).build()
    written = env.from_collection(["a"], Types.STRING()).add_sink(sink)
    n = node(plan_of(env), written)
    assert n["name"] == "Unnamed"
    assert n["params"]["legacy"] is True
    assert n["params"]["rolling"]["on_checkpoint"] is True


@pytest.mark.parametrize("type_info, rendered", [
    (None, True),
    (Types.ROW([Types.STRING()]), False),
    (Types.TUPLE([Types.STRING()]), False),
])
def test_file_sink_renders_untyped_streams_with_str(env, tmp_path, type_info, rendered):
    sink = FileSink.for_row_format(str(tmp_path), Encoder.simple_string_encoder()).build()
    env.from_collection([("a",)], type_info=type_info).sink_to(sink)
    kinds = [(n["kind"], n["params"].get("style")) for n in plan_of(env)["nodes"]]
    expected = [("collection_source", None)] + ([("python", "pickled")] if rendered else []) + \
        [("file_sink", None)]
    assert kinds == expected


def test_print_sink_as_sink_function_and_sink(env):
    ds = env.from_collection(["a"], Types.STRING())
    legacy = ds.add_sink(SinkFunction("org.apache.flink.streaming.api.functions.sink."
                                      "PrintSinkFunction"))
    unified = ds.sink_to(Sink("org.apache.flink.streaming.api.functions.sink.PrintSink"))
    plan = plan_of(env)
    assert (node(plan, legacy)["kind"], node(plan, legacy)["name"]) == ("print_sink", "Unnamed")
    assert (node(plan, unified)["kind"], node(plan, unified)["name"]) == ("print_sink", "Sink")


def test_unknown_java_sinks_are_refused(env):
    ds = env.from_collection(["a"], Types.STRING())
    with pytest.raises(NotImplementedError, match="not available in pyflink_go"):
        ds.add_sink(SinkFunction("com.example.MySink"))
    with pytest.raises(NotImplementedError, match="not available in pyflink_go"):
        ds.sink_to(Sink("com.example.MySink"))
        plan_of(env)


def test_collect_sink(env):
    from pyflink_go._testing import FakeEngine
    ds = env.from_collection([1, 2], Types.INT())
    with FakeEngine().installed() as engine:
        assert ds.execute_and_collect(limit=5) == []
    collect = engine.plans[0]["nodes"][-1]
    assert collect["kind"] == "collect_sink"
    assert collect["name"] == "Data stream collect sink"
    assert collect["parallelism"] == 1
    assert collect["params"] == {"limit": 5}
    assert collect["out_type"] == {"t": "INT"}
    assert engine.plans[0]["job_name"] == "DataStream Collect"


@pytest.mark.parametrize("limit", [0, -1, 1.5])
def test_collect_limit_must_be_positive(env, limit):
    with pytest.raises(ValueError, match="Limit must be greater than 0"):
        env.from_collection([1]).execute_and_collect(limit=limit)


@pytest.mark.parametrize("call", [
    lambda env: env.add_source(object()),
    lambda env: env.create_input(object()),
    lambda env: env.from_collection([1]).partition_custom(lambda k, n: 0, lambda x: x),
    lambda env: env.from_collection([1]).cache(),
])
def test_unsupported_parts_say_so(env, call):
    with pytest.raises(NotImplementedError, match="pyflink_go"):
        call(env)
