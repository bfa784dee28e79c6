"""The gRPC server: service ``pyflinkgo.UDF``, bidirectional method ``Process``, msgpack messages."""
import os
import sys

__all__ = ['serve', 'SERVICE', 'METHOD']

SERVICE = 'pyflinkgo.UDF'
METHOD = 'Process'

# Must match the Go pool (udf/worker.go): message sizes and keepalive.
_MAX_MESSAGE = 64 << 20
_OPTIONS = [
    ('grpc.max_send_message_length', _MAX_MESSAGE),
    ('grpc.max_receive_message_length', _MAX_MESSAGE),
    ('grpc.keepalive_time_ms', 30000),
    ('grpc.keepalive_timeout_ms', 10000),
    ('grpc.keepalive_permit_without_calls', 1),
    ('grpc.http2.min_recv_ping_interval_without_data_ms', 10000),
    ('grpc.http2.max_ping_strikes', 0),
    ('grpc.so_reuseport', 0),
]


def _process(request_iterator, context):
    """Serves one stream: every request gets one encoded response, in order."""
    from pyflink_go._worker.session import Session
    session = Session()
    try:
        for request in request_iterator:
            yield session.handle(request)
            if session.done:
                return
    finally:
        if not session.done:
            session.abort()


def _identity(data):
    return data


def _decode(data):
    from pyflink_go._codec import unpackb
    return unpackb(data)


def serve(socket_path, ready_fd=None, max_streams=256):
    """Serves on the unix socket until stdin reaches end of file (the engine went away)."""
    import grpc
    from concurrent import futures

    server = grpc.server(futures.ThreadPoolExecutor(max_workers=max_streams,
                                                    thread_name_prefix='stream'),
                         options=_OPTIONS, maximum_concurrent_rpcs=max_streams)
    handler = grpc.method_handlers_generic_handler(SERVICE, {
        METHOD: grpc.stream_stream_rpc_method_handler(
            _process, request_deserializer=_decode, response_serializer=_identity),
    })
    server.add_generic_rpc_handlers((handler,))
    if server.add_insecure_port('unix:' + socket_path) == 0:
        raise RuntimeError('cannot listen on unix socket %s' % socket_path)
    server.start()
    if ready_fd is not None:
        os.write(ready_fd, b'ready\n')
        os.close(ready_fd)
    _warm_up()
    _wait_for_parent()
    # Give open calls a moment to end (their functions' close() runs), then go.
    server.stop(grace=1).wait(3)


def _warm_up():
    """Imports what the first stream needs while the engine connects."""
    import pickle  # noqa: F401
    import pyflink_go._codec  # noqa: F401
    import pyflink_go._worker.session  # noqa: F401
    try:
        import cloudpickle  # noqa: F401
    except ImportError:
        pass


def _wait_for_parent():
    """Blocks until stdin is closed: the engine closes it to stop the worker, or dies."""
    try:
        stdin = sys.stdin.buffer
        while stdin.read(65536):
            pass
    except (OSError, ValueError):
        pass
