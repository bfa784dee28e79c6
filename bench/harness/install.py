"""Installs what the benchmark runs need, each thing only when it is missing:
real PyFlink in its own virtualenv, the Maven build of the Flink Java jobs,
the Go native jobs, and our own package in the project's interpreter.
Every step logs to bench/work/logs/ and returns None with a reason on failure,
so the runs go on with the engines that are there.
"""
import os
import shutil
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent
REPO = BENCH.parent
WORK = BENCH / "work"
LOGS = WORK / "logs"
FLINK_VENV = BENCH / ".venv-flink"
FLINK_JAVA = BENCH / "flink-java"


def log(msg):
    print("[setup] " + msg, flush=True)


def _run(cmd, logname, env=None, cwd=None):
    LOGS.mkdir(parents=True, exist_ok=True)
    with open(LOGS / logname, "ab") as f:
        f.write(("\n$ " + " ".join(map(str, cmd)) + "\n").encode())
        f.flush()
        return subprocess.call(cmd, stdout=f, stderr=subprocess.STDOUT, env=env, cwd=cwd) == 0


def java_home():
    """JAVA_HOME if it holds a JDK, else the JDK of `javac` on PATH."""
    home = os.environ.get("JAVA_HOME")
    if home and (Path(home) / "bin" / "java").exists():
        return home
    javac = shutil.which("javac") or shutil.which("java")
    return str(Path(os.path.realpath(javac)).parent.parent) if javac else None


def flink_env(venv=FLINK_VENV):
    """The environment PyFlink runs in: its venv first on PATH (the Python
    workers are started as `python`), JAVA_HOME set."""
    env = dict(os.environ)
    env["PATH"] = str(venv / "bin") + os.pathsep + env.get("PATH", "")
    env["VIRTUAL_ENV"] = str(venv)
    env.pop("PYTHONPATH", None)
    env.pop("PYTHONHOME", None)
    jh = java_home()
    if jh:
        env["JAVA_HOME"] = jh
    return env


def ensure_pyflink(version, venv=FLINK_VENV):
    """Returns the venv's python with apache-flink==version, installing it if needed."""
    py = venv / "bin" / "python"
    check = [str(py), "-c", "import importlib.metadata as m; print(m.version('apache-flink'))"]
    if py.exists():
        got = subprocess.run(check, capture_output=True, text=True).stdout.strip()
        if got == version:
            return str(py)
    if not java_home():
        log("no JDK found (JAVA_HOME, javac): PyFlink skipped")
        return None
    log(f"installing apache-flink=={version} into {venv} (a large sdist; minutes)")
    if not py.exists() and not _run([sys.executable, "-m", "venv", str(venv)], "pyflink.log"):
        return None
    env = flink_env(venv)
    ok = _run([str(py), "-m", "pip", "install", "-q", "--upgrade", "pip", "setuptools", "wheel"],
              "pyflink.log", env=env) and \
        _run([str(py), "-m", "pip", "install", f"apache-flink=={version}"], "pyflink.log", env=env)
    if not ok:
        log(f"apache-flink install failed: see {LOGS / 'pyflink.log'}")
        return None
    return str(py)


def ensure_flink_java(version):
    """Builds bench/flink-java against Flink `version`; returns the run classpath."""
    if not shutil.which("mvn"):
        log("mvn not found: Flink Java jobs skipped")
        return None
    target = FLINK_JAVA / "target"
    stamp = target / f"classpath-{version}.txt"
    jar = target / "flink-bench-1.jar"
    sources = list((FLINK_JAVA / "src").rglob("*.java")) + [FLINK_JAVA / "pom.xml"]
    fresh = stamp.exists() and jar.exists() and \
        all(s.stat().st_mtime <= jar.stat().st_mtime for s in sources)
    if not fresh:
        log(f"building bench/flink-java against Flink {version} (Maven)")
        ok = _run(["mvn", "-q", "-B", f"-Dflink.version={version}", "package",
                   "dependency:build-classpath", f"-Dmdep.outputFile={stamp}"],
                  "flink-java.log", cwd=FLINK_JAVA)
        if not ok:
            log(f"Maven build failed: see {LOGS / 'flink-java.log'}")
            return None
    return str(jar) + os.pathsep + stamp.read_text().strip()


def go_tags_flag():
    """The `-tags` flag of every build of the engine (pybridge/build-tags.txt)."""
    path = REPO / "pybridge" / "build-tags.txt"
    tags = []
    if path.exists():
        for line in path.read_text().splitlines():
            tags += [t for t in line.split("#", 1)[0].replace(",", " ").split() if t]
    return ["-tags", ",".join(tags)] if tags else []


def ensure_go_native():
    """Builds the Go native jobs (bench/ysb); returns {name: binary}."""
    if not shutil.which("go"):
        log("go not found: Go native jobs skipped")
        return {}
    out = WORK / "bin"
    out.mkdir(parents=True, exist_ok=True)
    binary = out / "ysb"
    cmd = ["go", "build", *go_tags_flag(), "-o", str(binary), "./bench/ysb"]
    if not _run(cmd, "go-native.log", cwd=REPO):
        log(f"go build ./bench/ysb failed: see {LOGS / 'go-native.log'}")
        return {}
    return {"ysb": str(binary)}


def ours_works(python):
    """True when `python -m pyflink_go` runs the uppercase job correctly."""
    script = BENCH / "workloads" / "startup.py"
    try:
        proc = subprocess.run([python, "-m", "pyflink_go", str(script)], capture_output=True,
                              cwd=str(WORK), timeout=120)
    except subprocess.TimeoutExpired:
        return False
    return proc.returncode == 0 and proc.stdout.split() == [b"APPLE", b"BANANA", b"MELON"]


def ensure_ours(python, reinstall=False):
    """Returns the interpreter that runs pyflink-go, running `pip install .` if needed."""
    WORK.mkdir(parents=True, exist_ok=True)
    if not reinstall and ours_works(python):
        return python
    log(f"installing pyflink-go into {python} (pip install .)")
    if not _run([python, "-m", "pip", "install", "-q", str(REPO)], "ours.log"):
        log(f"pip install . failed: see {LOGS / 'ours.log'}")
        return None
    return python if ours_works(python) else None


OURS_VENV = BENCH / ".venv-ours"


def ours_size_venv():
    """A fresh venv with only pyflink-go (`pip install .`) and its dependencies,
    for measuring the installed size; rebuilt when the commit changes."""
    py = OURS_VENV / "bin" / "python"
    rev = subprocess.run(["git", "-C", str(REPO), "rev-parse", "HEAD"], capture_output=True,
                         text=True).stdout.strip()
    stamp = OURS_VENV / "installed-commit"
    if py.exists() and stamp.exists() and stamp.read_text() == rev:
        return str(py)
    log(f"installing pyflink-go into a fresh {OURS_VENV} (for its installed size)")
    if OURS_VENV.exists():
        shutil.rmtree(OURS_VENV)
    if not _run([sys.executable, "-m", "venv", str(OURS_VENV)], "ours-size.log"):
        return None
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    if not _run([str(py), "-m", "pip", "install", "-q", str(REPO)], "ours-size.log", env=env):
        log(f"pip install . into {OURS_VENV} failed: see {LOGS / 'ours-size.log'}")
        return None
    stamp.write_text(rev)
    return str(py)
