"""The command line of bench/run.py: set up, run the workloads, write the results."""
import argparse
import datetime
import json
import os
import platform
import shutil
import subprocess
import sys
from pathlib import Path

from . import engines as eng, install, measure, profile, report, runner, sizes, stats, workloads

RESULTS = install.BENCH / "results"


def parse(argv):
    p = argparse.ArgumentParser(prog="bench/run.py", description=__doc__)
    p.add_argument("-w", "--workloads", default="w1,w2,w3,w4,w5,w6,w7",
                   help="comma-separated workloads (w1..w7)")
    p.add_argument("--variants", default="",
                   help="only these comma-separated variants, by name (e.g. \"typed p1,10 KB\")")
    p.add_argument("--scale", type=float, default=1.0, help="record counts × this (1.0 = issue 3)")
    p.add_argument("-r", "--repeats", type=int, default=3, help="runs per engine (median)")
    p.add_argument("--engines", default="ours,pyflink,java,go",
                   help="comma-separated: ours, pyflink, java, go")
    p.add_argument("--pyflink-modes", default=",".join(eng.PYFLINK_MODES),
                   help="PyFlink modes to run: " + ", ".join(eng.PYFLINK_MODES))
    p.add_argument("--flink-version", default="2.3.0", help="apache-flink and Flink Java version")
    p.add_argument("--latency-rate", type=float, default=None,
                   help="w7 offered rate (default: half the slower engine's w1 typed p1 rate)")
    p.add_argument("--latency-seconds", type=float, default=20.0, help="w7 run length")
    p.add_argument("--timeout", type=float, default=900.0,
                   help="seconds per run; an engine that times out is reported so and not run again")
    p.add_argument("--profile", choices=("auto", "none", "all"), default="auto",
                   help="py-spy profile of our side: where a target is missed (auto), never, always")
    p.add_argument("--results", default=str(RESULTS), help="results directory")
    p.add_argument("--project-python", default=sys.executable,
                   help="interpreter that runs pyflink-go (python -m pyflink_go)")
    p.add_argument("--no-reference", action="store_true",
                   help="skip checking outputs against the plain-Python reference")
    p.add_argument("--render", metavar="RESULTS_JSON",
                   help="only write RESULTS.md and chart.png again from a results.json")
    p.add_argument("--reinstall-ours", action="store_true", help="pip install . first")
    p.add_argument("--note", default="",
                   help="a line for the results' header (what was measured, how loaded the machine was)")
    return p.parse_args(argv)


def say(msg):
    print(msg, flush=True)


def _version(cmd):
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        if out.returncode != 0:
            return "?"
        text = (out.stdout + out.stderr).strip().splitlines()
        return text[0] if text else "?"
    except (OSError, subprocess.TimeoutExpired):
        return "not found"


def _loadavg():
    try:
        return " ".join(open("/proc/loadavg").read().split()[:3])
    except OSError:
        return "?"


LOAD_AT_START = _loadavg()


def machine():
    model = "?"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        mem = next(l for l in open("/proc/meminfo") if l.startswith("MemTotal"))
        mem_gib = int(mem.split()[1]) / 2**20
    except (OSError, StopIteration):
        mem_gib = 0
    return f"{model}, {os.cpu_count()} cores, {mem_gib:.0f} GiB, {platform.system()} {platform.release()}"


def meta(args, flink_py, classpath):
    rev = _version(["git", "-C", str(install.REPO), "describe", "--always", "--dirty"])
    m = {
        "date (UTC)": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M"),
        "machine": machine(),
        "pyflink-go": f"commit {rev}, {_version([args.project_python, '--version'])}",
        "PyFlink": f"apache-flink {args.flink_version} ({flink_py or 'not installed'})"
        if flink_py else "not installed",
        "Flink Java": f"flink-streaming-java {args.flink_version}, local MiniCluster"
        if classpath else "not built",
        "Java": _version([os.path.join(install.java_home() or "", "bin", "java"), "-version"]),
        "Go": _version(["go", "version"]),
        "command": "bench/run.py " + " ".join(a for a in sys.argv[1:] if a != args.project_python
                                              and a != "--project-python" and a != args.note),
        "repeats, scale": f"{args.repeats}, {args.scale}",
        "load average at start / end": f"{LOAD_AT_START} / {_loadavg()}",
    }
    if args.note:
        m["note"] = args.note
    return m


def installed_sizes(ours_py, flink_py):
    out = {}
    size_py = install.ours_size_venv() if ours_py else None
    if size_py:
        s = sizes.installed(size_py, "pyflink-go", env={k: v for k, v in os.environ.items()
                                                       if k != "PYTHONPATH"})
        if s:
            out["pyflink-go"] = (sum(s.values()), sorted(s.items(), key=lambda kv: -kv[1]), "")
    if flink_py:
        s = sizes.installed(flink_py, "apache-flink", env=install.flink_env())
        if s:
            jdk = install.java_home()
            jdk_mb = _du(jdk) / 2**20 if jdk else 0
            note = f" (+ a JDK: {jdk_mb:,.0f} MB here)" if jdk_mb else ""
            out["apache-flink"] = (sum(s.values()), sorted(s.items(), key=lambda kv: -kv[1]), note)
    return out


def _du(path):
    total = 0
    for root, _, files in os.walk(os.path.realpath(path)):
        for f in files:
            try:
                total += os.lstat(os.path.join(root, f)).st_size
            except OSError:
                pass
    return total


