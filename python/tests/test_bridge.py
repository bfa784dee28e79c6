"""Calls through pyflink_go._engine_api into the gopy-built native engine.

These tests need the native module: either installed (``pip install .``) or
built in place (``make dev`` and ``PYTHONPATH=python``). When it is missing they
fail with the ImportError that tells how to build it; nothing is skipped.

Checks that could abort the interpreter if they regressed run in a child
process, so a crash shows up as a failed test rather than a dead test session.
"""

import os
import shutil
import subprocess
import sys
import textwrap

import pytest

from pyflink_go import _engine_api as engine

# 0xc1 never occurs in valid msgpack.
MALFORMED_PLAN = b"\xc1"
UNKNOWN_JOB = 1 << 40


@pytest.fixture(scope="module")
def native():
    """The loaded extension module; raises the build hint when it is missing."""
    engine.version()  # ImportError("the native engine is not built: ...") if absent
    return engine._load()


def run_child(code, timeout=60):
    """Run code in a fresh interpreter that imports the same pyflink_go as this test."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(engine.__file__)))
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([root, os.environ.get("PYTHONPATH", "")]))
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_version(native):
    v = engine.version()
    assert isinstance(v, str)
    assert v.startswith("pyflink-go ")
    assert v.split(" ", 1)[1][0].isdigit(), v


def test_malformed_plan_raises_engine_error(native):
    for call in (engine.submit, engine.execution_plan):
        with pytest.raises(engine.EngineError) as info:
            call(MALFORMED_PLAN)
        err = info.value
        assert isinstance(err, RuntimeError)
        assert err.call == call.__name__
        assert str(err).startswith(f"engine {call.__name__} failed: ")
        assert err.detail.strip(), "the engine gave no reason"
    assert engine.version().startswith("pyflink-go ")  # still usable afterwards


def test_malformed_plan_leaves_interpreter_alive():
    proc = run_child(
        """
        from pyflink_go import _engine_api as engine
        for plan in (b"\\xc1", b"\\x05", b"\\x81\\xa7version\\x63"):
            try:
                engine.submit(plan)
            except engine.EngineError as e:
                print("rejected:", e.call)
            else:
                raise SystemExit("accepted a malformed plan")
        print("alive")
        """
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == ["rejected: submit"] * 3 + ["alive"]


def test_empty_plan_is_rejected(native):
    with pytest.raises(engine.EngineError, match="empty plan"):
        engine.submit(b"")
    with pytest.raises(engine.EngineError, match="empty plan"):
        engine.execution_plan(b"")


def test_poll_of_unknown_job_errors_cleanly(native):
    for call, args in (
        (engine.poll, (UNKNOWN_JOB, 0)),
        (engine.status, (UNKNOWN_JOB,)),
        (engine.cancel, (UNKNOWN_JOB,)),
    ):
        with pytest.raises(engine.EngineError) as info:
            call(*args)
        assert info.value.call == call.__name__
    engine.release(UNKNOWN_JOB)  # forgetting an unknown job is a no-op


def test_empty_go_slice_never_reaches_gopy_conversion():
    # gopy's Slice_byte_to_bytes panics on an empty slice and aborts the process;
    # _bytes_out must refuse it with an EngineError first.
    proc = run_child(
        """
        from pyflink_go import _engine_api as engine
        n = engine._load()
        h = n.Slice_byte_from_bytes(b"")
        try:
            engine._bytes_out(n, h, "poll")
        except engine.EngineError as e:
            print(e)
        print("alive", n.NumHandles())
        """
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == [
        "engine poll failed: the engine returned an empty result",
        "alive 0",
    ]


def test_bytes_cross_unchanged_and_handles_are_released(native):
    before = native.NumHandles()
    data = bytes(range(256)) * 4096 + b"\x00"  # NUL bytes and non-UTF-8 included
    for payload in (data, bytearray(b"\x00\x01"), memoryview(b"xyz")):
        h = engine._bytes_in(native, payload, "submit")
        assert engine._bytes_out(native, h, "poll") == bytes(payload)
    for _ in range(50):
        with pytest.raises(engine.EngineError):
            engine.submit(MALFORMED_PLAN)
        with pytest.raises(engine.EngineError):
            engine.poll(UNKNOWN_JOB, 0)
    assert native.NumHandles() == before


def test_plan_must_be_bytes(native):
    with pytest.raises(TypeError, match="expected bytes, got str"):
        engine.submit("not bytes")


def test_prestart_validates_arguments(native):
    with pytest.raises(ValueError, match="control character"):
        engine.prestart(sys.executable, ["/ok", "/bad\x1fpath"], 1)
    with pytest.raises(engine.EngineError, match="no Python interpreter"):
        engine.prestart("", [], 1)
    with pytest.raises(engine.EngineError, match="negative worker count"):
        engine.prestart(sys.executable, sys.path, -1)


def test_import_is_lazy():
    proc = run_child(
        """
        import sys
        from pyflink_go import _engine_api as engine
        print("pyflink_go._native._engine" in sys.modules)
        engine.version()
        print("pyflink_go._native._engine" in sys.modules)
        """
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["False", "True"]


def test_forked_child_gets_an_error_instead_of_hanging():
    proc = run_child(
        """
        import os
        from pyflink_go import _engine_api as engine
        engine.version()
        pid = os.fork()
        if pid == 0:
            try:
                engine.poll(1, 0)
                code = 3
            except engine.EngineError as e:
                code = 0 if "forked" in str(e) else 4
            os._exit(code)
        _, status = os.waitpid(pid, 0)
        print("child", os.waitstatus_to_exitcode(status))
        print("parent", engine.version().split()[0])
        """,
        timeout=30,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["child", "0", "parent", "pyflink-go"]


def test_missing_native_module_says_how_to_build(tmp_path):
    pkg = tmp_path / "pyflink_go"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    shutil.copy(engine.__file__, pkg)
    proc = subprocess.run(
        [sys.executable, "-c", "from pyflink_go import _engine_api as e; e.version()"],
        env=dict(os.environ, PYTHONPATH=str(tmp_path)),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode != 0
    assert "ImportError: the native engine is not built: run pip install ." in proc.stderr
