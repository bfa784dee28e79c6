"""Progress and output routing around the poll loop: the switches, the terminal line, the notebook
displays (through a stand-in IPython) and the hooks on results, plans and clients, against a
scripted stand-in engine."""

import io
import logging
import os
import sys
import types

import pytest

from pyflink_go import _codec
from pyflink_go._notebook import environment
from pyflink_go._notebook.environment import PROGRESS_DELAY_KEY, PROGRESS_ENV, PROGRESS_KEY
from pyflink_go._notebook.logs import NOTEBOOK_LOG_LIMIT
from pyflink_go._notebook.plan import ExecutionPlan
from pyflink_go._notebook.progress import TerminalProgress, progress_text
from pyflink_go._notebook.rows import CollectedRows
from pyflink_go._testing import FakeEngine, finished
from pyflink_go.common import Configuration, JobStatus
from pyflink_go.datastream import StreamExecutionEnvironment

METRICS = [
    {"node": 0, "name": "Source: numbers", "subtask": 0, "records_in": 0, "records_out": 1500},
    {"node": 1, "name": "Map", "subtask": 0, "records_in": 700, "records_out": 700},
    {"node": 1, "name": "Map", "subtask": 1, "records_in": 800, "records_out": 790},
]


def running(**fields):
    envelope = {"state": "RUNNING", "out": [], "rows": [], "logs": [], "error": None,
                "result": None}
    envelope.update(fields)
    return envelope


class MeteredEngine(FakeEngine):
    """A stand-in engine whose status carries per-operator metrics."""

    def status(self, job):
        self._known(job)
        return _codec.packb({"state": self._state[job], "job_id": "%032x" % job,
                             "job_name": "j", "elapsed_ms": 1234, "metrics": METRICS})