def latency_rate(results, override):
    """w7's offered rate: half the slower of ours and the best PyFlink on w1 typed p1."""
    if override:
        return override
    for r in results:
        if r.workload == "w1" and r.variant == "typed p1":
            ours = r.engines.get("pyflink-go")
            _, best = report.best_pyflink(r, "steady_rec_per_s")
            vals = [v for v in (ours.figures.steady_rec_per_s if ours and ours.figures else None,
                                best) if v]
            if vals:
                return min(vals) / 2
    return 20_000.0


def write_partial(args, results, flink_py, classpath):
    """Rewrites RESULTS.md after every variant, so a cut-short run leaves its figures."""
    out_dir = Path(args.results)
    out_dir.mkdir(parents=True, exist_ok=True)
    m = meta(args, flink_py, classpath)
    m["status"] = "partial: the run was still going when this was written"
    (out_dir / "RESULTS.md").write_text(report.markdown(results, m, {}, []))


def render(args):
    """Writes RESULTS.md and chart.png again from a results.json (no runs)."""
    src = Path(args.render)
    results, m, sz = report.from_json(src.read_text())
    out_dir = Path(args.results) if args.results != str(RESULTS) else src.parent
    profiles = []
    old = out_dir / "RESULTS.md"
    if old.exists() and "## Where the time goes" in old.read_text():
        text = old.read_text().split("## Where the time goes (our side)", 1)[1]
        for block in text.split("\n### ")[1:]:
            title, _, rest = block.partition("\n")
            body = rest.split("```", 2)[1] if "```" in rest else ""
            profiles.append((title.strip(), body.strip("\n")))
    (out_dir / "RESULTS.md").write_text(report.markdown(results, m, sz, profiles))
    report.chart(results, sz, out_dir / "chart.png")
    say(report.console(results))
    say(f"wrote {out_dir / 'RESULTS.md'}")
    return 0


def main(argv):
    args = parse(argv)
    if args.render:
        return render(args)
    want = set(args.engines.split(","))
    chosen = [w.strip() for w in args.workloads.split(",") if w.strip()]
    work = install.WORK / "runs"
    work.mkdir(parents=True, exist_ok=True)
    measure.become_subreaper()

    python_engines, native_engines = [], []
    ours_py = flink_py = classpath = None
    if "ours" in want:
        ours_py = install.ensure_ours(args.project_python, args.reinstall_ours)
        if ours_py:
            python_engines.append(eng.ours(ours_py))
        else:
            say("[setup] pyflink-go cannot run here: its rows will be missing")
    if "pyflink" in want:
        flink_py = install.ensure_pyflink(args.flink_version)
        if flink_py:
            for mode in args.pyflink_modes.split(","):
                python_engines.append(eng.pyflink(flink_py, mode.strip()))
    if "w4" in chosen:
        if "java" in want:
            classpath = install.ensure_flink_java(args.flink_version)
            if classpath:
                native_engines.append(eng.flink_java(classpath))
        if "go" in want:
            binaries = install.ensure_go_native()
            if binaries:
                native_engines.append(eng.go_native(binaries))

    wanted = [w.strip() for w in args.variants.split(",")] if args.variants else None
    results = []
    for key in chosen:
        if key not in workloads.ALL:
            say(f"unknown workload {key}")
            return 2
        if key == "w7":
            rate = latency_rate(results, args.latency_rate)
            wl = workloads.ALL[key](args.scale, rate)
            n = max(1000, int(rate * args.latency_seconds))
            for v in wl.variants:
                v.args[1], v.records = str(n), n
        else:
            wl = workloads.ALL[key](args.scale)
        say(f"== {wl.key}: {wl.title}")
        chosen_variants = [v for v in wl.variants if wanted is None or v.name in wanted]
        for group in workloads.interleaved_groups(chosen_variants):
            engines = python_engines if group[0].script else native_engines
            results += runner.run_group(group, engines, args.repeats, work, args.timeout, say,
                                        check_reference=not args.no_reference)
            write_partial(args, results, flink_py, classpath)

    profiles = []
    if args.profile != "none" and ours_py:
        for r in results:
            if r.pending or r.workload not in ("w1", "w2", "w3", "w4") or r.variant == "native":
                continue
            rs = report.ratios(r)
            ratio = rs.get("steady_rec_per_s", rs.get("rec_per_s", (None,)))[0]
            if args.profile == "all" or (ratio is not None and ratio < report.TARGETS["python"]):
                v = next(v for v in workloads.ALL[r.workload](args.scale).variants
                         if v.name == r.variant)
                argv, env = eng.ours(ours_py).command(v.script, v.args)
                say(f"[profile] py-spy on pyflink-go, {r.workload} {r.variant}")
                text = profile.profile(argv, env, work, f"profile-{r.workload}-{r.variant}".replace(" ", "-"))
                if text:
                    profiles.append((f"{r.workload} {r.variant} (py-spy, all processes)", text))
                gtext = profile.go_profile(argv, env, work, f"profile-{r.workload}-{r.variant}".replace(" ", "-"))
                if gtext:
                    profiles.append((f"{r.workload} {r.variant} (Go engine, pprof -top)", gtext))

    out_dir = Path(args.results)
    out_dir.mkdir(parents=True, exist_ok=True)
    sz = installed_sizes(ours_py, flink_py) if "w5" in chosen else {}
    m = meta(args, flink_py, classpath)
    (out_dir / "RESULTS.md").write_text(report.markdown(results, m, sz, profiles))
    (out_dir / "results.json").write_text(report.to_json(results, m, sz))
    if report.chart(results, sz, out_dir / "chart.png"):
        say(f"wrote {out_dir / 'chart.png'}")
    say("")
    say(report.console(results))
    say("")
    say("\n".join(report.target_lines(results, sz)))
    say(f"\nwrote {out_dir / 'RESULTS.md'}")
    return 0
