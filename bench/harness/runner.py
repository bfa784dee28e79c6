"""Runs the workload variants on every engine that can run them, interleaved
(A B A B ...) for the given number of repeats, and summarizes each engine's
runs into median figures, output digests and latency percentiles.
"""
import dataclasses
import re
from pathlib import Path

from . import measure, outputs, stats
from .workloads import SCRIPTS


@dataclasses.dataclass
class EngineSummary:
    """The runs of one engine on one variant."""
    engine: str
    family: str
    status: str = "ok"          # ok | failed | unsupported | pending | skipped
    reason: str = ""
    runs: int = 0
    figures: stats.Figures = None
    lines: int = None
    digest: str = None
    consistent: bool = True     # every repeat produced the same output
    latency_p50_ms: float = None
    latency_p99_ms: float = None
    extra: dict = None          # medians of the figures the script reported (#bench lines)


@dataclasses.dataclass
class VariantResult:
    workload: str
    variant: str
    records: int
    engines: dict               # engine name -> EngineSummary
    outputs_equal: bool = None
    pending: str = None
    reference: str = None       # digest of the plain-Python reference output, if computed


# An error that says a feature is missing rather than wrong.
UNSUPPORTED = re.compile(r"ImportError|NotImplementedError|not implemented|not supported|unsupported")


def _last_error(tail):
    lines = [l.strip() for l in tail.splitlines() if l.strip()]
    for l in reversed(lines):
        if re.search(r"(Error|Exception|PENDING|unsupported|not supported)", l):
            return l[:300]
    return lines[-1][:300] if lines else "no output"


def reference_digest(variant):
    """Digest of the reference output of a variant (bench/workloads/expected.py)."""
    import sys
    sys.path.insert(0, str(SCRIPTS))
    import expected
    script = Path(variant.script).name if variant.script else "ysb.py"
    args = variant.args if variant.script else variant.native_args
    return outputs.digest_lines(expected.from_args(script, args))


def bench_figures(err_path):
    """The `#bench` figures of the stderr file of a run ({} when unreadable)."""
    try:
        return outputs.script_figures(Path(err_path).read_text(errors="replace"))
    except OSError:
        return {}


class _VariantRuns:
    """The runs of one variant on its engines, collected across repeats."""

    def __init__(self, variant, engines, check_reference):
        self.variant = variant
        self.engines = [e for e in engines if variant.runs_on(e.name)]
        self.res = VariantResult(variant.workload, variant.name, variant.records, {})
        self.per_engine = {e.name: [] for e in self.engines}
        self.summaries = {e.name: EngineSummary(e.name, e.family) for e in self.engines}
        self.slug = re.sub(r"[^a-z0-9]+", "-", variant.key.lower()).strip("-")
        if variant.pending:
            self.res.pending = variant.pending
        elif check_reference:
            self.res.reference = reference_digest(variant)

    def run_once(self, e, rep, work_dir, timeout, say):
        """One run of the variant on engine e (skipped once the engine failed it)."""
        variant, s = self.variant, self.summaries[e.name]
        if s.status != "ok":
            return
        if e.kind == "python":
            argv, env = e.command(variant.script, variant.args)
        else:
            program = variant.java if e.name == "flink-java" else variant.go
            if not program:
                s.status, s.reason = "skipped", "no program for this engine"
                return
            argv, env = e.command(program, variant.native_args)
        tag = f"{self.slug}.{e.name.replace(':', '-')}.{rep}"
        out_path, err_path = work_dir / f"{tag}.out", work_dir / f"{tag}.err"
        r = measure.run(argv, env=env, stdout_path=out_path, stderr_path=err_path,
                        timeout=timeout, cwd=str(work_dir))
        if r.returncode == 3 and "PENDING" in r.stderr_tail:
            s.status, s.reason = "pending", _last_error(r.stderr_tail)
            say(f"  {variant.key:<22} {e.name:<22} pending: {s.reason}")
            return
        if r.returncode != 0 or r.timed_out:
            s.reason = "timed out" if r.timed_out else _last_error(r.stderr_tail)
            s.status = "unsupported" if UNSUPPORTED.search(s.reason) else "failed"
            say(f"  {variant.key:<22} {e.name:<22} {s.status.upper()} (rc={r.returncode}): {s.reason}"
                f"  [{err_path}]")
            return
        out = outputs.summarize(out_path)
        fig = stats.figures(r, variant.records)
        extra = bench_figures(err_path)
        self.per_engine[e.name].append((r, out, fig, extra))
        rate = f"{fig.rec_per_s:,.0f} rec/s" if fig.rec_per_s else ""
        more = "".join(f" {k}={v:g}" for k, v in extra.items())
        say(f"  {variant.key:<22} {e.name:<22} run {rep + 1}: {r.wall_s:7.2f} s wall "
            f"{r.cpu_s:7.2f} s cpu {fig.peak_rss_mb:7.0f} MB {rate:>16} "
            f"{out.lines} lines {out.digest}{more}")

    def finish(self):
        """Summarizes the runs into the VariantResult."""
        res, summaries = self.res, self.summaries
        if res.pending:
            return res
        for name, runs in self.per_engine.items():
            s = summaries[name]
            if not runs:
                if s.status == "ok":
                    s.status, s.reason = "skipped", "not run"
                continue
            s.runs = len(runs)
            s.figures = stats.median_figures([f for _, _, f, _ in runs])
            s.lines, s.digest = runs[0][1].lines, runs[0][1].digest
            s.consistent = len({o.digest for _, o, _, _ in runs}) == 1
            p50s = [stats.percentile(o.metrics, 50) for _, o, _, _ in runs if o.metrics]
            p99s = [stats.percentile(o.metrics, 99) for _, o, _, _ in runs if o.metrics]
            s.latency_p50_ms, s.latency_p99_ms = stats.median(p50s), stats.median(p99s)
            keys = sorted({k for _, _, _, x in runs for k in x})
            s.extra = {k: stats.median([x.get(k) for _, _, _, x in runs]) for k in keys} or None
        res.engines = summaries
        done = {n: s for n, s in summaries.items() if s.status == "ok" and s.digest}
        digests = {s.digest for s in done.values()} | ({res.reference} if res.reference else set())
        if len(done) >= 2 or (done and res.reference):
            res.outputs_equal = len(digests) == 1 and all(s.consistent for s in done.values())
        return res


def run_group(variants, engines, repeats, work_dir, timeout, say, check_reference=True):
    """Runs variants interleaved with each other and across engines (for each repeat:
    every variant on every engine), so figures compared between them come from runs
    made side by side; returns their VariantResults in order."""
    runs = [_VariantRuns(v, engines, check_reference) for v in variants]
    for rep in range(repeats):
        for vr in runs:
            if vr.res.pending:
                continue
            for e in vr.engines:
                vr.run_once(e, rep, work_dir, timeout, say)
    return [vr.finish() for vr in runs]
