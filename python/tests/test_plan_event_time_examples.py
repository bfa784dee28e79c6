"""The windowing, state and timer examples: the plans they submit (also when written with
PyFlink's imports), and what they print when the engine is built."""

import os
import runpy
import subprocess
import sys

import pytest

from pyflink_go._import_hook import install, uninstall
from pyflink_go._testing import FakeEngine

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLES = os.path.join(REPO, "examples")
PYTHON_DIR = os.path.join(REPO, "python")

EVENT_TIME_PREFIX = [
    ("collection_source", "Collection Source", None, []),
    ("python", "Extract-Timestamp", "timestamp_assigner", ["auto"]),
    ("watermarks", "Timestamps/Watermarks", None, ["auto"]),
    ("python", "_stream_key_by_map_operator", "key_by", ["auto"]),
]
WINDOWING = {
    "windowing/tumbling_time_window.py": EVENT_TIME_PREFIX + [
        ("window", "TumblingEventTimeWindows", None, ["hash"])],
    "windowing/sliding_time_window.py": EVENT_TIME_PREFIX + [
        ("window", "SlidingEventTimeWindows", None, ["hash"])],
    "windowing/session_with_gap_window.py": EVENT_TIME_PREFIX + [
        ("window", "EventTimeSessionWindows", None, ["hash"])],
    "windowing/session_with_dynamic_gap_window.py": EVENT_TIME_PREFIX + [
        ("window", "DynamicEventTimeSessionWindows", None, ["hash"])],
    "windowing/tumbling_count_window.py": [
        ("collection_source", "Collection Source", None, []),
        ("python", "_stream_key_by_map_operator", "key_by", ["auto"]),
        ("window", "CountTumblingWindowAssigner", None, ["hash"])],
}
KEYED_PROCESS_TAIL = [
    ("python", "_stream_key_by_map_operator", "key_by", ["auto"]),
    ("python", "KEYED PROCESS", "keyed_process", ["hash"]),
    ("python", "Map", "to_string", ["auto"]),
    ("print_sink", "Print to Std. Out", None, ["auto"]),
]
OTHERS = {
    "state_access.py": [("collection_source", "Collection Source", None, [])] +
    KEYED_PROCESS_TAIL,
    "event_time_timer.py": EVENT_TIME_PREFIX[:3] + KEYED_PROCESS_TAIL,
}


def shape(plan):
    return [(n["kind"], n["name"], n["params"].get("func"), [i["partition"] for i in n["inputs"]])
            for n in plan["nodes"]]


@pytest.fixture
def submit(monkeypatch, capsys):
    monkeypatch.setenv("PYFLINK_GO_PRESTART", "0")

    def run(name, *args, pyflink_imports=False):
        path = os.path.join(EXAMPLES, name)
        monkeypatch.setattr(sys, "argv", [path, *args])
        with FakeEngine().installed() as engine:
            if pyflink_imports:
                source = open(path).read().replace("pyflink_go", "pyflink")
                assert "pyflink_go" not in source
                install()
                try:
                    exec(compile(source, path, "exec"), {"__name__": "__main__"})
                finally:
                    uninstall()
            else:
                runpy.run_path(path, run_name="__main__")
        return engine.plans[0], capsys.readouterr().out

    return run


@pytest.mark.parametrize("name", sorted(WINDOWING))
@pytest.mark.parametrize("pyflink_imports", [False, True])
def test_windowing_example_plans(submit, name, pyflink_imports):
    plan, out = submit(name, pyflink_imports=pyflink_imports)
    assert plan["parallelism"] == 1 and plan["mode"] == "STREAMING"
    assert shape(plan) == WINDOWING[name] + [("print_sink", "Print to Std. Out", None, ["auto"])]
    assert out == "Printing result to stdout. Use --output to specify output path.\n"


@pytest.mark.parametrize("name", sorted(WINDOWING))
def test_windowing_examples_write_part_files(submit, name, tmp_path):
    plan, out = submit(name, "--output", str(tmp_path))
    assert out == ""
    sink = plan["nodes"][-1]
    assert (sink["kind"], sink["params"]["part_prefix"], sink["params"]["part_suffix"]) == \
        ("file_sink", "prefix", ".ext")


