"""The ``pyflink-go`` command line against jobs running in this process, end to end.

Each job sets ``rest.port``, so this process serves Flink's REST API (engine/rest); the command
line runs as a separate process (``python -m pyflink_go.cli``, what the ``pyflink-go`` console
script runs) and reaches the jobs through it, as Flink's ``flink`` CLI reaches a MiniCluster.
The savepoints it takes are checked the way test_connectors_checkpoint.py checks savepoints: a
new job resumed from one commits every input exactly once.
"""
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pyflink_go.common import Configuration, Encoder, JobStatus, Types, WatermarkStrategy
from pyflink_go.datastream import StreamExecutionEnvironment
from pyflink_go.datastream.connectors.file_system import FileSink
from pyflink_go.datastream.connectors.number_seq import NumberSequenceSource
from pyflink_go.errors import JobExecutionError

N = 200_000
PYTHON_DIR = str(Path(__file__).resolve().parents[1])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def address():
    """One REST address for the module: the endpoint serves every job of this process."""
    return "127.0.0.1:%d" % free_port()


def cli(*args, env=None, timeout=120):
    """Run the command line in its own process; return the CompletedProcess."""
    full_env = dict(os.environ)
    full_env["PYTHONPATH"] = PYTHON_DIR + os.pathsep + full_env.get("PYTHONPATH", "")
    full_env.pop("PYFLINK_GO_JOBMANAGER", None)
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-m", "pyflink_go.cli"] + list(args), env=full_env,
                          capture_output=True, text=True, timeout=timeout)


def committed_lines(out: Path):
    lines = []
    for root, dirs, files in os.walk(out):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for f in files:
            if not f.startswith("."):
                lines.extend(Path(root, f).read_text().splitlines())
    return lines


def slow_while(marker: str, started: str):
    """A map that is slow while ``marker`` exists; it creates ``started`` when it first runs."""
    def f(x):
        if os.path.exists(marker):
            if not os.path.exists(started):
                open(started, "w").close()
            time.sleep(0.0005)
        return str(x)
    return f


def build(tmp: Path, out: Path, address=None, checkpoints=True, resume=None):
    """The job: numbers → slow map → FileSink, with checkpointing (only savepoints happen)."""
    config = Configuration()
    if address:
        config.set_string("rest.port", address.rsplit(":", 1)[1])
    if resume:
        config.set_string("execution.savepoint.path", resume)
    env = StreamExecutionEnvironment.get_execution_environment(config)
    env.set_parallelism(2)
    if checkpoints:
        env.enable_checkpointing(3_600_000)
    env.from_source(NumberSequenceSource(1, N), WatermarkStrategy.no_watermarks(), "numbers") \
        .map(slow_while(str(tmp / "slow"), str(tmp / "started")), output_type=Types.STRING()) \
        .sink_to(FileSink.for_row_format(str(out), Encoder.simple_string_encoder()).build())
    return env


def start(tmp: Path, out: Path, address, name, checkpoints=True):
    """Start the slow job in the background; return its JobClient once it processes records."""
    (tmp / "slow").write_text("")
    client = build(tmp, out, address, checkpoints).execute_async(name)
    deadline = time.monotonic() + 60
    while not (tmp / "started").exists():
        assert time.monotonic() < deadline, "the job did not start"
        time.sleep(0.02)
    return client


def job_line(stdout: str, job_id: str, name: str, state: str) -> bool:
    """Whether ``flink list`` output has the job's line: 'dd.MM.yyyy HH:mm:ss : id : name (STATE)'."""
    pattern = r"^\d\d\.\d\d\.\d{4} \d\d:\d\d:\d\d : %s : %s \(%s\)$" % (job_id, re.escape(name), state)
    return re.search(pattern, stdout, re.M) is not None


def savepoint_path(stdout: str) -> str:
    m = re.search(r"^Savepoint completed\. Path: (file:\S+)$", stdout, re.M)
    assert m, stdout
    local = m.group(1)[len("file:"):]
    assert os.path.isfile(os.path.join(local, "_metadata")), "no savepoint at " + local
    return m.group(1)


def resume_all(tmp: Path, out: Path, path: str):
    """Run the job again from the savepoint, fast; return every committed line."""
    (tmp / "slow").unlink()
    build(tmp, out, resume=path).execute("resumed")
    return committed_lines(out)


