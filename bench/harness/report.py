"""Turns the variant results into ratios, the console table,
bench/results/RESULTS.md, results.json and chart.png.

Every ratio is ours / Flink's figure from the same run; for the Python
workloads Flink's figure is the best PyFlink mode for that metric.
"""
import dataclasses
import json

TARGETS = {"python": 3.0, "startup": 10.0, "size": 10.0, "native_cpu": 1.0, "p99_ms": 50.0}


def _fmt(v, unit="", digits=0):
    if v is None:
        return "–"
    return f"{v:,.{digits}f}{unit}"


def _ratio(a, b):
    return a / b if a and b else None


def best_pyflink(result, metric):
    """(engine name, value) of the PyFlink mode with the highest `metric`."""
    best = (None, None)
    for name, s in result.engines.items():
        if s.family == "flink" and s.status == "ok" and s.figures and name.startswith("pyflink"):
            v = getattr(s.figures, metric)
            if v is not None and (best[1] is None or v > best[1]):
                best = (name, v)
    return best


def ratios(result):
    """Ratio figures of one variant (empty when a side is missing)."""
    e = result.engines
    out = {}
    ours = e.get("pyflink-go")
    if result.workload == "w7":
        if ours and ours.status == "ok" and ours.latency_p99_ms:
            flink = [(s.latency_p99_ms, n) for n, s in e.items()
                     if n.startswith("pyflink:") and s.status == "ok" and s.latency_p99_ms]
            if flink:
                v, n = min(flink)
                out["p99_latency"] = (v / ours.latency_p99_ms, n)
            flink50 = [(s.latency_p50_ms, n) for n, s in e.items()
                       if n.startswith("pyflink:") and s.status == "ok" and s.latency_p50_ms]
            if flink50 and ours.latency_p50_ms:
                v, n = min(flink50)
                out["p50_latency"] = (v / ours.latency_p50_ms, n)
        return out
    if ours and ours.status == "ok" and ours.figures:
        f = ours.figures
        for metric in ("steady_rec_per_s", "rec_per_s", "rec_per_cpu_s", "steady_rec_per_cpu_s"):
            name, v = best_pyflink(result, metric)
            r = _ratio(getattr(f, metric), v)
            if r is not None:
                out[metric] = (r, name)
        if result.workload == "w5":
            fo = [(s.figures.first_output_s, n) for n, s in e.items()
                  if n.startswith("pyflink:") and s.status == "ok" and s.figures.first_output_s]
            ex = [(s.figures.wall_s, n) for n, s in e.items()
                  if n.startswith("pyflink:") and s.status == "ok"]
            if fo and f.first_output_s:
                v, n = min(fo)
                out["first_output"] = (v / f.first_output_s, n)
            if ex:
                v, n = min(ex)
                out["exit"] = (v / f.wall_s, n)
    go, java = e.get("go-native"), e.get("flink-java")
    if go and java and go.status == "ok" and java.status == "ok":
        for metric in ("rec_per_s", "rec_per_cpu_s", "steady_rec_per_s", "steady_rec_per_cpu_s"):
            r = _ratio(getattr(go.figures, metric), getattr(java.figures, metric))
            if r is not None:
                out["native_" + metric] = (r, "flink-java")
        for q in ("p50", "p99"):
            # lower is better: Java's latency over ours
            r = _ratio(getattr(java, f"latency_{q}_ms"), getattr(go, f"latency_{q}_ms"))
            if r is not None:
                out[f"native_{q}_latency"] = (r, "flink-java")
    return out


def _engine_rows(result):
    rows = []
    for name, s in result.engines.items():
        if s.status != "ok":
            rows.append(f"| {result.variant} | {name} | {s.status}: {s.reason} |" + " |" * 8)
            continue
        f = s.figures
        lat = ""
        if s.latency_p50_ms is not None:
            lat = f"{s.latency_p50_ms:,.1f} / {s.latency_p99_ms:,.1f}"
        rows.append(
            f"| {result.variant} | {name} | {_fmt(f.rec_per_s)} | {_fmt(f.steady_rec_per_s)} | "
            f"{_fmt(f.rec_per_cpu_s)} | {_fmt(f.steady_rec_per_cpu_s)} | {_fmt(f.wall_s, '', 2)} | "
            f"{_fmt(f.first_output_s, '', 2)} | {_fmt(f.peak_rss_mb)} | {lat} | "
            f"{s.lines} `{s.digest}`{'' if s.consistent else ' (varies!)'}"
            f"{' **≠ reference**' if result.reference and s.digest != result.reference else ''} |")
    return rows


