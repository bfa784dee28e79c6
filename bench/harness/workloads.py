"""The workloads of issue 3, as variants the harness runs on every engine.

Sizes are the issue's at scale 1.0 (`--scale` shrinks or grows record counts).
Each variant knows its PyFlink script (run unchanged by pyflink-go and PyFlink)
and, for native workloads, the Java class and Go program.
"""
import dataclasses
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent.parent / "workloads"


@dataclasses.dataclass
class Variant:
    """One measured configuration of a workload."""
    workload: str        # "w1" ...
    name: str            # "typed p1" ...
    script: str = None   # PyFlink script for the python engines
    args: list = dataclasses.field(default_factory=list)
    records: int = None  # input records, for throughput
    java: str = None     # Flink Java main class for the native engines
    go: str = None       # Go native program name
    native_args: list = dataclasses.field(default_factory=list)
    pending: str = None  # why this variant cannot run yet
    pyflink_modes: tuple = None  # only these PyFlink modes run it (None: every mode asked for)
    group: str = None    # variants of one group run interleaved with each other

    def runs_on(self, engine_name):
        """Whether this variant runs on the engine of that name."""
        if self.pyflink_modes is None or not engine_name.startswith("pyflink:"):
            return True
        return engine_name.split(":", 1)[1] in self.pyflink_modes

    @property
    def key(self):
        return f"{self.workload} {self.name}"


@dataclasses.dataclass
class Workload:
    key: str
    title: str
    variants: list


def _n(base, scale):
    return max(100, int(base * scale))


def w1(scale):
    n = _n(5_000_000, scale)
    vs = []
    for typed in (True, False):
        for p in (1, 2):
            args = ["--n", str(n), "--parallelism", str(p)] + (["--typed"] if typed else [])
            vs.append(Variant("w1", f"{'typed' if typed else 'untyped'} p{p}",
                              str(SCRIPTS / "mapfilter.py"), args, n))
    return Workload("w1", "Python map + filter over small tuples", vs)


def w2(scale):
    sizes = {100: 1_000_000, 1_000: 300_000, 10_000: 50_000}
    vs = []
    for size, base in sizes.items():
        n = _n(base, scale)
        label = f"{size} B" if size < 1000 else f"{size // 1000} KB"
        vs.append(Variant("w2", label, str(SCRIPTS / "json_udf.py"),
                          ["--n", str(n), "--size", str(size)], n))
    return Workload("w2", "JSON UDF (loads, lower-case a field, dumps)", vs)


def w3(scale):
    """Word count over 10 words a line, 10k or 1M distinct words.

    PyFlink runs it in thread mode only: its process modes ran this keyed reduce
    ten times slower than thread mode here (bench/results/w3: 0.5k against 5.6k
    steady records/s), which would take hours at these sizes."""
    lines = _n(100_000, scale)
    words = 10
    vs = []
    for distinct in (10_000, 1_000_000):
        label = "10k words" if distinct == 10_000 else "1M words"
        vs.append(Variant("w3", label, str(SCRIPTS / "wordcount.py"),
                          ["--n", str(lines), "--words", str(words), "--distinct", str(distinct)],
                          lines * words, pyflink_modes=("thread",)))
    return Workload("w3", "Python word count: flat_map -> key_by -> reduce (records = words)", vs)


def w4(scale):
    n = _n(2_000_000, scale)
    per_window = max(1000, n // 20)
    args = ["--n", str(n), "--window-events", str(per_window)]
    return Workload("w4", "YSB-lite: JSON events, filter, join, 10 s event-time window counts", [
        Variant("w4", "PyFlink script", str(SCRIPTS / "ysb.py"), args, n),
        Variant("w4", "native", None, [], n, java="Ysb", go="ysb", native_args=args),
    ])


def w5(scale):
    return Workload("w5", "Startup: the 3-record uppercase job", [
        Variant("w5", "uppercase", str(SCRIPTS / "startup.py"), [], None)])


W6_KEYS = 1_000_000
W6_BACKENDS = (("hashmap", "hashmap"), ("rocksdb", "RocksDB / Pebble"))
# RocksDB (Flink) and Pebble (here) take incremental checkpoints, as large state is run.
W6_CONF = {"hashmap": [], "rocksdb": ["--conf", "execution.checkpointing.incremental=true"]}


def w6(scale):
    """The stateful job over 1M keys, without and with 1 s checkpoints, on each backend.

    PyFlink runs it in thread mode only: its process mode ran this keyed job at about
    1k records/s on this machine, which would take hours at these sizes. The two
    variants of a backend run interleaved, so the throughput loss compares runs
    made side by side."""
    n = _n(4_000_000, scale)
    vs = []
    for backend, label in W6_BACKENDS:
        for ms in (0, 1000):
            vs.append(Variant(
                "w6", f"{label}, {'1 s checkpoints' if ms else 'no checkpoints'}",
                str(SCRIPTS / "stateful.py"),
                ["--n", str(n), "--keys", str(W6_KEYS), "--backend", backend,
                 "--checkpoint-ms", str(ms)] + W6_CONF[backend],
                n, pyflink_modes=("thread",), group=f"w6 {backend}"))
    return Workload("w6", f"Stateful job over {W6_KEYS:,} keys, without and with 1 s checkpoints", vs)


def w7(scale, rate=None):
    n = _n(1_000_000, scale)
    args = ["--n", str(n)] + (["--rate", str(int(rate))] if rate else [])
    return Workload("w7", "Latency of workload 1 at a fixed offered rate", [
        Variant("w7", "p1", str(SCRIPTS / "latency.py"), args, n)])


def interleaved_groups(variants):
    """Splits variants into the lists that run interleaved: consecutive variants
    sharing a group name together, every other variant alone."""
    groups = []
    for v in variants:
        if groups and v.group and groups[-1][0].group == v.group:
            groups[-1].append(v)
        else:
            groups.append([v])
    return groups


ALL = {"w1": w1, "w2": w2, "w3": w3, "w4": w4, "w5": w5, "w6": w6, "w7": w7}