def test_list_savepoint_cancel_then_resume(tmp_path, address):
    out = tmp_path / "out"
    client = start(tmp_path, out, address, "cli savepoint")
    job_id = str(client.get_job_id())

    r = cli("list", "-m", address)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("Waiting for response...\n")
    assert "------------------ Running/Restarting Jobs -------------------" in r.stdout
    assert job_line(r.stdout, job_id, "cli savepoint", "RUNNING"), r.stdout

    # The address may come from the environment instead of -m.
    r = cli("savepoint", job_id, str(tmp_path / "savepoints"), env={"PYFLINK_GO_JOBMANAGER": address})
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("Triggering savepoint for job %s.\nWaiting for response...\n" % job_id)
    path = savepoint_path(r.stdout)
    assert path.startswith("file:" + str(tmp_path / "savepoints" / ("savepoint-" + job_id[:6])))
    assert "You can resume your program from this savepoint with the run command." in r.stdout

    # The savepoint's part files become visible once the sinks hear it completed.
    deadline = time.monotonic() + 60
    while not committed_lines(out):
        assert time.monotonic() < deadline, "the savepoint's output was never committed"
        time.sleep(0.05)
    assert client.get_job_status().result() == JobStatus.RUNNING

    r = cli("cancel", "-m", address, job_id)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "Cancelling job %s.\nCancelled job %s.\n" % (job_id, job_id)
    with pytest.raises(JobExecutionError):
        client.get_job_execution_result().result()
    assert client.get_job_status().result() == JobStatus.CANCELED
    at_cancel = committed_lines(out)

    r = cli("list", "-m", address, "-a")
    assert r.returncode == 0, r.stderr
    assert job_line(r.stdout, job_id, "cli savepoint", "CANCELED"), r.stdout
    assert "---------------------- Terminated Jobs -----------------------" in r.stdout

    got = resume_all(tmp_path, out, path)
    assert 0 < len(at_cancel) < N, "the savepoint should cut the input"
    assert sorted(got, key=int) == [str(i) for i in range(1, N + 1)]


def test_stop_with_savepoint_then_resume(tmp_path, address):
    out = tmp_path / "out"
    client = start(tmp_path, out, address, "cli stop")
    job_id = str(client.get_job_id())

    r = cli("stop", "-m", address, "--savepointPath", str(tmp_path / "savepoints"), job_id)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith('Suspending job "%s" with a CANONICAL savepoint.\n'
                               'Triggering stop-with-savepoint for job %s.\n'
                               'Waiting for response...\n' % (job_id, job_id))
    path = savepoint_path(r.stdout)
    client.get_job_execution_result().result()  # stop-with-savepoint ends the job FINISHED
    assert client.get_job_status().result() == JobStatus.FINISHED
    stopped = committed_lines(out)

    r = cli("list", "-m", address, "-a")
    assert job_line(r.stdout, job_id, "cli stop", "FINISHED"), r.stdout

    got = resume_all(tmp_path, out, path)
    assert 0 < len(stopped) < N, "the stop should cut the input"
    assert sorted(got, key=int) == [str(i) for i in range(1, N + 1)]


def test_errors_and_cancel(tmp_path, address):
    # Nothing listening: the error names the address and says what serves it.
    idle = "127.0.0.1:%d" % free_port()
    r = cli("list", "-m", idle)
    assert r.returncode == 1
    assert "The program finished with the following exception:" in r.stderr
    assert "Could not connect to the JobManager at %s" % idle in r.stderr
    assert "rest.port" in r.stderr

    # A job without checkpointing: its savepoint fails with the engine's cause.
    client = start(tmp_path, tmp_path / "out", address, "cli cancel", checkpoints=False)
    job_id = str(client.get_job_id())
    r = cli("savepoint", "-m", address, job_id, str(tmp_path / "savepoints"))
    assert r.returncode == 1
    assert "Triggering a savepoint for the job %s failed:" % job_id in r.stderr
    assert "checkpointing to be enabled" in r.stderr, r.stderr

    r = cli("stop", "-m", address, "--drain", "-p", str(tmp_path / "savepoints"), job_id)
    assert r.returncode == 1 and "checkpointing to be enabled" in r.stderr, r.stderr

    unknown = "f" * 32
    for args in (["cancel", unknown], ["savepoint", unknown, "/tmp"], ["stop", unknown]):
        r = cli(args[0], "-m", address, *args[1:])
        assert r.returncode == 1, (args, r.stdout)
        assert "Job %s not found" % unknown in r.stderr, (args, r.stderr)

    r = cli("cancel", "-m", address, "not-a-job")
    assert r.returncode == 1 and "not a valid ID" in r.stderr, r.stderr

    assert client.get_job_status().result() == JobStatus.RUNNING
    r = cli("cancel", "-m", address, job_id)
    assert r.returncode == 0, r.stderr
    with pytest.raises(JobExecutionError):
        client.get_job_execution_result().result()
    assert client.get_job_status().result() == JobStatus.CANCELED

    r = cli("cancel", "-m", address, job_id)
    assert r.returncode == 1
    assert "already reached another terminal state (CANCELED)" in r.stderr, r.stderr