def checkpoint_rows(results):
    """Workload 6 paired up: per backend and engine, the throughput without and with
    1 s checkpoints (variants run interleaved), the loss, and the engine's own
    checkpoint figures. Returns a list of dicts."""
    by_backend = {}
    for r in results:
        if r.workload != "w6" or r.pending:
            continue
        backend, _, mode = r.variant.partition(", ")
        by_backend.setdefault(backend, {})["ckpt" if mode.startswith("1 s") else "plain"] = r
    rows = []
    for backend, pair in by_backend.items():
        plain, ckpt = pair.get("plain"), pair.get("ckpt")
        names = list((ckpt or plain).engines)
        for name in names:
            p = plain.engines.get(name) if plain else None
            c = ckpt.engines.get(name) if ckpt else None
            p_ok = p is not None and p.status == "ok" and p.figures
            c_ok = c is not None and c.status == "ok" and c.figures
            row = {"backend": backend, "engine": name,
                   "plain": p.figures.rec_per_s if p_ok else None,
                   "ckpt": c.figures.rec_per_s if c_ok else None,
                   "completed": (c.extra or {}).get("checkpoints_completed") if c_ok else None,
                   "max_ms": (c.extra or {}).get("checkpoint_max_ms") if c_ok else None,
                   "max_bytes": (c.extra or {}).get("checkpoint_max_bytes") if c_ok else None,
                   "why": "" if (p_ok and c_ok) else "; ".join(
                       f"{s.status}: {s.reason}" for s in (p, c) if s is not None and s.status != "ok")}
            row["loss"] = (1 - row["ckpt"] / row["plain"]) if row["plain"] and row["ckpt"] else None
            rows.append(row)
    return rows


def _checkpoint_section(results):
    rows = checkpoint_rows(results)
    if not rows:
        return []
    L = ["", "## Workload 6: the cost of checkpoints", "",
         "Records/s end to end without and with 1 s checkpoints (the two variants of a backend run",
         "interleaved), the throughput lost to checkpoints, and each engine's own figures for the",
         "checkpoints of the 1 s runs (medians over the repeats: checkpoints completed, the longest",
         "one from trigger to completion, its size). PyFlink runs in thread mode, its fastest here.", "",
         "| backend | engine | no checkpoints rec/s | 1 s checkpoints rec/s | loss | checkpoints "
         "| longest ms | its size MB |",
         "|---|---|---|---|---|---|---|---|"]
    for row in rows:
        if row["why"]:
            L.append(f"| {row['backend']} | {row['engine']} | {row['why']} | | | | | |")
            continue
        loss = f"{100 * row['loss']:.1f}%" if row["loss"] is not None else "–"
        size = row["max_bytes"] / 1e6 if row["max_bytes"] is not None else None
        L.append(f"| {row['backend']} | {row['engine']} | {_fmt(row['plain'])} | {_fmt(row['ckpt'])} | "
                 f"{loss} | {_fmt(row['completed'])} | {_fmt(row['max_ms'])} | {_fmt(size, '', 1)} |")
    return L


def _equal_word(result):
    if result.outputs_equal is None:
        return "n/a (nothing to compare)"
    ref = " (and the reference)" if result.reference else ""
    return ("yes" + ref) if result.outputs_equal else "**NO**"


def _ratio_cell(rs, key):
    if key not in rs:
        return "–"
    r, name = rs[key]
    return f"{r:.2f}× (vs {name})"


