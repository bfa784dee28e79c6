"""Pickles test functions for the Go udf tests.

Reads a JSON object {name: {"code": source to exec (optional), "expr": expression}}
on stdin and writes {name: hex of cloudpickle.dumps(eval(expr))} on stdout.
The code runs in a module namespace that cannot be imported, so functions and
classes defined there are pickled by value, as those of a user's __main__ are.
testdata/pymods is on sys.path, so what the code imports from there is pickled
by reference (and imports in a worker only if the worker has that path too).
The repository's python directory comes first on sys.path, so the code imports
this tree's pyflink_go (its API classes pickle by reference), as the workers do.
"""
import json
import os
import sys
import types

import cloudpickle

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    specs = json.load(sys.stdin)
    sys.path.insert(0, os.path.join(HERE, 'pymods'))
    sys.path.insert(0, os.path.normpath(os.path.join(HERE, '..', '..', 'python')))
    out = {}
    for name, spec in specs.items():
        module = types.ModuleType('__pfg_udf_test__')
        namespace = module.__dict__
        if spec.get('code'):
            exec(compile(spec['code'], '<test %s>' % name, 'exec'), namespace)
        obj = eval(spec['expr'], namespace)
        out[name] = cloudpickle.dumps(obj).hex()
    json.dump(out, sys.stdout)


if __name__ == '__main__':
    main()
