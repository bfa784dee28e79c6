"""Where our time goes, for the results: samples a run of pyflink-go with
py-spy (every process of the tree: the engine's process, with native frames,
and the Python UDF workers) and reports the functions with the most samples,
by own time and by inclusive time. When the engine writes a Go CPU profile
(it is asked to through PYFLINK_GO_CPUPROFILE=<path>), `go tool pprof -top`
of it is reported too.
"""
import collections
import shutil
import subprocess
from pathlib import Path


def py_spy():
    """The py-spy executable next to this interpreter or on PATH, or None."""
    import sys
    here = Path(sys.executable).parent / "py-spy"
    return str(here) if here.exists() else shutil.which("py-spy")


def summarize_raw(path, top=15):
    """Top functions of a py-spy raw (collapsed stacks) file."""
    own = collections.Counter()
    incl = collections.Counter()
    total = 0
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            stack, _, count = line.rstrip().rpartition(" ")
            if not stack or not count.isdigit():
                continue
            n = int(count)
            total += n
            frames = stack.split(";")
            own[_short(frames[-1])] += n
            for fr in set(_short(x) for x in frames):
                incl[fr] += n
    if not total:
        return "no samples"
    lines = [f"{total} samples; own time:"]
    lines += [f"  {100 * n / total:5.1f}%  {fn}" for fn, n in own.most_common(top)]
    lines += ["inclusive time:"]
    lines += [f"  {100 * n / total:5.1f}%  {fn}" for fn, n in incl.most_common(top)
              if not fn.startswith(("process ", "<module>", "_run_code", "_run_module"))][:top]
    return "\n".join(lines)


def _short(frame):
    # "func (path/to/file.py:12)" -> "func (file.py:12)"
    name, _, where = frame.partition(" (")
    if where:
        where = where.rstrip(")").rsplit("/", 1)[-1]
        return f"{name} ({where})"
    return name


GO_PROFILE_ENV = "PYFLINK_GO_CPUPROFILE"


def go_profile(argv, env, out_dir, tag):
    """Runs argv asking the engine for a Go CPU profile; returns `pprof -top` text or None."""
    prof = Path(out_dir) / f"{tag}.pprof"
    if prof.exists():
        prof.unlink()
    env = dict(env, **{GO_PROFILE_ENV: str(prof)})
    subprocess.call(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if not prof.exists() or not shutil.which("go"):
        return None
    out = subprocess.run(["go", "tool", "pprof", "-top", "-nodecount=20", str(prof)],
                         capture_output=True, text=True)
    return out.stdout if out.returncode == 0 else None


def profile(argv, env, out_dir, tag, rate=200):
    """Runs argv under py-spy; returns the summary text or None (no py-spy, failure)."""
    exe = py_spy()
    if not exe:
        return None
    raw = Path(out_dir) / f"{tag}.pyspy.txt"
    cmd = [exe, "record", "--subprocesses", "--native", "--format", "raw", "--rate", str(rate),
           "--output", str(raw), "--"] + list(argv)
    with open(Path(out_dir) / f"{tag}.pyspy.log", "wb") as log:
        rc = subprocess.call(cmd, env=env, stdout=subprocess.DEVNULL, stderr=log)
    if rc != 0 or not raw.exists():
        cmd.remove("--native")
        with open(Path(out_dir) / f"{tag}.pyspy.log", "ab") as log:
            rc = subprocess.call(cmd, env=env, stdout=subprocess.DEVNULL, stderr=log)
    if not raw.exists():
        return None
    return summarize_raw(raw)
