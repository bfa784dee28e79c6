"""Medians and derived figures of repeated runs."""
import dataclasses
import statistics


def median(values):
    vals = [v for v in values if v is not None]
    return statistics.median(vals) if vals else None


def percentile(values, q):
    """The q-th percentile (0..100) by nearest rank; None for no values."""
    vals = sorted(values)
    if not vals:
        return None
    k = max(0, min(len(vals) - 1, int(round(q / 100.0 * len(vals) + 0.5)) - 1))
    return vals[k]


@dataclasses.dataclass
class Figures:
    """The figures of one run of `records` input records."""
    wall_s: float
    cpu_s: float
    peak_rss_mb: float
    rec_per_s: float = None          # end to end: records / wall time
    rec_per_cpu_s: float = None      # end to end: records / CPU-seconds of the tree
    steady_rec_per_s: float = None   # between the first and the last output line
    steady_rec_per_cpu_s: float = None
    first_output_s: float = None


def figures(result, records):
    """Derives Figures from a measure.RunResult of a job over `records` inputs.

    The steady-state figures count the inputs processed between the first and
    the last output line: outputs sample the input uniformly, so that is
    records * (lines - lines_in_first_burst) / lines.
    """
    f = Figures(wall_s=result.wall_s, cpu_s=result.cpu_s,
                peak_rss_mb=result.peak_rss_bytes / 2**20, first_output_s=result.first_line_s)
    if records:
        f.rec_per_s = records / result.wall_s if result.wall_s > 0 else None
        f.rec_per_cpu_s = records / result.cpu_s if result.cpu_s > 0 else None
        t1, t2 = result.first_line_s, result.last_line_s
        if result.lines >= 10 and t1 is not None and t2 - t1 > 0.2:
            frac = (result.lines - result.first_burst_lines) / result.lines
            recs = records * frac
            f.steady_rec_per_s = recs / (t2 - t1)
            cpu = result.cpu_at(t2) - result.cpu_at(t1)
            f.steady_rec_per_cpu_s = recs / cpu if cpu > 0 else None
    return f


def median_figures(items):
    """The field-wise median of a list of Figures."""
    if not items:
        return None
    out = {}
    for field in dataclasses.fields(Figures):
        out[field.name] = median(getattr(i, field.name) for i in items)
    return Figures(**out)