def test_scripts_still_run(tmp_path):
    """Anything that is not a command runs as a script, as with ``python -m pyflink_go``."""
    script = tmp_path / "hello.py"
    script.write_text("import sys\nprint('args', sys.argv[1:])\n")
    for args in ([str(script), "x"], ["run", str(script), "x"]):
        r = cli(*args)
        assert r.returncode == 0, r.stderr
        assert r.stdout == "args ['x']\n"


def test_console_script(tmp_path):
    """The ``pyflink-go`` console script that ``pip install .`` puts next to the interpreter
    runs this command line (with PYTHONPATH=python it imports the source tree, as CI runs it)."""
    script = os.path.join(os.path.dirname(sys.executable), "pyflink-go")
    if not os.path.exists(script):
        pytest.skip("pyflink-go is not installed in this environment (pip install .)")
    if "pyflink_go.cli" not in Path(script).read_text(errors="replace"):
        pytest.skip("the installed pyflink-go predates the command line; pip install . again")
    idle = "127.0.0.1:%d" % free_port()
    env = dict(os.environ, PYTHONPATH=PYTHON_DIR + os.pathsep + os.environ.get("PYTHONPATH", ""))
    r = subprocess.run([script, "cancel", "-m", idle, "0" * 32], env=env, capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 1
    assert r.stdout == "Cancelling job %s.\n" % ("0" * 32)
    assert "Could not connect to the JobManager at %s" % idle in r.stderr


def test_server_errors_keep_their_first_line():
    """A Flink cluster's error bodies carry Java stack traces; the command line shows the first line."""
    from pyflink_go.cli import _errors
    body = {"errors": ["org.apache.flink.runtime.rest.NotFoundException: Job 12 not found\n\tat x.y(Z.java:1)"]}
    assert _errors(body) == "org.apache.flink.runtime.rest.NotFoundException: Job 12 not found"
    assert _errors({"errors": ["a", "b"]}) == "a; b"
    assert _errors({}) == ""


FLINK_VENV = os.environ.get("PYFLINK_GO_FLINK_VENV", "")


@pytest.mark.skipif(not FLINK_VENV, reason="set PYFLINK_GO_FLINK_VENV to a virtualenv with apache-flink "
                                           "(e.g. bench/.venv-flink) and Java to run Flink's own CLI")
def test_flinks_own_cli_against_the_endpoint(tmp_path, address):
    """Apache Flink's `flink` command line (flink-clients' CliFrontend and RestClusterClient) lists,
    savepoints, stops and cancels jobs through the endpoint, reading our JSON with Flink's classes."""
    import glob
    flink = glob.glob(os.path.join(FLINK_VENV, "lib", "python*", "site-packages", "pyflink", "bin",
                                   "flink"))[0]
    env = dict(os.environ, PATH=os.path.join(FLINK_VENV, "bin") + os.pathsep + os.environ["PATH"])

    def run(*args):
        r = subprocess.run([flink] + list(args), env=env, capture_output=True, text=True, timeout=300)
        assert r.returncode == 0, r.stdout + r.stderr
        return r.stdout

    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = start(tmp_path / "a", tmp_path / "a" / "out", address, "flink cli a")
    second = start(tmp_path / "b", tmp_path / "b" / "out", address, "flink cli b")
    a, b = str(first.get_job_id()), str(second.get_job_id())
    out = run("list", "-m", address)
    assert job_line(out, a, "flink cli a", "RUNNING") and job_line(out, b, "flink cli b", "RUNNING"), out

    savepoint_path(run("savepoint", "-m", address, a, str(tmp_path / "sp")))
    out = run("stop", "-m", address, "-p", str(tmp_path / "sp"), b)
    savepoint_path(out)
    second.get_job_execution_result().result()
    assert second.get_job_status().result() == JobStatus.FINISHED

    assert "Cancelled job %s." % a in run("cancel", "-m", address, a)
    with pytest.raises(JobExecutionError):
        first.get_job_execution_result().result()
    out = run("list", "-a", "-m", address)
    assert job_line(out, a, "flink cli a", "CANCELED") and job_line(out, b, "flink cli b", "FINISHED"), out