@pytest.fixture
def env(monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    monkeypatch.setenv("PYFLINK_GO_PRESTART", "0")
    monkeypatch.delenv(PROGRESS_ENV, raising=False)
    env = StreamExecutionEnvironment.get_execution_environment()
    env.configure(Configuration().set_string(PROGRESS_DELAY_KEY, "0 ms"))
    env.from_collection(["a", "b"]).print()
    return env


class Handle(object):
    def __init__(self, shown):
        self.shown = shown

    def update(self, bundle, raw=False):
        self.shown.append(("update", bundle))


@pytest.fixture
def notebook(monkeypatch):
    """A stand-in IPython whose shell looks like a kernel's; returns what was displayed."""
    shown = []

    class ZMQInteractiveShell(object):
        pass

    def display(bundle, raw=False, display_id=False):
        assert raw and display_id
        shown.append(("display", bundle))
        return Handle(shown)

    ipython = types.ModuleType("IPython")
    ipython.get_ipython = ZMQInteractiveShell
    ipython.display = types.ModuleType("IPython.display")
    ipython.display.display = display
    monkeypatch.setitem(sys.modules, "IPython", ipython)
    monkeypatch.setitem(sys.modules, "IPython.display", ipython.display)
    assert environment.in_notebook()
    return shown


# ---- switches ----

@pytest.mark.parametrize("env_value, config, enabled", [
    (None, {}, True),
    ("0", {}, False),
    ("off", {PROGRESS_KEY: "true"}, False),
    (None, {PROGRESS_KEY: "false"}, False),
    ("1", {PROGRESS_KEY: "false"}, True),
    ("", {PROGRESS_KEY: "true"}, True),
])
def test_progress_switches(monkeypatch, env_value, config, enabled):
    if env_value is None:
        monkeypatch.delenv(PROGRESS_ENV, raising=False)
    else:
        monkeypatch.setenv(PROGRESS_ENV, env_value)
    assert environment.progress_enabled(config) is enabled


@pytest.mark.parametrize("config, delay", [
    ({}, environment.DEFAULT_DELAY_MS),
    ({PROGRESS_DELAY_KEY: "250 ms"}, 250),
    ({PROGRESS_DELAY_KEY: "2 s"}, 2000),
    ({PROGRESS_DELAY_KEY: "soon"}, environment.DEFAULT_DELAY_MS),
])
def test_progress_delay(config, delay):
    assert environment.progress_delay_ms(config) == delay


def test_not_a_notebook_without_ipython(monkeypatch):
    monkeypatch.delitem(sys.modules, "IPython", raising=False)
    assert not environment.in_notebook()


# ---- the terminal line ----

def test_progress_text_sums_subtasks_and_fits_the_width():
    report = {"state": "RUNNING", "elapsed_ms": 3200, "metrics": METRICS}
    text = progress_text("numbers", report)
    assert text.startswith("[numbers] RUNNING 3.2 s")
    assert "Source: numbers: out 1,500" in text and "Map: in 1,500 out 1,490" in text
    short = progress_text("numbers", report, 30)
    assert len(short) == 30 and short.endswith("\u2026")


def test_terminal_progress_waits_for_the_delay_and_clears_its_line():
    now = [0.0]
    job = types.SimpleNamespace(name="j", status_report=lambda: {"state": "RUNNING",
                                                                 "elapsed_ms": 10})
    stream = io.StringIO()
    progress = TerminalProgress(job, delay_ms=1000, stream=stream, clock=lambda: now[0])
    progress.tick()
    assert stream.getvalue() == ""
    now[0] = 1.5
    progress.tick()
    line = stream.getvalue()
    assert line.startswith("\r[j] RUNNING") and "\n" not in line
    written = []
    progress.wrap_output(written.extend)(["out"])
    assert written == ["out"] and stream.getvalue().endswith("\r")
    progress.close()
    assert "\n" not in stream.getvalue()


def _tty(monkeypatch, is_tty):
    monkeypatch.setattr(environment, "stderr_is_tty", lambda: is_tty)


def test_execute_on_a_terminal_shows_a_progress_line_on_stderr(env, monkeypatch, capsys):
    _tty(monkeypatch, True)
    with MeteredEngine([running(out=["a"]), running(out=["b"])]).installed():
        env.execute("numbers")
    captured = capsys.readouterr()
    assert captured.out == "a\nb\n"
    assert "\r[numbers] RUNNING" in captured.err and "Map: in 1,500" in captured.err
    assert captured.err.endswith("\r")  # the line is erased at the end
    assert "\n" not in captured.err


@pytest.mark.parametrize("tty, switch", [(False, None), (True, "0")])
def test_no_progress_line_off_a_terminal_or_when_switched_off(
        env, monkeypatch, capsys, tty, switch):
    _tty(monkeypatch, tty)
    if switch is not None:
        monkeypatch.setenv(PROGRESS_ENV, switch)
    with MeteredEngine([running(out=["a"])]).installed():
        env.execute("numbers")
    assert capsys.readouterr() == ("a\n", "")


# ---- notebooks ----

def test_execute_in_a_notebook_updates_one_display_and_prints_to_stdout(
        env, notebook, capsys):
    with MeteredEngine([running(out=["a"]), running(out=["b"])]).installed():
        env.execute("numbers")
    assert capsys.readouterr().out == "a\nb\n"
    assert [kind for kind, _ in notebook][0] == "display"
    assert all(kind == "update" for kind, _ in notebook[1:])
    final = notebook[-1][1]
    assert "FINISHED" in final["text/html"] and "records in" in final["text/html"]
    assert "1,490" in final["text/html"] and final["text/plain"].startswith("[numbers]")


def test_progress_switched_off_in_a_notebook(env, notebook, capsys):
    env.configure(Configuration().set_string(PROGRESS_KEY, "false"))
    with MeteredEngine([running(out=["a"])]).installed():
        env.execute("numbers")
    assert notebook == [] and capsys.readouterr().out == "a\n"


def test_logs_in_a_notebook_are_limited(env, notebook, caplog):
    caplog.set_level(logging.DEBUG, logger="pyflink_go.engine")
    lines = ["WARN line %d" % i for i in range(NOTEBOOK_LOG_LIMIT + 5)]
    with MeteredEngine([running(logs=lines)]).installed():
        env.execute("chatty")
    records = [r for r in caplog.records if r.name == "pyflink_go.engine"]
    warnings = [r for r in records if r.levelno == logging.WARNING]
    assert len(warnings) == NOTEBOOK_LOG_LIMIT + 1
    assert "more than %d lines" % NOTEBOOK_LOG_LIMIT in warnings[-1].getMessage()
    assert [r.getMessage() for r in records if r.levelno == logging.DEBUG][-5:] == lines[-5:]


def test_async_job_in_a_notebook_keeps_its_output_out_of_stdout(env, notebook, capsys):
    with MeteredEngine([running(out=["a", "b"]), running(out=["c"])]).installed():
        client = env.execute_async("background")
        client.get_job_execution_result().result(timeout=30)
    assert capsys.readouterr().out == ""
    assert client.get_output() == ["a", "b", "c"]
    assert notebook[0][0] == "display" and "background" in notebook[0][1]["text/html"]
    final = notebook[-1][1]["text/html"]
    assert "FINISHED" in final and "a\nb\nc" in final
    assert "a\nb\nc" in client._repr_html_() and "FINISHED" in client._repr_html_()
    assert repr(client).startswith("JobClient(job='background'") and "FINISHED" in repr(client)
    assert client.get_job_status().result() == JobStatus.FINISHED


def test_async_job_in_a_notebook_keeps_warnings_for_its_display(env, notebook, capsys,
                                                                monkeypatch):
    logger = logging.getLogger("pyflink_go.engine")
    monkeypatch.setattr(logger, "propagate", False)  # logging not configured
    assert not logger.hasHandlers()
    with MeteredEngine([running(logs=["WARN disk slow", "worker 1 started"])]).installed():
        env.execute_async("background").get_job_execution_result().result(timeout=30)
    assert capsys.readouterr() == ("", "")
    final = notebook[-1][1]["text/html"]
    assert "WARN disk slow" in final and "worker 1 started" not in final


def test_async_job_on_a_terminal_prints_and_keeps_its_output(env, capsys):
    with MeteredEngine([running(out=["a"])]).installed():
        client = env.execute_async("background")
        client.get_job_execution_result().result(timeout=30)
    assert capsys.readouterr().out == "a\n"
    assert client.get_output() == ["a"]


# ---- results, plans and collected rows ----

def test_execute_returns_a_result_that_renders(env):
    with MeteredEngine([], final=finished("cd" * 16, 1500)).installed():
        result = env.execute("numbers")
    html = result._repr_html_()
    assert "cd" * 16 in html and "numbers" in html and "1.5 s" in html


def test_execution_plan_is_flinks_json_with_a_picture(env):
    with MeteredEngine().installed():
        plan = env.get_execution_plan()
    assert isinstance(plan, ExecutionPlan) and isinstance(plan, str)
    assert "<svg" in plan._repr_html_() and plan._repr_svg_().startswith("<svg")


def test_execute_and_collect_with_a_limit_returns_collected_rows(env):
    with MeteredEngine([running(rows=[1, 2, 3])]).installed():
        rows = env.from_collection([1, 2, 3]).execute_and_collect(limit=3)
    assert isinstance(rows, CollectedRows) and rows == [1, 2, 3]
    assert "3 rows" in rows._repr_html_()
