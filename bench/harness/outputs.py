"""Normalizes the printed output of a run and compares engines.

A data line may carry Flink's print prefix "<subtask>> " (parallelism > 1) and
a measurement after "|" (a latency that differs from run to run). The
comparable part is the line without both; the sorted comparable lines are
hashed, and engines agree when their digests are equal.
"""
import dataclasses
import hashlib
import re

PREFIX = re.compile(rb"^\d+> ")


@dataclasses.dataclass
class Output:
    """The comparable summary of one run's stdout."""
    lines: int
    digest: str
    metrics: list     # the floats after "|", in arrival order


def summarize(path, keep=None):
    """Reads a stdout file into an Output; `keep(line)` may drop non-data lines."""
    rows = []
    metrics = []
    with open(path, "rb") as f:
        for raw in f:
            line = PREFIX.sub(b"", raw.rstrip(b"\r\n"))
            if keep is not None and not keep(line):
                continue
            data, sep, metric = line.partition(b"|")
            if sep:
                try:
                    metrics.append(float(metric))
                except ValueError:
                    pass
            rows.append(data)
    rows.sort()
    h = hashlib.sha256()
    for r in rows:
        h.update(r)
        h.update(b"\n")
    return Output(lines=len(rows), digest=h.hexdigest()[:16], metrics=metrics)


def digest_lines(lines):
    """The digest summarize() gives for these (already sorted) comparable lines."""
    h = hashlib.sha256()
    for r in lines:
        h.update(r.encode() if isinstance(r, str) else r)
        h.update(b"\n")
    return h.hexdigest()[:16]


def agreement(outputs):
    """Given {engine: Output}, returns (all_equal, {engine: digest})."""
    digests = {e: o.digest for e, o in outputs.items() if o is not None}
    return len(set(digests.values())) <= 1 and bool(digests), digests


def script_figures(text):
    """The `#bench key=value ...` figures a workload script wrote to its stderr
    (values that are not numbers are ignored)."""
    out = {}
    for line in text.splitlines():
        if line.startswith("#bench "):
            for item in line.split()[1:]:
                k, _, v = item.partition("=")
                try:
                    out[k] = float(v)
                except ValueError:
                    pass
    return out