def markdown(results, meta, sizes, profiles):
    """The text of RESULTS.md."""
    L = ["# Benchmark results: pyflink-go vs Apache Flink", ""]
    L += ["Written by `bench/run.py` from one run; every figure is measured, every ratio is",
          "ours / Flink's from runs interleaved on the same machine in that run.", ""]
    L += ["| | |", "|---|---|"] + [f"| {k} | {v} |" for k, v in meta.items()] + [""]
    L += ["Figures are medians of the repeats. *records/s* and *rec/CPU-s* are end to end (process",
          "start to exit, CPU summed over every process of the job: JVM, Python workers, engine);",
          "*steady* ones count only the records processed between the first and the last output",
          "line (startup and teardown excluded). Peak RSS is the peak of the summed RSS of the",
          "process tree. Outputs are compared as sorted lines (Flink's `N> ` prefix and the",
          "measurement after `|` removed) between engines and with a plain-Python reference",
          "(bench/workloads/expected.py); the digest is of those lines.", ""]
    L += ["## Ratios", "",
          "| workload | variant | steady records/s | records/s (end to end) | rec/CPU-s | outputs equal |",
          "|---|---|---|---|---|---|"]
    for r in results:
        if r.pending:
            L.append(f"| {r.workload} | {r.variant} | pending: {r.pending} | | | |")
            continue
        rs = ratios(r)
        if r.workload == "w5":
            L.append(f"| w5 | first output sooner | {_ratio_cell(rs, 'first_output')} | "
                     f"exit sooner: {_ratio_cell(rs, 'exit')} | {_ratio_cell(rs, 'rec_per_cpu_s')} | "
                     f"{_equal_word(r)} |")
        elif r.workload == "w7":
            s = r.engines.get("pyflink-go")
            lat = (f"ours p50 / p99: {s.latency_p50_ms:.1f} / {s.latency_p99_ms:.1f} ms"
                   if s and s.latency_p99_ms is not None else "–")
            L.append(f"| w7 | lower latency at {r.records:,} records | p99: {_ratio_cell(rs, 'p99_latency')} | "
                     f"p50: {_ratio_cell(rs, 'p50_latency')} | {lat} | {_equal_word(r)} |")
        elif "pyflink-go" in r.engines and r.engines["pyflink-go"].status != "ok":
            s = r.engines["pyflink-go"]
            L.append(f"| {r.workload} | {r.variant} | pyflink-go {s.status}: {s.reason} | | | "
                     f"{_equal_word(r)} (the others) |")
        elif r.variant == "native":
            go = r.engines.get("go-native")
            if go and go.status != "ok":
                L.append(f"| {r.workload} | native Go vs Java | go-native {go.status}: {go.reason} | | | "
                         f"{_equal_word(r)} (Java) |")
                continue
            cpu = _ratio_cell(rs, 'native_rec_per_cpu_s')
            if "native_steady_rec_per_cpu_s" in rs:
                cpu += f"; steady {rs['native_steady_rec_per_cpu_s'][0]:.2f}×"
            L.append(f"| {r.workload} | native Go vs Java | {_ratio_cell(rs, 'native_steady_rec_per_s')} | "
                     f"{_ratio_cell(rs, 'native_rec_per_s')} | {cpu} | {_equal_word(r)} |")
            if "native_p99_latency" in rs:
                L.append(f"| {r.workload} | native window latency | p99 "
                         f"{_ratio_cell(rs, 'native_p99_latency')} lower | p50 "
                         f"{_ratio_cell(rs, 'native_p50_latency')} lower | ours p50 / p99: "
                         f"{go.latency_p50_ms:.1f} / {go.latency_p99_ms:.1f} ms | {_equal_word(r)} |")
        else:
            L.append(f"| {r.workload} | {r.variant} | {_ratio_cell(rs, 'steady_rec_per_s')} | "
                     f"{_ratio_cell(rs, 'rec_per_s')} | {_ratio_cell(rs, 'rec_per_cpu_s')} | "
                     f"{_equal_word(r)} |")
    if sizes:
        L += ["", "## Installed size", "", "| engine | size | largest parts |", "|---|---|---|"]
        for name, (total, parts, note) in sizes.items():
            top = ", ".join(f"{p} {b / 2**20:.0f} MB" for p, b in parts[:4])
            L.append(f"| {name} | {total / 2**20:,.1f} MB{note} | {top} |")
    L += _checkpoint_section(results)
    L += ["", "## Targets", ""] + target_lines(results, sizes) + [""]
    L += ["## All figures", "",
          "| variant | engine | records/s | steady records/s | rec/CPU-s | steady rec/CPU-s | wall s "
          "| first output s | peak RSS MB | latency p50 / p99 ms | output lines, digest |",
          "|---|---|---|---|---|---|---|---|---|---|---|"]
    current = None
    for r in results:
        if r.workload != current:
            current = r.workload
            L.append(f"| **{r.workload}** | | | | | | | | | | |")
        if r.pending:
            L.append(f"| {r.variant} | all | pending: {r.pending} |" + " |" * 8)
        else:
            L += _engine_rows(r)
    if profiles:
        L += ["", "## Where the time goes (our side)", ""]
        for title, text in profiles:
            L += [f"### {title}", "", "```", text.rstrip(), "```", ""]
    return "\n".join(L) + "\n"


