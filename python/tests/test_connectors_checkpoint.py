"""Checkpointed sources and the exactly-once FileSink, end to end.

Each test runs a job with a slow Python map (so the source is held back by backpressure), takes a
savepoint while it runs, cancels the job (the sink discards what no checkpoint holds), and starts
the job again from the savepoint, at the same or another parallelism. The committed output must
then hold every input exactly once: the source resumes where the savepoint left it and the sink
commits the savepoint's pending part files, nothing more. Periodic checkpoints are too rare to
happen, so the savepoint is the only checkpoint.
"""
import os
import time
from pathlib import Path

import pytest

from pyflink_go.common import Configuration, Encoder, Types, WatermarkStrategy
from pyflink_go.datastream import StreamExecutionEnvironment
from pyflink_go.datastream.connectors.file_system import FileSink, FileSource, StreamFormat, \
    OutputFileConfig, StreamingFileSink
from pyflink_go.datastream.connectors.number_seq import NumberSequenceSource


def committed_lines(out: Path):
    """Every line of every committed (visible) part file under ``out``."""
    lines = []
    for root, dirs, files in os.walk(out):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for f in files:
            if not f.startswith("."):
                lines.extend(Path(root, f).read_text().splitlines())
    return lines


def part_names(out: Path):
    return sorted(f for _, _, files in os.walk(out) for f in files if not f.startswith("."))


def make_env(parallelism, savepoints: Path, resume=None):
    config = Configuration()
    if resume:
        config.set_string("execution.state-recovery.path", resume)
    config.set_string("execution.checkpointing.savepoint-dir", "file://" + str(savepoints))
    env = StreamExecutionEnvironment.get_execution_environment(config)
    env.set_parallelism(parallelism)
    env.enable_checkpointing(3_600_000)  # only the savepoint is taken
    return env


def slow_while(marker: str, started: str):
    """A map that is slow while ``marker`` exists, so the source stays behind; it creates
    ``started`` when it first runs."""
    def f(x):
        if os.path.exists(marker):
            if not os.path.exists(started):
                open(started, "w").close()
            time.sleep(0.0003)
        return str(x)
    return f


def run_with_savepoint(tmp: Path, build, parallelism, new_parallelism, out: Path, stop=False):
    """Runs ``build(env, map_function)`` a while, takes a savepoint, cancels (or, with ``stop``,
    stops with the savepoint), resumes from the savepoint and runs to the end. Returns what was
    committed once the first job had ended (the savepoint's part files), and at the end."""
    marker, started = tmp / "slow", tmp / "started"
    marker.write_text("")
    savepoints = tmp / "savepoints"
    env = make_env(parallelism, savepoints)
    build(env, slow_while(str(marker), str(started)))
    client = env.execute_async("checkpointed connectors")
    deadline = time.monotonic() + 60
    while not started.exists():
        assert time.monotonic() < deadline, "the job did not start"
        time.sleep(0.02)
    time.sleep(0.5)
    if stop:
        path = client.stop_with_savepoint(False, str(savepoints)).result()
        client.get_job_execution_result().result()
    else:
        path = client.trigger_savepoint(str(savepoints)).result()
        # The savepoint's part files become visible once the sinks hear it completed.
        deadline = time.monotonic() + 60
        while not committed_lines(out):
            assert time.monotonic() < deadline, "the savepoint's output was never committed"
            time.sleep(0.05)
        client.cancel().result()
    at_cancel = committed_lines(out)
    marker.unlink()
    env = make_env(new_parallelism, savepoints, resume=path)
    build(env, slow_while(str(marker), str(started)))
    env.execute("checkpointed connectors, resumed")
    return at_cancel, committed_lines(out)


@pytest.mark.parametrize("parallelism,new_parallelism,stop",
                         [(2, 2, False), (2, 3, False), (3, 1, False), (2, 2, True)])
def test_number_sequence_into_file_sink_exactly_once(tmp_path, parallelism, new_parallelism,
                                                     stop):
    n = 60000
    out = tmp_path / "out"

    def build(env, f):
        env.from_source(NumberSequenceSource(1, n), WatermarkStrategy.no_watermarks(), "numbers") \
            .map(f, output_type=Types.STRING()) \
            .sink_to(FileSink.for_row_format(str(out), Encoder.simple_string_encoder()).build())

    at_cancel, got = run_with_savepoint(tmp_path, build, parallelism, new_parallelism, out, stop)
    assert 0 < len(at_cancel) < n, "the savepoint should cut the input"
    assert len(set(at_cancel)) == len(at_cancel)
    assert sorted(got, key=int) == [str(i) for i in range(1, n + 1)]


@pytest.mark.parametrize("parallelism,new_parallelism", [(2, 2), (1, 3)])
def test_file_source_into_streaming_file_sink_exactly_once(tmp_path, parallelism,
                                                           new_parallelism):
    src = tmp_path / "in"
    src.mkdir()
    want = []
    for k in range(3):
        lines = ["file%d line %d" % (k, i) for i in range(20000)]
        (src / ("f%d.txt" % k)).write_text("".join(line + "\n" for line in lines))
        want += lines
    out = tmp_path / "out"

    def build(env, f):
        sink = StreamingFileSink.for_row_format(str(out), Encoder.simple_string_encoder()) \
            .with_output_file_config(OutputFileConfig.builder().with_part_suffix(".txt").build()) \
            .build()
        env.from_source(FileSource.for_record_stream_format(StreamFormat.text_line_format(),
                                                            str(src)).build(),
                        WatermarkStrategy.no_watermarks(), "lines") \
            .map(f, output_type=Types.STRING()) \
            .add_sink(sink)

    at_cancel, got = run_with_savepoint(tmp_path, build, parallelism, new_parallelism, out)
    assert 0 < len(at_cancel) < len(want), "the savepoint should cut the input"
    assert sorted(got) == sorted(want)
    names = part_names(out)
    assert len(names) == len(set(names))
    assert all(name.endswith(".txt") for name in names), names
