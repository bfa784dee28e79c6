"""pyflink_go.common and the module tree: configuration, time values, settings objects, and the
names PyFlink programs import."""

import importlib
import subprocess
import sys
from datetime import timedelta

import pytest

from pyflink_go._durations import format_duration_ms, parse_duration_ms
from pyflink_go.common import Configuration, Duration, ExecutionConfig, Instant, JobStatus, \
    RestartStrategies, Time, WatermarkStrategy
from pyflink_go.common._config_keys import format_map, parse_map
from pyflink_go.common.completable_future import CompletableFuture
from pyflink_go.datastream import CheckpointConfig, CheckpointingMode, \
    ExternalizedCheckpointCleanup, StreamExecutionEnvironment

PYFLINK_NAMES = [
    ("pyflink_go.common", ["Configuration", "ConfigOption", "ConfigOptions", "ExecutionConfig",
                           "TypeInformation", "TypeSerializer", "Types", "SerializationSchema",
                           "DeserializationSchema", "SimpleStringSchema", "Encoder",
                           "CompletableFuture", "ExecutionMode", "InputDependencyConstraint",
                           "JobClient", "JobExecutionResult", "JobID", "JobStatus",
                           "RestartStrategies", "RestartStrategyConfiguration", "Row", "RowKind",
                           "WatermarkStrategy", "Duration", "Instant", "Time"]),
    ("pyflink_go.common.serialization", ["SimpleStringEncoder", "Encoder", "SimpleStringSchema"]),
    ("pyflink_go.common.typeinfo", ["Types", "RowTypeInfo", "TupleTypeInfo"]),
    ("pyflink_go.common.watermark_strategy", ["WatermarkStrategy", "TimestampAssigner"]),
    ("pyflink_go.datastream", ["StreamExecutionEnvironment", "DataStream", "KeyedStream",
                               "DataStreamSink", "MapFunction", "FlatMapFunction",
                               "FilterFunction", "ReduceFunction", "KeySelector",
                               "RuntimeContext", "SinkFunction", "SourceFunction",
                               "ProcessFunction", "KeyedProcessFunction",
                               "RuntimeExecutionMode", "CheckpointingMode", "CheckpointConfig",
                               "TimeCharacteristic", "TimeDomain", "OutputTag",
                               "HashMapStateBackend", "EmbeddedRocksDBStateBackend",
                               "TimeWindow", "TriggerResult", "SlotSharingGroup"]),
    ("pyflink_go.datastream.data_stream", ["CloseableIterator", "DataStreamSink"]),
    ("pyflink_go.datastream.functions", ["Function", "MapFunction", "AggregateFunction"]),
    ("pyflink_go.datastream.connectors", ["FileSource", "FileSink", "StreamingFileSink",
                                          "NumberSequenceSource", "StreamFormat",
                                          "OutputFileConfig", "RollingPolicy", "Source", "Sink"]),
    ("pyflink_go.datastream.connectors.file_system", ["FileSource", "FileSink",
                                                      "StreamingFileSink", "BucketAssigner"]),
    ("pyflink_go.datastream.connectors.number_seq", ["NumberSequenceSource"]),
]


@pytest.mark.parametrize("module, names", PYFLINK_NAMES)
def test_pyflink_names_exist(module, names):
    imported = importlib.import_module(module)
    for name in names:
        assert hasattr(imported, name), "%s.%s is missing" % (module, name)
    for name in getattr(imported, "__all__", []):
        assert hasattr(imported, name), "%s.__all__ lists missing %s" % (module, name)


def test_unavailable_connector_says_so():
    import pyflink_go.datastream.connectors as connectors
    with pytest.raises(AttributeError, match="KafkaSource is not available"):
        connectors.KafkaSource


