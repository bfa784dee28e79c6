"""The Python UDF worker: runs fused chains of user functions for the Go engine.

Started by the engine's worker pool as::

    python -m pyflink_go._worker --socket /tmp/dir/w1.sock [--ready-fd 3] [--max-streams 256]

It serves the gRPC service ``pyflinkgo.UDF`` (one bidirectional ``Process`` call
per fused chain) on a unix socket, with msgpack messages in the value wire
encoding. The protocol is written down in ``udf/SPEC.md``.

Nothing is imported here, so ``-m`` start-up only pays for what the server needs.
"""