@pytest.mark.parametrize("name", sorted(OTHERS))
@pytest.mark.parametrize("pyflink_imports", [False, True])
def test_state_and_timer_example_plans(submit, name, pyflink_imports):
    plan, _ = submit(name, pyflink_imports=pyflink_imports)
    assert shape(plan) == OTHERS[name]


def test_event_time_timer_watermarks(submit):
    plan, _ = submit("event_time_timer.py")
    assert plan["nodes"][2]["params"] == {
        "strategy": {"kind": "bounded", "max_out_of_orderness_ms": 2000, "idle_timeout_ms": 0},
        "interval_ms": 200}


# ---- on the engine ----

def engine_available():
    try:
        from pyflink_go import _engine_api
        _engine_api.version()
        return True
    except Exception:
        return False


needs_engine = pytest.mark.skipif(not engine_available(), reason="the native engine is not built")


def run_for_real(name, tmp_path, *args):
    env = dict(os.environ, PYTHONPATH=PYTHON_DIR)
    result = subprocess.run([sys.executable, os.path.join(EXAMPLES, name), *args],
                            cwd=str(tmp_path), env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


PRINTED = "Printing result to stdout. Use --output to specify output path."


@needs_engine
@pytest.mark.parametrize("name, lines", [
    ("windowing/tumbling_time_window.py", ["(hi,0,5,4)", "(hi,5,10,3)", "(hi,15,20,1)"]),
    ("windowing/sliding_time_window.py",
     ["(hi,-2,3,2)", "(hi,0,5,4)", "(hi,2,7,4)", "(hi,4,9,3)", "(hi,6,11,2)", "(hi,8,13,2)",
      "(hi,12,17,1)", "(hi,14,19,1)"]),
    ("windowing/session_with_gap_window.py", ["(hi,1,14,6)", "(hi,15,20,1)"]),
    ("windowing/tumbling_count_window.py", ["(hi,4)", "(hello,6)", "(hello,12)"]),
])
def test_windowing_examples_print(tmp_path, name, lines):
    assert run_for_real(name, tmp_path) == [PRINTED] + lines


@needs_engine
def test_dynamic_gap_example_prints(tmp_path):
    assert run_for_real("windowing/session_with_dynamic_gap_window.py", tmp_path) == \
        [PRINTED, "(hi,1,30,7)"]


@needs_engine
def test_tumbling_window_example_writes_part_files(tmp_path):
    assert run_for_real("windowing/tumbling_time_window.py", tmp_path, "--output",
                        str(tmp_path / "out")) == []
    parts = [os.path.join(d, f) for d, _, files in os.walk(tmp_path / "out") for f in files]
    assert len(parts) == 1
    assert open(parts[0]).read().splitlines() == ["(hi,0,5,4)", "(hi,5,10,3)", "(hi,15,20,1)"]


def values(lines):
    """The printed tuples without their subtask prefixes."""
    return [eval(line.split("> ", 1)[-1]) for line in lines]


def running_sums(rows):
    sums = {}
    for name, amount in rows:
        sums[name] = sums.get(name, 0) + amount
    return sums


@needs_engine
def test_state_access_example_prints_running_sums(tmp_path):
    printed = values(run_for_real("state_access.py", tmp_path))
    assert len(printed) == 8
    by_name = {}
    for name, total in printed:
        by_name.setdefault(name, []).append(total)
    # each key's sums grow by that key's amounts (float32 inputs, in arrival order)
    assert by_name["Alice"][-1] == pytest.approx(163.3, abs=1e-4)
    assert by_name["Bob"][-1] == pytest.approx(102.5, abs=1e-4)
    assert all(a < b for sums in by_name.values() for a, b in zip(sums, sums[1:]))


@needs_engine
def test_event_time_timer_example_prints_sums_from_timers(tmp_path):
    printed = values(run_for_real("event_time_timer.py", tmp_path))
    # one timer per element (timers at the same time for a key fire once): Alice 4, Bob 4
    assert sorted(name for name, _ in printed) == ["Alice"] * 4 + ["Bob"] * 4
    finals = {name: total for name, total in printed}
    assert finals["Alice"] == pytest.approx(163.3, abs=1e-4)
    assert finals["Bob"] == pytest.approx(102.5, abs=1e-4)
