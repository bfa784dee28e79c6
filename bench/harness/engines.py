"""How each engine runs a workload: the command line and its environment.

Python engines run the same PyFlink script unchanged:
  pyflink-go            python -m pyflink_go job.py ...
  pyflink:<mode>        <PyFlink venv>/bin/python job.py ... --conf <mode's options>
Native engines run a program of their own:
  flink-java            java -cp <Maven classpath> bench.<Class> ...
  go-native             bench/work/bin/<name> ...
"""
import dataclasses
import os

from . import install

# PyFlink execution modes; the harness compares against the best one.
PYFLINK_MODES = {
    "process": [],                                            # defaults (bundle 1000 / 1000 ms)
    "process-small": ["python.fn-execution.bundle.size=100",  # tuned for latency
                      "python.fn-execution.bundle.time=10"],
    "process-large": ["python.fn-execution.bundle.size=100000",  # tuned for throughput
                      "python.fn-execution.bundle.time=1000"],
    "thread": ["python.execution-mode=thread"],
}

# Options every JVM of Flink 2.x on Java 17 needs (a subset of env.java.opts.all).
JAVA_OPENS = ["--add-opens=java.base/java.lang=ALL-UNNAMED",
              "--add-opens=java.base/java.util=ALL-UNNAMED",
              "--add-opens=java.base/java.nio=ALL-UNNAMED",
              "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
              "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
              "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED"]


@dataclasses.dataclass
class Engine:
    """One way of running a workload."""
    name: str          # "pyflink-go", "pyflink:thread", "flink-java", "go-native"
    family: str        # "ours" or "flink"
    kind: str          # "python" (runs PyFlink scripts) or "native"
    command: object    # (program, args) -> (argv, env)


def ours(python):
    def command(script, args):
        return [python, "-m", "pyflink_go", str(script), *args], dict(os.environ)
    return Engine("pyflink-go", "ours", "python", command)


def pyflink(python, mode):
    conf = [a for kv in PYFLINK_MODES[mode] for a in ("--conf", kv)]
    env = install.flink_env()

    def command(script, args):
        return [python, str(script), *args, *conf], env
    return Engine("pyflink:" + mode, "flink", "python", command)


def flink_java(classpath):
    java = os.path.join(install.java_home() or "", "bin", "java")
    env = dict(os.environ)

    def command(main_class, args):
        return [java, *JAVA_OPENS, "-cp", classpath, "bench." + main_class, *args], env
    return Engine("flink-java", "flink", "native", command)


def go_native(binaries):
    def command(name, args):
        return [binaries[name], *args], dict(os.environ)
    return Engine("go-native", "ours", "native", command)