def target_lines(results, sizes):
    """One line per target: met, missed, or not measured."""
    out = []
    for r in results:
        if r.pending:
            continue
        rs = ratios(r)
        if r.workload in ("w1", "w2", "w3") or (r.workload == "w4" and r.variant != "native"):
            key = "steady_rec_per_s" if "steady_rec_per_s" in rs else "rec_per_s"
            if key in rs:
                v = rs[key][0]
                ok = "met" if v >= TARGETS["python"] else "**missed**"
                how = "steady records/s" if key == "steady_rec_per_s" else \
                    "records/s end to end (the run was too short for a steady figure)"
                out.append(f"- {r.workload} {r.variant}: {v:.2f}× the best PyFlink mode's {how} "
                           f"(target ≥ 3×): {ok}")
        elif r.workload == "w4":
            if "native_rec_per_cpu_s" in rs:
                v = rs["native_rec_per_cpu_s"][0]
                out.append(f"- w4 native: {v:.2f}× Flink Java's records per CPU-second "
                           f"(target ≥ 1×): {'met' if v >= 1 else '**missed**'}")
                if "native_steady_rec_per_cpu_s" in rs:
                    v = rs["native_steady_rec_per_cpu_s"][0]
                    out.append(f"- w4 native: {v:.2f}× Flink Java's steady records per CPU-second "
                               f"(startup excluded; target ≥ 1×): {'met' if v >= 1 else '**missed**'}")
            else:
                go = r.engines.get("go-native")
                why = f"{go.status}: {go.reason}" if go else "not run"
                out.append(f"- w4 native: not measured ({why})")
        elif r.workload == "w5" and "first_output" in rs:
            v = rs["first_output"][0]
            out.append(f"- w5 first output {v:.1f}× sooner than PyFlink (target ≥ 10×): "
                       f"{'met' if v >= 10 else '**missed**'}")
        elif r.workload == "w7":
            s = r.engines.get("pyflink-go")
            if "p99_latency" in rs:
                v, n = rs["p99_latency"]
                out.append(f"- w7 p99 latency {v:.1f}× lower than the best PyFlink mode ({n})")
            if s and s.latency_p99_ms is not None:
                ok = "met" if s.latency_p99_ms < TARGETS["p99_ms"] else "**missed**"
                out.append(f"- w7 p99 latency {s.latency_p99_ms:.1f} ms (target < 50 ms): {ok}")
    for row in checkpoint_rows(results):
        if row["engine"] != "pyflink-go" or row["loss"] is None:
            continue
        if not row["completed"]:
            out.append(f"- w6 {row['backend']}: no checkpoint completed during the 1 s runs (the job "
                       f"was too short at this scale): throughput loss not measured")
            continue
        ok = "met" if row["loss"] < 0.10 else "**missed**"
        out.append(f"- w6 {row['backend']}: {100 * row['loss']:.1f}% throughput lost to 1 s checkpoints "
                   f"(target < 10%): {ok}; longest checkpoint {_fmt(row['max_ms'])} ms "
                   f"over {_fmt(row['completed'])} checkpoints")
    if sizes and "pyflink-go" in sizes and "apache-flink" in sizes:
        v = sizes["apache-flink"][0] / sizes["pyflink-go"][0]
        out.append(f"- installed size: {v:.1f}× smaller than apache-flink (target ≥ 10×): "
                   f"{'met' if v >= 10 else '**missed**'}")
    return out or ["- nothing measured"]


