"""Installed size of an engine: its distribution and everything it requires,
as installed in a given interpreter (from each distribution's RECORD).

Runs a small probe inside the target interpreter, so it works across venvs.
"""
import json
import subprocess

PROBE = r'''
import importlib.metadata as md, json, os, re, sys
root = sys.argv[1]
seen, todo, sizes = set(), [root], {}
while todo:
    name = re.split(r"[ ;<>=!~\[(]", todo.pop().strip(), 1)[0].lower().replace("_", "-")
    if not name or name in seen:
        continue
    seen.add(name)
    try:
        dist = md.distribution(name)
    except md.PackageNotFoundError:
        continue
    total = 0
    for f in dist.files or []:
        try:
            total += os.path.getsize(dist.locate_file(f))
        except OSError:
            pass
    sizes[dist.metadata["Name"]] = total
    for req in dist.requires or []:
        if "extra ==" not in req:
            todo.append(req)
print(json.dumps(sizes))
'''


def installed(python, distribution, env=None):
    """{distribution: bytes} for `distribution` and its requirement closure, or None."""
    proc = subprocess.run([python, "-c", PROBE, distribution], capture_output=True, text=True,
                          env=env)
    if proc.returncode != 0:
        return None
    try:
        sizes = json.loads(proc.stdout)
    except ValueError:
        return None
    return sizes or None
