"""``python -m pyflink_go script.py [args]``: the pyflink alias, argv, sys.path and exit codes."""

import os
import subprocess
import sys
import textwrap

import pytest

from pyflink_go._import_hook import install, uninstall

PYTHON_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(args, cwd, env_extra=None):
    env = dict(os.environ, PYTHONPATH=PYTHON_DIR, PYFLINK_GO_PRESTART="0")
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-m", "pyflink_go", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=60)


@pytest.fixture
def script(tmp_path):
    def write(body, name="script.py"):
        path = tmp_path / name
        path.write_text(textwrap.dedent(body))
        return path
    return write


def test_script_sees_argv_path_and_the_alias(script, tmp_path):
    path = script("""
        import sys
        import pyflink.datastream
        import pyflink_go.datastream
        from pyflink.datastream import StreamExecutionEnvironment
        from pyflink.common.typeinfo import Types
        print(sys.argv)
        print(pyflink.datastream is pyflink_go.datastream)
        print(StreamExecutionEnvironment.__module__)
        print(sys.path[0])
        print(__name__)
        print(pyflink_go.datastream.__spec__.name)
    """)
    other = tmp_path / "elsewhere"
    other.mkdir()
    result = run([str(path), "a", "b"], cwd=str(other))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines == [str([str(path), "a", "b"]), "True",
                     "pyflink_go.datastream.stream_execution_environment", str(tmp_path),
                     "__main__", "pyflink_go.datastream"]


def test_relative_script_name_is_kept_in_argv(script, tmp_path):
    script("import sys; print(sys.argv)")
    result = run(["script.py", "--input", "x"], cwd=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['script.py', '--input', 'x']"


def test_script_directory_modules_import(script, tmp_path):
    (tmp_path / "helper.py").write_text("VALUE = 41\n")
    path = script("import helper; print(helper.VALUE + 1)")
    result = run([str(path)], cwd="/")
    assert result.stdout.strip() == "42", result.stderr


def test_errors_exit_1_with_the_scripts_traceback(script, tmp_path):
    path = script("""
        def fail():
            raise ValueError("bad input")
        fail()
    """)
    result = run([str(path)], cwd=str(tmp_path))
    assert result.returncode == 1
    assert "ValueError: bad input" in result.stderr
    assert 'File "%s", line 4' % path in result.stderr
    assert "runpy" not in result.stderr
    assert "__main__.py" not in result.stderr


def test_system_exit_code_passes_through(script, tmp_path):
    path = script("import sys; sys.exit(3)")
    assert run([str(path)], cwd=str(tmp_path)).returncode == 3


@pytest.mark.parametrize("args, code, message", [
    ([], 2, "usage: python -m pyflink_go"),
    (["--help"], 0, "usage: python -m pyflink_go"),
    (["missing.py"], 2, "can't open file 'missing.py'"),
    (["run"], 2, "usage: python -m pyflink_go"),
])
def test_usage_and_missing_scripts(tmp_path, args, code, message):
    result = run(args, cwd=str(tmp_path))
    assert result.returncode == code
    assert message in result.stderr


def test_run_subcommand(script, tmp_path):
    path = script("import sys; print(sys.argv[1:])")
    result = run(["run", str(path), "x"], cwd=str(tmp_path))
    assert result.stdout.strip() == "['x']", result.stderr


def test_unsupported_pyflink_module_names_both(script, tmp_path):
    path = script("import pyflink.table")
    result = run([str(path)], cwd=str(tmp_path))
    assert result.returncode == 1
    assert "No module named 'pyflink.table'" in result.stderr
    assert "pyflink_go.table" in result.stderr


@pytest.fixture
def alias():
    install()
    yield
    uninstall()


@pytest.mark.parametrize("alias_name, target", [
    ("pyflink", "pyflink_go"),
    ("pyflink.common", "pyflink_go.common"),
    ("pyflink.common.serialization", "pyflink_go.common.serialization"),
    ("pyflink.datastream.connectors.file_system", "pyflink_go.datastream.connectors.file_system"),
    ("pyflink.datastream.functions", "pyflink_go.datastream.functions"),
])
def test_alias_modules_are_the_same_objects(alias, alias_name, target):
    import importlib
    aliased = importlib.import_module(alias_name)
    real = importlib.import_module(target)
    assert aliased is real
    assert real.__spec__.name == target
    assert sys.modules[alias_name] is real


def test_alias_classes_pickle_by_their_real_names(alias):
    import pickle
    from pyflink.common import Types
    from pyflink.datastream.functions import MapFunction
    assert MapFunction.__module__ == "pyflink_go.datastream.functions"
    assert pickle.loads(pickle.dumps(Types.INT())) == Types.INT()


def test_install_is_idempotent_and_uninstall_forgets_aliases(alias):
    import pyflink.common  # noqa: F401
    install()
    from pyflink_go._import_hook import PyflinkAliasFinder
    assert sum(isinstance(f, PyflinkAliasFinder) for f in sys.meta_path) == 1
    uninstall()
    assert "pyflink.common" not in sys.modules
    assert not any(isinstance(f, PyflinkAliasFinder) for f in sys.meta_path)
    install()  # the fixture uninstalls again


def test_main_function_runs_a_script_in_process(script, tmp_path, monkeypatch):
    from pyflink_go.__main__ import main
    out = tmp_path / "out.txt"
    path = script("""
        import sys
        from pyflink.common import Types
        open(sys.argv[1], "w").write(repr(Types.INT()) + " " + __name__)
    """)
    monkeypatch.setattr(sys, "argv", ["pyflink-go"])
    monkeypatch.setattr(sys, "path", list(sys.path))
    try:
        main([str(path), str(out)])
    finally:
        uninstall()
    assert out.read_text() == "Integer __main__"
    assert sys.path[0] == str(tmp_path)
