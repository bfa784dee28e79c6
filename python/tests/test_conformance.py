"""Conformance: real PyFlink programs run with `python -m pyflink_go`, output compared with PyFlink's."""

import glob
import os
import re
import subprocess
import sys

import pytest

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "conformance")
PYTHON_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CASES = sorted(os.path.basename(p)[:-len(".expected")] for p in glob.glob(os.path.join(HERE, "*.expected")))


def run(script, *args, cwd=None):
    env = dict(os.environ, PYTHONPATH=PYTHON_DIR + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.run([sys.executable, "-m", "pyflink_go", os.path.join(HERE, script), *args],
                          capture_output=True, text=True, timeout=180, env=env, cwd=cwd)


def expectation(name):
    with open(os.path.join(HERE, name + ".expected")) as f:
        lines = f.read().splitlines()
    modes = set()
    if lines and lines[0].startswith("# compare:"):
        modes = set(lines[0].split(":", 1)[1].split())
        lines = lines[1:]
    return lines, modes


def normalize(lines, modes):
    if "strip-prefix" in modes:
        lines = [re.sub(r"^\d+> ", "", line) for line in lines]
    if "unordered" in modes:
        lines = sorted(lines)
    return lines


@pytest.mark.parametrize("name", CASES)
def test_case(name, tmp_path):
    proc = run(name + ".py", cwd=str(tmp_path))
    assert proc.returncode == 0, proc.stderr[-3000:]
    want, modes = expectation(name)
    got = proc.stdout.splitlines()
    assert normalize(got, modes) == normalize(want, modes)


def test_cases_exist():
    assert {"uppercase_stream", "hello_world", "tuple_map", "print_formats"} <= set(CASES)


def test_file_sink_leaves_committed_part_files(tmp_path):
    out = tmp_path / "out"
    proc = run("file_sink.py", str(out))
    assert proc.returncode == 0, proc.stderr[-3000:]
    files = [p for p in out.rglob("*") if p.is_file()]
    assert files, "no part files written"
    assert all(p.name.startswith("part-") for p in files), [p.name for p in files]
    lines = sorted(line for p in files for line in p.read_text().splitlines())
    assert lines == ["(APPLE,3)", "(BANANA,5)"]


def test_failing_function_reports_operator_and_traceback(tmp_path):
    script = tmp_path / "boom.py"
    script.write_text(
        "from pyflink.datastream import StreamExecutionEnvironment\n"
        "env = StreamExecutionEnvironment.get_execution_environment()\n"
        "env.set_parallelism(1)\n"
        "env.from_collection([1, 0]).map(lambda x: 10 // x).print()\n"
        "env.execute('boom')\n")
    env = dict(os.environ, PYTHONPATH=PYTHON_DIR)
    proc = subprocess.run([sys.executable, "-m", "pyflink_go", str(script)], capture_output=True, text=True,
                          timeout=180, env=env)
    assert proc.returncode != 0
    assert "Map" in proc.stderr
    assert "ZeroDivisionError" in proc.stderr
    assert "10 // x" in proc.stderr  # the user's line, from the Python traceback
    assert "goroutine" not in proc.stderr  # never a Go panic dump
