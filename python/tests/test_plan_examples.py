"""The examples: the plans they submit, and (when the engine is built) what they print."""

import os
import runpy
import subprocess
import sys

import pytest

from pyflink_go._testing import FakeEngine

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLES = os.path.join(REPO, "examples")
PYTHON_DIR = os.path.join(REPO, "python")


@pytest.fixture
def run_example(monkeypatch, capsys):
    monkeypatch.setenv("PYFLINK_GO_PRESTART", "0")

    def run(name, *args):
        path = os.path.join(EXAMPLES, name)
        monkeypatch.setattr(sys, "argv", [path, *args])
        with FakeEngine().installed() as engine:
            runpy.run_path(path, run_name="__main__")
        return engine.plans[0], capsys.readouterr().out

    return run


def shape(plan):
    return [(n["kind"], n["name"], n["params"].get("func"), [i["partition"] for i in n["inputs"]])
            for n in plan["nodes"]]


def test_word_count_with_built_in_text(run_example):
    plan, out = run_example("word_count.py")
    assert plan["mode"] == "BATCH"
    assert plan["parallelism"] == 1
    assert plan["job_name"] == "Flink Batch Job"
    assert shape(plan) == [
        ("collection_source", "Collection Source", None, []),
        ("python", "FlatMap", "flat_map", ["auto"]),
        ("python", "Map", "map", ["auto"]),
        ("python", "_stream_key_by_map_operator", "key_by", ["auto"]),
        ("python", "Reduce", "reduce", ["hash"]),
        ("print_sink", "Print to Std. Out", None, ["auto"]),
    ]
    assert plan["nodes"][4]["out_type"] == {"t": "TUPLE", "fields": [{"t": "STRING"},
                                                                     {"t": "INT"}]}
    assert len(plan["nodes"][0]["params"]["values"]) == 35
    assert out.splitlines() == ["Executing word_count example with default input data set.",
                                "Use --input to specify file input.",
                                "Printing result to stdout. Use --output to specify output path."]


def test_word_count_with_files(run_example, tmp_path):
    source = tmp_path / "in.txt"
    source.write_text("a b a\n")
    plan, out = run_example("word_count.py", "--input", str(source), "--output",
                            str(tmp_path / "out"))
    assert out == ""
    assert shape(plan)[0] == ("file_source", "Source: file_source", None, [])
    assert shape(plan)[-1] == ("file_sink", "Sink", None, ["auto"])
    sink = plan["nodes"][-1]["params"]
    assert (sink["base_path"], sink["part_prefix"], sink["part_suffix"]) == \
        (str(tmp_path / "out"), "prefix", ".ext")


def test_uppercase_stream(run_example):
    plan, _ = run_example("uppercase_stream.py")
    assert plan["job_name"] == "Uppercase Stream"
    assert [n["kind"] for n in plan["nodes"]] == ["collection_source", "python", "python",
                                                  "print_sink"]


def engine_available():
    try:
        from pyflink_go import _engine_api
        _engine_api.version()
        return True
    except Exception:
        return False


needs_engine = pytest.mark.skipif(not engine_available(), reason="the native engine is not built")


def run_for_real(*args, cwd):
    env = dict(os.environ, PYTHONPATH=PYTHON_DIR)
    return subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=120)


@needs_engine
def test_uppercase_stream_prints_the_expected_lines(tmp_path):
    result = run_for_real(os.path.join(EXAMPLES, "uppercase_stream.py"), cwd=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["APPLE", "BANANA", "MELON"]


@needs_engine
def test_word_count_counts(tmp_path):
    result = run_for_real(os.path.join(EXAMPLES, "word_count.py"), cwd=str(tmp_path))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()[3:]
    assert "(a,5)" in lines and "(of,14)" in lines and "(the,15)" in lines
    assert len(lines) == len(set(lines))
    words = " ".join(runpy.run_path(
        os.path.join(EXAMPLES, "word_count.py"))["WORD_COUNT_DATA"]).split()
    assert sum(int(line.rsplit(",", 1)[1][:-1]) for line in lines) == len(words)


@needs_engine
def test_word_count_writes_part_files(tmp_path):
    source = tmp_path / "in.txt"
    source.write_text("a b a\nc a\n")
    result = run_for_real(os.path.join(EXAMPLES, "word_count.py"), "--input", str(source),
                          "--output", str(tmp_path / "out"), cwd=str(tmp_path))
    assert result.returncode == 0, result.stderr
    parts = [os.path.join(d, f) for d, _, files in os.walk(tmp_path / "out") for f in files]
    assert len(parts) == 1
    name = os.path.basename(parts[0])
    assert name.startswith("prefix-") and name.endswith(".ext")
    assert sorted(open(parts[0]).read().splitlines()) == ["(a,3)", "(b,1)", "(c,1)"]
