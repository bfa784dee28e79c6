#!/usr/bin/env python3
"""Side-by-side benchmarks: pyflink-go against Apache Flink (PyFlink and Flink Java).

    python3 bench/run.py                        # everything, issue-3 sizes, 3 repeats
    python3 bench/run.py -w w1,w5 --scale 0.1   # a small run

Installs what it needs on first use: a small venv for the harness (psutil,
matplotlib, py-spy) in bench/.venv-harness, apache-flink in bench/.venv-flink,
the Maven build of bench/flink-java, and pyflink-go itself (`pip install .`)
into the interpreter that runs this script when it is missing there. Writes
bench/results/RESULTS.md, results.json and chart.png.
"""
import os
import subprocess
import sys
import venv
from pathlib import Path

BENCH = Path(__file__).resolve().parent
HARNESS_VENV = BENCH / ".venv-harness"
HARNESS_DEPS = ["psutil", "matplotlib", "py-spy"]


def bootstrap():
    """Re-executes this script inside the harness venv (creating it if needed),
    passing the original interpreter on as the one that runs pyflink-go."""
    py = HARNESS_VENV / "bin" / "python"
    if Path(sys.prefix).resolve() == HARNESS_VENV.resolve():
        return
    probe = "import psutil, matplotlib"
    if not py.exists() or subprocess.call([str(py), "-c", probe], stderr=subprocess.DEVNULL) != 0:
        print(f"[setup] creating {HARNESS_VENV} ({', '.join(HARNESS_DEPS)})", flush=True)
        venv.create(HARNESS_VENV, with_pip=True, clear=py.exists())
        subprocess.check_call([str(py), "-m", "pip", "install", "-q", *HARNESS_DEPS])
    args = sys.argv[1:]
    if "--project-python" not in args:
        args += ["--project-python", sys.executable]
    os.execv(str(py), [str(py), str(Path(__file__).resolve()), *args])


if __name__ == "__main__":
    bootstrap()
    sys.path.insert(0, str(BENCH))
    from harness.cli import main
    sys.exit(main(sys.argv[1:]))
