"""Runs one command and measures it: wall time, CPU-seconds summed over the
whole process tree (children, grandchildren, orphans), peak summed RSS, and the
arrival time of the first and last stdout line.

The harness makes itself a child subreaper (Linux prctl), so every process a
run starts, even one whose parent exits first, is reparented to the harness
and reaped by it; the CPU time of reaped processes comes from
getrusage(RUSAGE_CHILDREN), which is exact. A sampler thread adds the CPU and
RSS of the live tree (psutil) every --sample-interval for the timeline and the
peak memory.
"""
import ctypes
import dataclasses
import os
import resource
import signal
import subprocess
import threading
import time

import psutil

PR_SET_CHILD_SUBREAPER = 36


def become_subreaper():
    """Makes orphaned descendants of this process its children (Linux only)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except OSError:
        return False


@dataclasses.dataclass
class RunResult:
    """What one measured run produced."""
    cmd: list
    returncode: int
    wall_s: float
    cpu_s: float
    peak_rss_bytes: int
    first_line_s: float = None     # seconds from start to the first stdout line
    last_line_s: float = None
    lines: int = 0
    first_burst_lines: int = 0     # lines that arrived within 50 ms of the first one
    timeline: list = dataclasses.field(default_factory=list)  # (t, cpu_s, rss_bytes)
    stdout_path: str = ""
    stderr_tail: str = ""
    timed_out: bool = False

    def cpu_at(self, t):
        """CPU-seconds used by the tree up to t seconds after the start (interpolated)."""
        pts = self.timeline
        if not pts or t is None:
            return None
        prev = (0.0, 0.0)
        for ts, cpu, _ in pts:
            if ts >= t:
                span = ts - prev[0]
                frac = (t - prev[0]) / span if span > 0 else 1.0
                return prev[1] + frac * (cpu - prev[1])
            prev = (ts, cpu)
        return self.cpu_s if t >= self.wall_s else prev[1]


def _children_cpu():
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def _live_tree():
    try:
        return psutil.Process().children(recursive=True)
    except psutil.Error:
        return []


def _sample_tree():
    """CPU-seconds and RSS of the live descendants of this process."""
    cpu = 0.0
    rss = 0
    for p in _live_tree():
        try:
            with p.oneshot():
                t = p.cpu_times()
                cpu += t.user + t.system + t.children_user + t.children_system
                rss += p.memory_info().rss
        except psutil.Error:
            pass
    return cpu, rss


def _reap(main_pid, status):
    """Reaps every finished child; records the main process's exit status."""
    while True:
        try:
            pid, st = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        if pid == main_pid:
            status["rc"] = os.waitstatus_to_exitcode(st)
            status["t"] = time.monotonic()


def _kill_tree(pgid):
    try:
        os.killpg(pgid, signal.SIGKILL)
    except OSError:
        pass
    for p in _live_tree():
        try:
            p.kill()
        except psutil.Error:
            pass


def run(cmd, *, env=None, cwd=None, stdout_path, stderr_path, timeout=3600.0,
        sample_interval=0.1, linger=30.0):
    """Runs cmd to completion and returns a RunResult.

    The run ends when the main process has exited and every descendant is gone
    (descendants still alive `linger` seconds after the main process exits are
    killed). stdout goes to stdout_path with per-line arrival times recorded.
    """
    _reap(-1, {})
    cpu0 = _children_cpu()
    status = {}
    line_times = []
    t0 = time.monotonic()
    with open(stdout_path, "wb") as out, open(stderr_path, "wb") as err:
        proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=err,
                                stdin=subprocess.DEVNULL, start_new_session=True)

        def read():
            for line in proc.stdout:
                line_times.append(time.monotonic() - t0)
                out.write(line)
            proc.stdout.close()

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        timeline = []
        peak = 0
        timed_out = False
        while True:
            _reap(proc.pid, status)
            live_cpu, rss = _sample_tree()
            now = time.monotonic() - t0
            timeline.append((now, _children_cpu() - cpu0 + live_cpu, rss))
            peak = max(peak, rss)
            if "rc" in status:
                if not _live_tree():
                    break
                if time.monotonic() - status["t"] > linger:
                    _kill_tree(proc.pid)
            elif now > timeout:
                timed_out = True
                _kill_tree(proc.pid)
            time.sleep(sample_interval)
        proc.returncode = status["rc"]
        reader.join(timeout=10)
    end = status.get("t", time.monotonic()) - t0
    cpu = _children_cpu() - cpu0
    timeline.append((end, cpu, 0))
    first = line_times[0] if line_times else None
    burst = sum(1 for t in line_times if first is not None and t - first <= 0.05)
    with open(stderr_path, "rb") as f:
        f.seek(max(0, os.path.getsize(stderr_path) - 4000))
        tail = f.read().decode("utf-8", "replace")
    return RunResult(cmd=list(cmd), returncode=status["rc"], wall_s=end, cpu_s=cpu,
                     peak_rss_bytes=peak, first_line_s=first,
                     last_line_s=line_times[-1] if line_times else None,
                     lines=len(line_times), first_burst_lines=burst, timeline=timeline,
                     stdout_path=str(stdout_path), stderr_tail=tail, timed_out=timed_out)
