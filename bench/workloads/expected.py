"""Reference outputs of the workload scripts, computed in plain Python.

Each function returns the sorted comparable lines (no "N> " prefix, nothing
after "|") that a correct engine prints for the same parameters. The smoke
test checks pyflink-go against them; the harness checks every engine against
them when asked (--check-reference).
"""
import json

WINDOW_MS = 10_000
CAMPAIGNS = 100
ADS_PER_CAMPAIGN = 10


def mapfilter(n, **_):
    """Workload 1 (typed or not, any parallelism)."""
    return sorted("%d,%d,t%d" % (i % 1000, i * 3, i % 7) for i in range(100, n + 1, 100))


def _record(n, size):
    pad = max(0, size - 60)
    return json.dumps({"id": "%010d" % n, "name": "User_%d_ABC" % (n % 977),
                       "payload": ("Xy%d" % n * (pad // 3 + 1))[:pad]})


def json_udf(n, size=100, **_):
    """Workload 2: the lower-cased documents whose id ends in 00."""
    out = []
    for i in range(100, n + 1, 100):
        doc = json.loads(_record(i, size))
        doc["name"] = doc["name"].lower()
        out.append(json.dumps(doc))
    return sorted(out)


def wordcount(n, words=10, distinct=10_000, **_):
    """Workload 3: every running count of the words whose name ends in 00."""
    counts = {}
    out = []
    for line in range(1, n + 1):
        base = line * words
        for i in range(words):
            w = "w%d" % ((base + i) * 2654435761 % distinct)
            c = counts.get(w, 0) + 1
            counts[w] = c
            if w.endswith("00"):
                out.append("%s,%d" % (w, c))
    return sorted(out)


def ysb(n, window_events=100_000, **_):
    """Workload 4: view counts per campaign and 10 s window."""
    counts = {}
    for i in range(n):
        if i % 3 != 0:          # event_type "view" is EVENT_TYPES[i % 3] == 0
            continue
        ad = i * 7 % (CAMPAIGNS * ADS_PER_CAMPAIGN)
        t = i * WINDOW_MS // window_events
        key = ("campaign-%d" % (ad // ADS_PER_CAMPAIGN), t - t % WINDOW_MS + WINDOW_MS)
        counts[key] = counts.get(key, 0) + 1
    return sorted("%s,%d,%d" % (c, end, k) for (c, end), k in counts.items())


def stateful(n, keys=1_000_000, **_):
    """Workload 6: every running count of the keys divisible by 100."""
    counts = {}
    out = []
    for i in range(1, n + 1):
        k = i * 2654435761 % keys
        c = counts.get(k, 0) + 1
        counts[k] = c
        if k % 100 == 0:
            out.append("%d,%d" % (k, c))
    return sorted(out)


def startup(**_):
    """Workload 5: the uppercase job."""
    return ["APPLE", "BANANA", "MELON"]


def latency(n, **_):
    """Workload 7: the kept records, without their latencies."""
    return sorted("%d,%d" % (i, i * 3) for i in range(100, n + 1, 100))


BY_SCRIPT = {"mapfilter.py": mapfilter, "json_udf.py": json_udf, "wordcount.py": wordcount,
             "ysb.py": ysb, "startup.py": startup, "stateful.py": stateful, "latency.py": latency}


def from_args(script, args):
    """Reference lines for a script run with the harness's argument list."""
    params = {}
    it = iter(args)
    for a in it:
        if a.startswith("--") and a not in ("--typed",):
            key = a[2:].replace("-", "_")
            if key in ("conf", "parallelism", "rate", "backend", "checkpoint_ms"):
                next(it, None)
                continue
            params[key] = int(next(it))
    return BY_SCRIPT[script](**params)