def console(results):
    """A compact table for the terminal."""
    L = []
    for r in results:
        if r.pending:
            L.append(f"{r.workload} {r.variant}: pending ({r.pending})")
            continue
        rs = ratios(r)
        parts = [f"{k}={v[0]:.2f}x" for k, v in rs.items()]
        L.append(f"{r.workload} {r.variant}: outputs equal: {_equal_word(r)}; " + ", ".join(parts))
        for name, s in r.engines.items():
            if s.status != "ok":
                L.append(f"    {name:<22} {s.status}: {s.reason}")
            else:
                f = s.figures
                L.append(f"    {name:<22} {_fmt(f.rec_per_s):>12} rec/s {_fmt(f.steady_rec_per_s):>12} steady"
                         f" {_fmt(f.rec_per_cpu_s):>12} rec/cpu-s {_fmt(f.peak_rss_mb):>6} MB"
                         f" {f.wall_s:7.2f} s first {_fmt(f.first_output_s, '', 2)} s")
    return "\n".join(L)


def to_json(results, meta, sizes):
    def enc(o):
        if dataclasses.is_dataclass(o):
            return dataclasses.asdict(o)
        raise TypeError(type(o))
    return json.dumps({"meta": meta, "sizes": sizes, "results": results,
                       "ratios": {f"{r.workload} {r.variant}": ratios(r) for r in results}},
                      default=enc, indent=1)


def chart(results, sizes, path):
    """chart.png: ours / Flink ratios per variant, with the targets marked."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels, steady, cpu = [], [], []
    for r in results:
        if r.pending:
            continue
        rs = ratios(r)
        if r.workload == "w5":
            if "first_output" in rs:
                labels.append("w5 startup (first output)")
                steady.append(rs["first_output"][0])
                cpu.append(rs.get("rec_per_cpu_s", (None,))[0])
            continue
        if r.workload == "w7":
            if "p99_latency" in rs:
                labels.append("w7 p99 latency (lower)")
                steady.append(rs["p99_latency"][0])
                cpu.append(None)
            continue
        if r.variant == "native":
            key = "native_steady_rec_per_s" if "native_steady_rec_per_s" in rs else "native_rec_per_s"
            if key in rs:
                labels.append("w4 YSB native: Go vs Java")
                steady.append(rs[key][0])
                cpu.append(rs.get("native_rec_per_cpu_s", (None,))[0])
            continue
        key = "steady_rec_per_s" if "steady_rec_per_s" in rs else "rec_per_s"
        if key in rs:
            labels.append(f"{r.workload} {r.variant}")
            steady.append(rs[key][0])
            cpu.append(rs.get("rec_per_cpu_s", (None,))[0])
    if sizes and "pyflink-go" in sizes and "apache-flink" in sizes:
        labels.append("installed size (smaller)")
        steady.append(sizes["apache-flink"][0] / sizes["pyflink-go"][0])
        cpu.append(None)
    if not labels:
        return False
    fig, ax = plt.subplots(figsize=(9, 0.42 * len(labels) + 1.9))
    ys = range(len(labels))
    h = 0.38
    ax.barh([y - h / 2 for y in ys], steady, height=h, color="#2a6fb0",
            label="records/s, steady (startup, latency, size: lower is better, shown inverted)")
    ax.barh([y + h / 2 for y in ys], [c or 0 for c in cpu], height=h, color="#e39b2d",
            label="records per CPU-second, end to end")
    for y, v in zip(ys, steady):
        ax.text(v, y - h / 2, f" {v:.1f}×", va="center", fontsize=8)
    ax.axvline(1.0, color="black", lw=0.8)
    ax.axvline(3.0, color="#b03030", lw=0.8, ls="--", label="3× target (Python workloads)")
    ax.set_xscale("log")
    ax.set_yticks(list(ys))
    ax.set_yticklabels(labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("pyflink-go / Apache Flink (best PyFlink mode), same run; >1 = pyflink-go better")
    ax.set_title("pyflink-go vs Apache Flink", fontsize=10)
    ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=2, frameon=False)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


def from_json(text):
    """(results, meta, sizes) back from results.json, to render again without running."""
    from .runner import EngineSummary, VariantResult
    from .stats import Figures
    data = json.loads(text)
    results = []
    for r in data["results"]:
        engines = {}
        for name, s in r.pop("engines").items():
            fig = s.pop("figures")
            engines[name] = EngineSummary(**s, figures=Figures(**fig) if fig else None)
        results.append(VariantResult(**r, engines=engines))
    sizes = {k: (v[0], [tuple(x) for x in v[1]], v[2]) for k, v in (data.get("sizes") or {}).items()}
    return results, data["meta"], sizes
