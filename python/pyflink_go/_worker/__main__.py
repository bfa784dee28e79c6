"""``python -m pyflink_go._worker --socket PATH [--ready-fd N] [--max-streams N]``."""
import os
import sys


def _parse(argv):
    opts = {'--socket': None, '--ready-fd': None, '--max-streams': '256'}
    i = 0
    while i < len(argv):
        flag = argv[i]
        if flag not in opts or i + 1 >= len(argv):
            raise SystemExit('usage: python -m pyflink_go._worker --socket PATH '
                             '[--ready-fd N] [--max-streams N] (bad argument %r)' % flag)
        opts[flag] = argv[i + 1]
        i += 2
    if not opts['--socket']:
        raise SystemExit('python -m pyflink_go._worker: --socket PATH is required')
    ready = opts['--ready-fd']
    return opts['--socket'], (int(ready) if ready is not None else None), int(opts['--max-streams'])


def main(argv=None):
    socket_path, ready_fd, max_streams = _parse(sys.argv[1:] if argv is None else argv)
    from pyflink_go._worker.server import serve
    serve(socket_path, ready_fd, max_streams)
    # Streams may leave user threads behind; they must not keep the worker alive.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


if __name__ == '__main__':
    main()
