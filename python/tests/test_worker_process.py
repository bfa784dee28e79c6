"""The worker as a process: start-up, the gRPC conversation, user output, shutdown on stdin EOF."""
import os
import subprocess
import sys
import tempfile
import time

import cloudpickle
import grpc
import pytest

from pyflink_go._codec import packb, unpackb

PYTHON_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture
def worker():
    """Starts ``python -m pyflink_go._worker`` and yields (process, socket path, seconds to ready)."""
    directory = tempfile.mkdtemp(prefix='pfg-test-')
    socket_path = os.path.join(directory, 'w.sock')
    ready_r, ready_w = os.pipe()
    env = dict(os.environ, PYTHONPATH=PYTHON_DIR, PYTHONUNBUFFERED='1')
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, '-m', 'pyflink_go._worker', '--socket', socket_path, '--ready-fd', str(ready_w)],
        pass_fds=(ready_w,), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    os.close(ready_w)
    with os.fdopen(ready_r, 'rb') as ready:
        line = ready.readline()
    elapsed = time.perf_counter() - start
    assert line == b'ready\n', proc.stderr.read().decode()
    yield proc, socket_path, elapsed
    if proc.poll() is None:
        proc.kill()
    proc.wait(timeout=10)


def _call(socket_path, requests):
    with grpc.insecure_channel('unix:' + socket_path) as channel:
        call = channel.stream_stream('/pyflinkgo.UDF/Process', request_serializer=packb,
                                     response_deserializer=unpackb)
        return list(call(iter(requests), timeout=30))


def test_starts_fast(worker):
    _, _, elapsed = worker
    print('worker listening after %.0f ms' % (elapsed * 1000))
    assert elapsed < 3.0


def test_conversation_over_grpc(worker):
    proc, socket_path, _ = worker
    responses = _call(socket_path, [
        {'t': 'open', 'task': {'task_name': 'T'}, 'ops': [
            {'func': 'map', 'name': 'Map', 'fn': cloudpickle.dumps(lambda x: (print('saw', x), x * 2)[1]),
             'params': {}},
            {'func': 'key_by', 'name': 'Key', 'fn': cloudpickle.dumps(lambda x: x % 2), 'params': {}}]},
        {'t': 'batch', 'seq': 1, 'rows': [1, 2]},
        {'t': 'batch', 'seq': 2, 'rows': [(1, 'not a number')]},
    ])
    assert responses[0] == {'t': 'opened'}
    assert responses[1] == {'t': 'result', 'seq': 1, 'rows': [2, 4], 'keys': [0, 0]}
    error = responses[2]
    assert error['t'] == 'error' and error['seq'] == 2 and error['operator'] == 'Key'
    assert error['message'].startswith('TypeError: ')
    assert len(responses) == 3  # the call ends after an error
    proc.stdin.close()
    assert proc.wait(timeout=10) == 0
    out = proc.stdout.read().decode()
    assert 'saw 1' in out and 'saw 2' in out


def test_streams_run_concurrently(worker):
    import threading
    _, socket_path, _ = worker
    results = {}

    def one(n):
        results[n] = _call(socket_path, [
            {'t': 'open', 'task': {}, 'ops': [
                {'func': 'map', 'name': 'M', 'fn': cloudpickle.dumps(lambda x, n=n: x + n), 'params': {}}]},
            {'t': 'batch', 'seq': 1, 'rows': [0, 1]},
            {'t': 'close'}])

    threads = [threading.Thread(target=one, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for n in range(6):
        assert results[n][1]['rows'] == [n, n + 1]
        assert results[n][2] == {'t': 'closed'}


def test_bad_arguments_exit_with_usage():
    proc = subprocess.run([sys.executable, '-m', 'pyflink_go._worker', '--nope'], capture_output=True,
                          env=dict(os.environ, PYTHONPATH=PYTHON_DIR), timeout=30)
    assert proc.returncode != 0
    assert b'usage: python -m pyflink_go._worker' in proc.stderr


def test_cancelled_call_still_closes_functions(worker, tmp_path):
    import queue
    marker = tmp_path / 'closed'

    class _MarksOnClose(object):  # local, so cloudpickle ships it by value
        def __init__(self, path):
            self.path = path

        def map(self, value):
            return value

        def close(self):
            with open(self.path, 'w') as f:
                f.write('closed')

    _, socket_path, _ = worker
    requests = queue.Queue()
    requests.put({'t': 'open', 'task': {}, 'ops': [
        {'func': 'map', 'name': 'M', 'fn': cloudpickle.dumps(_MarksOnClose(str(marker))), 'params': {}}]})
    with grpc.insecure_channel('unix:' + socket_path) as channel:
        call = channel.stream_stream('/pyflinkgo.UDF/Process', request_serializer=packb,
                                     response_deserializer=unpackb)(iter(requests.get, None))
        assert next(call) == {'t': 'opened'}
        call.cancel()
    requests.put(None)
    # close() opens the file before it writes: wait for the content, not the file.
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not (marker.exists() and marker.read_text()):
        time.sleep(0.01)
    assert marker.exists() and marker.read_text() == 'closed'