def test_importing_the_api_loads_neither_engine_nor_pickling():
    code = ("import sys, pyflink_go.datastream, pyflink_go.common; "
            "print(sorted(m for m in ('cloudpickle', 'msgpack', 'pyflink_go._native', "
            "'pyflink_go._engine_api', 'pyflink_go._codec', 'logging') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={"PYTHONPATH": ":".join(sys.path)}, check=True).stdout
    assert out.strip() == "[]"


# ---- configuration ----

@pytest.mark.parametrize("setter, value, getter, default, expected, text", [
    ("set_string", "v", "get_string", None, "v", "v"),
    ("set_integer", 12, "get_integer", 0, 12, "12"),
    ("set_boolean", True, "get_boolean", False, True, "true"),
    ("set_float", 1.5, "get_float", 0.0, 1.5, "1.5"),
    ("set_bytearray", bytearray(b"ab"), "get_bytearray", None, bytearray(b"ab"), "YWI="),
])
def test_configuration_typed_values(setter, value, getter, default, expected, text):
    config = Configuration()
    assert getattr(config, setter)("k", value) is config
    assert getattr(config, getter)("k", default) == expected
    assert config.get_string("k", None) == text
    assert config.to_dict() == {"k": text}


@pytest.mark.parametrize("stored, getter, expected", [
    ("42", "get_integer", 42),
    ("TRUE", "get_boolean", True),
    ("0.25", "get_float", 0.25),
])
def test_configuration_parses_strings(stored, getter, expected):
    assert getattr(Configuration().set_string("k", stored), getter)("k", None) == expected


def test_configuration_rejects_unparsable_values():
    with pytest.raises(ValueError, match="Configuration key 'k'.*integer"):
        Configuration().set_string("k", "ten").get_integer("k", 0)


def test_configuration_operations():
    a = Configuration().set_string("a", "1")
    b = Configuration(a).set_string("b", "2")
    assert a.key_set() == {"a"} and b.key_set() == {"a", "b"}
    assert a.add_all(b, prefix="x.") is a
    assert a.to_dict() == {"a": "1", "x.a": "1", "x.b": "2"}
    assert a.contains_key("x.b") and a.remove_config("x.b") and not a.remove_config("x.b")
    assert Configuration(a) == a and hash(Configuration(a)) == hash(a)
    target = {}
    b.add_all_to_dict(target)
    assert target == {"a": "1", "b": "2"}
    assert str(b) == "{a=1, b=2}"


@pytest.mark.parametrize("text, millis", [
    ("200 ms", 200), ("200", 200), ("1 s", 1000), ("5s", 5000), ("2 min", 120000),
    ("1 h", 3600000), ("1 d", 86400000), ("3 seconds", 3000),
])
def test_parse_duration(text, millis):
    assert parse_duration_ms(text) == millis


@pytest.mark.parametrize("millis, text", [(0, "0 ms"), (200, "200 ms"), (1000, "1 s"),
                                          (1500, "1500 ms"), (60000, "1 min"), (7200000, "2 h")])
def test_format_duration(millis, text):
    assert format_duration_ms(millis) == text


def test_bad_duration():
    with pytest.raises(ValueError, match="unknown time unit"):
        parse_duration_ms("5 fortnights")


@pytest.mark.parametrize("values", [{}, {"a": "1"}, {"a:b": "c,d", "it's": "x"}])
def test_map_option_round_trip(values):
    assert parse_map(format_map(values)) == values


# ---- time values ----

@pytest.mark.parametrize("duration, millis, text", [
    (Duration.of_millis(1500), 1500, "PT1.5S"),
    (Duration.of_seconds(20), 20000, "PT20S"),
    (Duration.of_minutes(2), 120000, "PT2M"),
    (Duration.of_hours(1), 3600000, "PT1H"),
    (Duration.of_days(1), 86400000, "PT24H"),
    (Duration.of_nanos(2_500_000), 2, "PT0.0025S"),
])
def test_duration(duration, millis, text):
    assert duration.to_milliseconds() == millis
    assert repr(duration) == text
    assert duration == Duration.of_nanos(duration.to_nanos())


@pytest.mark.parametrize("instant, millis", [
    (Instant(1, 500_000_000), 1500),
    (Instant(-1, 500_000_000), -500),
    (Instant(0, 0), 0),
])
def test_instant(instant, millis):
    assert instant.to_epoch_milli() == millis
    assert Instant.of_epoch_milli(millis) == instant
    assert (instant.seconds, instant.nanos) == (Instant.of_epoch_milli(millis).seconds,
                                                Instant.of_epoch_milli(millis).nanos)


@pytest.mark.parametrize("time, millis", [
    (Time.milliseconds(5), 5), (Time.seconds(2), 2000), (Time.minutes(1), 60000),
    (Time.hours(1), 3600000), (Time.days(1), 86400000),
])
def test_time(time, millis):
    assert time.to_milliseconds() == millis
    assert str(time) == "%d ms" % millis


# ---- settings objects ----

def test_execution_config_shares_the_environment_configuration(monkeypatch):
    monkeypatch.setenv("PYFLINK_GO_PRESTART", "0")
    env = StreamExecutionEnvironment.get_execution_environment()
    config = env.get_config()
    config.set_parallelism(3)
    assert env.get_parallelism() == 3
    config.set_parallelism(ExecutionConfig.PARALLELISM_DEFAULT)
    assert env.get_parallelism() == env.get_default_local_parallelism()
    assert config.get_auto_watermark_interval() == 200
    config.set_auto_watermark_interval(50)
    assert env._configuration.get_string("pipeline.auto-watermark-interval", None) == "50 ms"
    assert not config.is_object_reuse_enabled()
    assert config.enable_object_reuse().is_object_reuse_enabled()
    config.set_global_job_parameters({"a": 1})
    assert config.get_global_job_parameters() == {"a": "1"}
    with pytest.raises(ValueError, match="Parallelism must be at least one"):
        config.set_parallelism(0)


def test_restart_strategies():
    config = ExecutionConfig(Configuration())
    config.set_restart_strategy(RestartStrategies.fixed_delay_restart(3, timedelta(seconds=2)))
    strategy = config.get_restart_strategy()
    assert strategy.get_restart_attempts() == 3
    assert strategy.get_delay_between_attempts_interval() == timedelta(seconds=2)
    assert config._configuration.to_dict()["restart-strategy.type"] == "fixed-delay"
    config.set_restart_strategy(RestartStrategies.no_restart())
    assert config.get_restart_strategy() == RestartStrategies.no_restart()
    assert "restart-strategy.fixed-delay.attempts" not in config._configuration.to_dict()


def test_checkpoint_config():
    config = CheckpointConfig(Configuration())
    assert not config.is_checkpointing_enabled()
    assert config.get_checkpoint_interval() == -1
    assert config.get_checkpointing_mode() == CheckpointingMode.EXACTLY_ONCE
    config.set_checkpoint_interval(60000).set_checkpointing_mode(CheckpointingMode.AT_LEAST_ONCE)
    assert config.is_checkpointing_enabled() and config.get_checkpoint_interval() == 60000
    assert config.get_checkpointing_mode() == CheckpointingMode.AT_LEAST_ONCE
    assert config.get_checkpoint_timeout() == 600000
    config.set_externalized_checkpoint_cleanup(
        ExternalizedCheckpointCleanup.RETAIN_ON_CANCELLATION)
    assert config.is_externalized_checkpoints_enabled()
    config.set_checkpoint_storage_dir("file:///tmp/cp")
    assert config.get_checkpoint_storage().get_checkpoint_path() == "file:///tmp/cp"
    with pytest.raises(ValueError, match="larger than or equal to 10 ms"):
        config.set_checkpoint_interval(5)


def test_watermark_strategy_copies_keep_the_assigner():
    assigner = object()
    base = WatermarkStrategy.for_monotonous_timestamps()
    assert base.with_timestamp_assigner(assigner) is base
    idle = base.with_idleness(Duration.of_seconds(10))
    assert idle is not base and idle._timestamp_assigner is assigner
    aligned = idle.with_watermark_alignment("g", Duration.of_seconds(1))
    assert aligned._plan_params() == {
        "kind": "monotonous", "idle_timeout_ms": 10000,
        "alignment": {"group": "g", "max_drift_ms": 1000, "update_interval_ms": 1000},
        "has_timestamp_assigner": True}


@pytest.mark.parametrize("status, terminal, globally", [
    (JobStatus.RUNNING, False, False), (JobStatus.FINISHED, True, True),
    (JobStatus.SUSPENDED, True, False), (JobStatus.CANCELED, True, True),
])
def test_job_status(status, terminal, globally):
    assert status.is_terminal_state() is terminal
    assert status.is_globally_terminal_state() is globally


def test_completable_future():
    future = CompletableFuture()
    assert not future.done()
    with pytest.raises(TimeoutError):
        future.result(timeout=0.05)
    assert future._set_result(5) and not future._set_result(6)
    assert future.done() and future.result() == 5
    failed = CompletableFuture()
    failed._set_exception(ValueError("x"))
    assert isinstance(failed.exception(), ValueError)
    with pytest.raises(ValueError):
        failed.result()
