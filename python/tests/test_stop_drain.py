"""stop_with_savepoint(advance_to_end_of_event_time=True), Flink's `stop --drain`: the
sources end as at the end of their input, so every event-time window holding records fires,
every operator sees its end of input and a FileSink commits all it wrote through the
savepoint; without it the open windows stay in the savepoint."""
import os
import time
from pathlib import Path

from pyflink_go.common import Configuration, Duration, Encoder, Types, WatermarkStrategy
from pyflink_go.common.watermark_strategy import TimestampAssigner
from pyflink_go.datastream import StreamExecutionEnvironment
from pyflink_go.datastream.connectors.file_system import FileSink
from pyflink_go.datastream.connectors.number_seq import NumberSequenceSource
from pyflink_go.datastream.functions import ProcessWindowFunction
from pyflink_go.datastream.window import TumblingEventTimeWindows


class TenMillisEach(TimestampAssigner):
    def extract_timestamp(self, value, record_timestamp):
        return value * 10  # 100 numbers per 1 s window


class CountWindow(ProcessWindowFunction):
    def process(self, key, context, elements):
        ns = list(elements)
        yield "%d,%d,%d,%d" % (key, context.window().start, len(ns), max(ns))


def seen_by(path):
    def f(n):
        with open(path, "a") as out:
            out.write("%d\n" % n)
        time.sleep(0.0003)
        return n
    return f


def append_to(path):
    def f(line):
        with open(path, "a") as out:
            out.write(line + "\n")
        return line
    return f


def stop_once_started(client, seen: Path, drain: bool, savepoints: Path) -> str:
    """Stops the job with a savepoint once ``seen`` shows it has consumed a few thousand
    numbers; waits for its end and returns the savepoint's path."""
    deadline = time.monotonic() + 60
    while not (seen.exists() and seen.stat().st_size > 20_000):
        assert time.monotonic() < deadline, "the job did not start"
        time.sleep(0.05)
    path = client.stop_with_savepoint(drain, str(savepoints)).result()
    client.get_job_execution_result().result()
    return path


def run_and_stop(tmp: Path, drain: bool):
    seen, windows = tmp / "seen", tmp / "windows"
    config = Configuration()
    config.set_string("execution.checkpointing.savepoint-dir", "file://" + str(tmp / "sp"))
    env = StreamExecutionEnvironment.get_execution_environment(config)
    env.set_parallelism(1)
    env.enable_checkpointing(3_600_000)  # only the savepoint is taken
    strategy = WatermarkStrategy.for_bounded_out_of_orderness(Duration.of_millis(0)) \
        .with_timestamp_assigner(TenMillisEach())
    env.from_source(NumberSequenceSource(1, 10 ** 9), strategy, "numbers") \
        .map(seen_by(str(seen)), output_type=Types.LONG()) \
        .key_by(lambda n: n % 3, key_type=Types.LONG()) \
        .window(TumblingEventTimeWindows.of(Duration.of_seconds(1))) \
        .process(CountWindow(), output_type=Types.STRING()) \
        .map(append_to(str(windows)), output_type=Types.STRING()) \
        .filter(lambda _: False).print()
    path = stop_once_started(env.execute_async("drain" if drain else "no drain"), seen, drain,
                             tmp / "sp")
    assert os.path.isdir(path)
    consumed = [int(x) for x in seen.read_text().split()]
    text = windows.read_text() if windows.exists() else ""  # no window may have fired
    fired = [tuple(int(f) for f in line.split(",")) for line in text.split()]
    return consumed, fired


def test_drain_fires_every_open_window(tmp_path):
    consumed, fired = run_and_stop(tmp_path, drain=True)
    last = max(consumed)
    assert sorted(consumed) == list(range(1, last + 1))
    # Every number that went in is counted in exactly one fired window ...
    assert sum(count for _, _, count, _ in fired) == last
    assert max(top for _, _, _, top in fired) == last
    # ... and the last windows, still open at the stop, fired with fewer than 100/3 numbers.
    starts = {start for _, start, _, _ in fired}
    assert max(starts) == (last * 10) // 1000 * 1000


def test_without_drain_open_windows_stay_in_the_savepoint(tmp_path):
    consumed, fired = run_and_stop(tmp_path, drain=False)
    last = max(consumed)
    counted = sum(count for _, _, count, _ in fired)
    # Only windows the watermark closed fired: the numbers of the open ones did not.
    assert counted < last
    assert all(top < last for _, _, _, top in fired)


def committed(out: Path):
    """The lines of the committed part files (in-progress and pending ones are hidden)."""
    lines = []
    for root, dirs, files in os.walk(out):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        lines += [x for f in files if not f.startswith(".")
                  for x in Path(root, f).read_text().split()]
    return lines


def hidden(out: Path):
    return [f for _, _, files in os.walk(out) for f in files if f.startswith(".")]


def sink_job(tmp: Path, seen: Path, resume=None):
    config = Configuration()
    config.set_string("execution.checkpointing.savepoint-dir", "file://" + str(tmp / "sp"))
    if resume:
        config.set_string("execution.state-recovery.path", resume)
    env = StreamExecutionEnvironment.get_execution_environment(config)
    env.set_parallelism(2)
    env.enable_checkpointing(3_600_000)  # only the savepoint is taken
    env.from_source(NumberSequenceSource(1, 10 ** 9), WatermarkStrategy.no_watermarks(), "numbers") \
        .map(seen_by(str(seen)), output_type=Types.LONG()) \
        .map(lambda n: str(n), output_type=Types.STRING()) \
        .sink_to(FileSink.for_row_format(str(tmp / "out"), Encoder.simple_string_encoder()).build())
    return env


def test_drain_commits_everything_the_file_sink_wrote(tmp_path):
    seen = tmp_path / "seen"
    path = stop_once_started(sink_job(tmp_path, seen).execute_async("drain into files"), seen,
                             True, tmp_path / "sp")
    assert Path(path, "_metadata").exists()
    consumed = sorted(int(x) for x in seen.read_text().split())
    # The sink's end of input rolled its in-progress files, and the savepoint, its final
    # checkpoint, committed them: every number is visible, once, and nothing stays hidden.
    assert sorted(int(x) for x in committed(tmp_path / "out")) == consumed
    assert hidden(tmp_path / "out") == []

    # The drained job is finished in its savepoint: resumed from it, it reads nothing more.
    resumed = sink_job(tmp_path, seen, resume=path).execute_async("resumed")
    try:
        resumed.get_job_execution_result().result(timeout=60)
    except Exception:
        resumed.cancel()
        raise
    assert sorted(int(x) for x in seen.read_text().split()) == consumed
    assert sorted(int(x) for x in committed(tmp_path / "out")) == consumed
