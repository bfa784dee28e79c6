"""Exactly-once under failures, proven by killing things.

A keyed counting job (file source -> Python map -> key_by -> Python reduce -> FileSink, checkpoints
every 150 ms) runs in its own process under ``python -m pyflink_go``. One test kills the job's
Python workers at random moments at least 20 times; the other kill -9s the whole job process and
resumes it from its retained checkpoint. In both, the committed output must equal the output of a
run without failures, line for line: nothing lost, nothing duplicated.
"""
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

HERE = Path(__file__).parent
JOB = HERE / "faults" / "counting_job.py"
REPO_PYTHON = HERE.parent  # python/, holding pyflink_go
WORDS = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa",
         "lambda", "mu", "nu", "xi", "omicron", "pi", "rho", "sigma", "tau", "upsilon"]


def write_input(path: Path, n: int, seed: int = 7) -> None:
    rnd = random.Random(seed)
    path.write_text("".join(rnd.choice(WORDS) + "\n" for _ in range(n)))


def committed_lines(out: Path):
    """Every line of every committed (visible) part file under ``out``."""
    lines = []
    for root, dirs, files in os.walk(out):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for f in files:
            if f.startswith("."):
                continue  # in-progress or pending part files are hidden
            lines.extend(Path(root, f).read_text().splitlines())
    return sorted(lines)


def start_job(tmp: Path, src: Path, out: Path, ckpt: Path, resume=None, sleep="0.0005",
              backend="hashmap", parallelism=2, aggregate="reduce"):
    env = dict(os.environ, PYTHONPATH=str(REPO_PYTHON) + os.pathsep + os.environ.get("PYTHONPATH", ""),
               PYFLINK_GO_PROGRESS="0")
    args = [sys.executable, "-m", "pyflink_go", str(JOB), str(src), str(out), str(ckpt), resume or "", sleep,
            backend, str(parallelism), aggregate]
    log = open(tmp / ("job-%d.log" % time.monotonic_ns()), "w")
    return subprocess.Popen(args, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True), log


def children(pid: int):
    """Pids of the processes whose parent is ``pid``."""
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path("/proc", entry, "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == pid:
            out.append(int(entry))
    return out


def worker_pids(job_pid: int):
    pids = []
    for pid in children(job_pid):
        try:
            cmd = Path("/proc", str(pid), "cmdline").read_bytes()
        except OSError:
            continue
        if b"pyflink_go._worker" in cmd or b"_worker" in cmd:
            pids.append(pid)
    return pids


def finish(proc, log, timeout=240):
    try:
        rc = proc.wait(timeout=timeout)
    finally:
        log.close()
    text = Path(log.name).read_text()
    return rc, text


@pytest.fixture(scope="module")
def baseline(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("baseline")
    src = tmp / "words.txt"
    write_input(src, 4000)
    out = tmp / "out"
    proc, log = start_job(tmp, src, out, tmp / "ckpt", sleep="0")
    rc, text = finish(proc, log)
    assert rc == 0, text
    lines = committed_lines(out)
    assert len(lines) == 4000, "the failure-free run committed %d lines" % len(lines)
    return src, lines


@pytest.mark.parametrize("aggregate", ["reduce", "sum"])
def test_killing_python_workers_20_times_loses_and_duplicates_nothing(tmp_path, baseline, aggregate):
    src, want = baseline
    out = tmp_path / "out"
    ckpt = tmp_path / "ckpt"
    proc, log = start_job(tmp_path, src, out, ckpt, sleep="0.006", aggregate=aggregate)
    rnd = random.Random(20261202)
    kills, seen = 0, 0
    deadline = time.monotonic() + 240
    while proc.poll() is None and kills < 20 and time.monotonic() < deadline:
        # Kill at a random moment after the job made progress (a checkpoint completed since
        # the last kill), so that restarts resume from checkpoints taken at random points.
        latest = latest_checkpoint(ckpt)
        done = int(latest.name.split("-")[1]) if latest else 0
        if done <= seen:
            time.sleep(0.02)
            continue
        seen = done
        time.sleep(rnd.uniform(0.0, 0.3))
        pids = worker_pids(proc.pid)
        if not pids:
            continue
        try:
            os.kill(rnd.choice(pids), signal.SIGKILL)
            kills += 1
        except ProcessLookupError:
            pass
    rc, text = finish(proc, log)
    assert rc == 0, text
    assert kills >= 20, "the job ended after %d kills; make it run longer" % kills
    assert text.count("restarts (attempt") >= 10, text[-3000:]
    # Most restarts resume from a checkpoint, not from the beginning.
    assert text.count(") from checkpoint ") >= 10, text[-3000:]
    got = committed_lines(out)
    assert got == want, "committed output differs: %d lines vs %d" % (len(got), len(want))


def latest_checkpoint(ckpt: Path):
    done = [p.parent for p in ckpt.glob("*/chk-*/_metadata")]
    return max(done, key=lambda p: int(p.name.split("-")[1])) if done else None


@pytest.mark.parametrize("backend,resume_parallelism,aggregate",
                         [("hashmap", 2, "reduce"), ("pebble-incremental", 2, "reduce"),
                          ("pebble-incremental", 3, "reduce"), ("hashmap", 2, "sum"),
                          ("hashmap", 3, "sum")])
def test_kill_9_of_the_engine_process_resumes_from_the_retained_checkpoint(
        tmp_path, baseline, backend, resume_parallelism, aggregate):
    """With incremental Pebble checkpoints the retained checkpoint is Pebble's files (shared
    sstables under <job>/shared/): the resumed job opens them at the same parallelism and copies
    key groups out of them at another. The native sum's checkpoints are chains of files too (a
    base, then the keys changed since each checkpoint before), read the same two ways."""
    src, want = baseline
    out, ckpt = tmp_path / "out", tmp_path / "ckpt"
    proc, log = start_job(tmp_path, src, out, ckpt, sleep="0.002", backend=backend,
                          aggregate=aggregate)
    deadline = time.monotonic() + 60
    while latest_checkpoint(ckpt) is None and time.monotonic() < deadline:
        assert proc.poll() is None, Path(log.name).read_text()
        time.sleep(0.05)
    time.sleep(0.4)
    os.killpg(proc.pid, signal.SIGKILL)  # the engine and its workers, no goodbye
    finish(proc, log)
    resume = latest_checkpoint(ckpt)
    assert resume is not None
    if backend == "pebble-incremental":
        assert list(resume.parent.glob("shared/*.sst")), "the checkpoint shares no sstables"
    if aggregate == "sum":
        assert list(resume.parent.glob("shared/*.[BD]")), "the checkpoint shares no chain files"
    proc, log = start_job(tmp_path, src, out, ckpt, resume=str(resume), backend=backend,
                          parallelism=resume_parallelism, aggregate=aggregate)
    rc, text = finish(proc, log)
    assert rc == 0, text
    got = committed_lines(out)
    assert got == want, "committed output differs: %d lines vs %d" % (len(got), len(want))
