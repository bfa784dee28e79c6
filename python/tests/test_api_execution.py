"""Running jobs through the engine API: output, logs, results, failures, Ctrl-C, async jobs and
collecting, against a scripted stand-in engine."""

import logging
import os

import pytest

from pyflink_go import _engine
from pyflink_go._testing import FakeEngine, failed, finished
from pyflink_go.common import JobExecutionResult, JobStatus, Row, Types
from pyflink_go.datastream import StreamExecutionEnvironment
from pyflink_go.errors import JobExecutionError


@pytest.fixture
def env(monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    monkeypatch.setenv("PYFLINK_GO_PRESTART", "0")
    env = StreamExecutionEnvironment.get_execution_environment()
    env.from_collection(["a", "b"]).print()
    return env


def running(**fields):
    envelope = {"state": "RUNNING", "out": [], "rows": [], "logs": [], "error": None,
                "result": None}
    envelope.update(fields)
    return envelope


def test_execute_writes_output_and_returns_the_result(env, capsys):
    engine = FakeEngine([running(out=["a", "b"]), running(out=["c"])],
                        final=finished("ab" * 16, 42))
    with engine.installed():
        result = env.execute("My Job")
    assert capsys.readouterr().out == "a\nb\nc\n"
    assert isinstance(result, JobExecutionResult)
    assert str(result.get_job_id()) == "ab" * 16
    assert result.get_net_runtime() == 42
    assert result.get_all_accumulator_results() == {}
    assert engine.plans[0]["job_name"] == "My Job"
    assert engine.released == [1]


@pytest.mark.parametrize("line, level, message", [
    ("worker 1 started", logging.INFO, "worker 1 started"),
    ("WARN slow worker", logging.WARNING, "slow worker"),
    ("[ERROR] broken pipe", logging.ERROR, "broken pipe"),
    ("DEBUG: details", logging.DEBUG, "details"),
])
def test_engine_logs_go_to_logging(env, caplog, line, level, message):
    caplog.set_level(logging.DEBUG, logger="pyflink_go.engine")
    with FakeEngine([running(logs=[line])]).installed():
        env.execute()
    records = [r for r in caplog.records if r.name == "pyflink_go.engine"]
    assert [(r.levelno, r.getMessage()) for r in records] == [(level, message)]


TRACE = ('Traceback (most recent call last):\n  File "job.py", line 3, in <lambda>\n'
         'ZeroDivisionError: division by zero\n')


@pytest.mark.parametrize("envelope, expected_parts, kind", [
    (failed("ZeroDivisionError: division by zero", "Map", TRACE),
     ["Job 'J' failed", "operator 'Map'", "ZeroDivisionError: division by zero",
      'File "job.py", line 3'], "user_function"),
    (failed("worker process exited with signal 9", "FlatMap", None, kind="worker_crashed"),
     ["Job 'J' failed", "Python worker process crashed", "operator 'FlatMap'", "signal 9"],
     "worker_crashed"),
    (failed("file source: open /x: no such file", None, None, kind="io"),
     ["Job 'J' failed", "open /x: no such file"], "io"),
])
def test_failed_job_raises_with_operator_and_traceback(env, envelope, expected_parts, kind,
                                                       capsys):
    engine = FakeEngine([running(out=["before"]), envelope])
    with engine.installed():
        with pytest.raises(JobExecutionError) as info:
            env.execute("J")
    error = info.value
    assert isinstance(error, RuntimeError)
    for part in expected_parts:
        assert part in str(error)
    assert error.kind == kind
    assert error.operator == envelope["error"]["operator"]
    assert error.python_traceback == envelope["error"]["traceback"]
    assert capsys.readouterr().out == "before\n"
    assert engine.released == [1]


def test_ctrl_c_cancels_the_job_and_propagates(env, capsys):
    engine = FakeEngine([running(out=["x"])] * 100)

    def interrupt(job, number):
        if number == 3:
            raise KeyboardInterrupt

    engine.on_poll = interrupt
    with engine.installed():
        with pytest.raises(KeyboardInterrupt):
            env.execute()
    assert engine.cancelled == [1]
    assert engine.released == [1]
    assert engine.polls[1] == 4  # two with output, the interrupted one, one to see CANCELED
    assert capsys.readouterr().out == "x\nx\n"


def test_cancelled_job_raises(env):
    engine = FakeEngine([running(), {"state": "CANCELED"}])
    with engine.installed():
        with pytest.raises(JobExecutionError, match="Job 'C' was cancelled.") as info:
            env.execute("C")
    assert info.value.kind == "canceled"


def test_execute_async_job_client(env, capsys):
    engine = FakeEngine([running(out=["async"])], final=finished("cd" * 16, 9))
    with engine.installed():
        client = env.execute_async()
        result = client.get_job_execution_result().result(timeout=10)
        status = client.get_job_status().result()
    assert engine.plans[0]["job_name"] == "Flink Streaming Job"
    assert str(result.get_job_id()) == "cd" * 16
    assert str(client.get_job_id()) == "cd" * 16
    assert status == JobStatus.FINISHED
    assert capsys.readouterr().out == "async\n"
    assert engine.released == [1]


def test_execute_async_failure_surfaces_in_the_result(env):
    engine = FakeEngine([failed("ValueError: bad", "Filter", "Traceback...\nValueError: bad\n")])
    with engine.installed():
        client = env.execute_async("bad job")
        with pytest.raises(JobExecutionError, match="operator 'Filter'"):
            client.get_job_execution_result().result(timeout=10)


def test_execute_async_cancel(env):
    engine = FakeEngine(final=running())  # runs until cancelled
    with engine.installed():
        client = env.execute_async()
        assert str(client.get_job_id()) == "%032x" % 1
        assert client.get_job_status().result() in (JobStatus.CREATED, JobStatus.RUNNING)
        client.cancel().result(timeout=10)
        with pytest.raises(JobExecutionError, match="was cancelled"):
            client.get_job_execution_result().result(timeout=10)
        assert client.get_job_status().result() == JobStatus.CANCELED
    assert engine.cancelled == [1]


def collect_env(monkeypatch, values, type_info=None):
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    monkeypatch.setenv("PYFLINK_GO_PRESTART", "0")
    env = StreamExecutionEnvironment.get_execution_environment()
    return env.from_collection(values, type_info=type_info)


def test_collect_with_limit_returns_a_list_and_stops_the_job(monkeypatch):
    ds = collect_env(monkeypatch, [1, 2, 3, 4])
    engine = FakeEngine([running(rows=[1, 2]), running(rows=[3]), running(rows=[4])] * 50)
    with engine.installed():
        assert ds.execute_and_collect(limit=3) == [1, 2, 3]
    assert engine.cancelled == [1]
    assert engine.released == [1]


def test_collect_iterator_reads_until_the_end(monkeypatch):
    ds = collect_env(monkeypatch, [("a", 1)], Types.ROW([Types.STRING(), Types.INT()]))
    rows = [Row("a", 1), Row("b", 2)]
    engine = FakeEngine([running(rows=rows[:1]), running(), running(rows=rows[1:])])
    with engine.installed():
        with ds.execute_and_collect("collect job") as results:
            assert list(results) == rows
    assert engine.plans[0]["job_name"] == "collect job"
    assert engine.cancelled == []
    assert engine.released == [1]


def test_collect_iterator_close_cancels(monkeypatch):
    ds = collect_env(monkeypatch, [1])
    engine = FakeEngine([running(rows=[1, 2])] * 1000)
    with engine.installed():
        results = ds.execute_and_collect()
        assert next(results) == 1
        results.close()
        with pytest.raises(StopIteration):
            next(results)
    assert engine.cancelled == [1]
    assert engine.released == [1]


def test_dropped_collect_iterator_stops_its_job(monkeypatch):
    import gc
    ds = collect_env(monkeypatch, [1])
    engine = FakeEngine([running(rows=[1, 2])] * 1000)
    with engine.installed():
        results = ds.execute_and_collect()
        assert next(results) == 1
        del results
        gc.collect()
    assert engine.cancelled == [1]
    assert engine.released == [1]


def test_collect_iterator_raises_when_the_job_fails(monkeypatch):
    ds = collect_env(monkeypatch, [1])
    engine = FakeEngine([running(rows=[1]), failed("boom", "Map", "Traceback\nValueError: boom")])
    with engine.installed():
        results = ds.execute_and_collect()
        assert next(results) == 1
        with pytest.raises(JobExecutionError, match="boom"):
            next(results)
    assert engine.released == [1]


def test_missing_engine_fails_at_execute_with_a_clear_message(env, monkeypatch):
    import sys

    class Broken(object):
        def find_spec(self, name, path=None, target=None):
            if name == "pyflink_go._engine_api":
                raise ImportError("native module missing")
            return None

    monkeypatch.delitem(sys.modules, "pyflink_go._engine_api", raising=False)
    monkeypatch.setattr(sys, "meta_path", [Broken()] + sys.meta_path)
    with pytest.raises(RuntimeError, match="pyflink_go engine is not available.*pip install"):
        env.execute()


def test_prestart_runs_once_with_the_worker_count(monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 8)
    monkeypatch.delenv("PYFLINK_GO_PRESTART", raising=False)
    monkeypatch.setattr(_engine, "_prestarted", False)
    from pyflink_go.common import Configuration
    engine = FakeEngine()
    with engine.installed():
        StreamExecutionEnvironment.get_execution_environment(
            Configuration().set_integer("parallelism.default", 3))
        StreamExecutionEnvironment.get_execution_environment()
    assert len(engine.prestarted) == 1
    python, path, workers = engine.prestarted[0]
    assert workers == 3
    assert os.path.isabs(python) and all(os.path.isabs(p) for p in path)


def test_prestart_can_be_turned_off(monkeypatch):
    monkeypatch.setenv("PYFLINK_GO_PRESTART", "0")
    monkeypatch.setattr(_engine, "_prestarted", False)
    engine = FakeEngine()
    with engine.installed():
        StreamExecutionEnvironment.get_execution_environment()
    assert engine.prestarted == []
