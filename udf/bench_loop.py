"""The bare CPython loop BenchmarkPythonMap compares the worker pool with.

It does what a worker does per batch, minus the transport: decode a batch
message of encoded records, call the map function on each record, encode the
results. Prints {"records_per_s": N} as JSON.

    PYTHONPATH=python python3 udf/bench_loop.py [--rows 1000000] [--batch 1000]
"""
import argparse
import json
import time

from pyflink_go._codec import packb, packb_array, unpackb

# The same function and records as BenchmarkPythonMap (bench_test.go).
FN = eval('lambda r: (r[0], r[1] * 2, r[2])')


def records(n):
    return [('user-%06d' % i, i, 1700000000000 + i) for i in range(n)]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--rows', type=int, default=1000000)
    parser.add_argument('--batch', type=int, default=1000)
    args = parser.parse_args()
    batches = max(1, args.rows // args.batch)
    message = packb({'t': 'batch', 'seq': 1, 'rows': records(args.batch)})
    f = FN
    start = time.perf_counter()
    for _ in range(batches):
        request = unpackb(message)
        out = [f(r) for r in request['rows']]
        packb_array(out)
    elapsed = time.perf_counter() - start
    print(json.dumps({'records_per_s': batches * args.batch / elapsed}))


if __name__ == '__main__':
    main()
