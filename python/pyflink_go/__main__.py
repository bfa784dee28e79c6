"""Run a PyFlink program on pyflink_go: ``python -m pyflink_go script.py [args]``.

The script runs as ``__main__`` exactly as ``python script.py`` would run it: ``sys.argv``
is ``[script.py, args...]`` and the script's directory comes first on ``sys.path``; in
addition every ``pyflink.*`` import resolves to the ``pyflink_go`` module of the same name.
"""

import os
import sys
from typing import List, Optional

__all__ = ['main']

USAGE = """usage: python -m pyflink_go [run] script.py [args ...]

Runs a PyFlink program on the pyflink_go engine: `import pyflink...` resolves to
pyflink_go, and the arguments after the script are passed to it in sys.argv.
"""


def _trim_traceback(tb, script: str):
    """Drop the frames of this runner so the traceback starts in the user's script."""
    script = os.path.realpath(script)
    current = tb
    while current is not None:
        if os.path.realpath(current.tb_frame.f_code.co_filename) == script:
            return current
        current = current.tb_next
    return tb


def main(argv: Optional[List[str]] = None) -> None:
    """Run ``argv[0]`` as the main program with ``argv[1:]`` as its arguments.

    :param argv: the script and its arguments; ``sys.argv[1:]`` by default.
    """
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help"):
        sys.stderr.write(USAGE)
        raise SystemExit(0 if args else 2)
    if args[0] == "run":
        args = args[1:]
        if not args:
            sys.stderr.write(USAGE)
            raise SystemExit(2)
    if args[0] == "--version":
        from pyflink_go import __version__
        print("pyflink_go %s" % __version__)
        return
    script = args[0]
    if not os.path.exists(script):
        sys.stderr.write("pyflink_go: can't open file '%s': No such file or directory\n" % script)
        raise SystemExit(2)

    from pyflink_go._import_hook import install
    install()

    import runpy
    # The entry Python put first on sys.path for this runner (the current directory for
    # `-m`, the launcher's directory for a console script) gives way to the script's directory.
    launcher_dirs = ("", os.getcwd(), os.path.dirname(os.path.realpath(sys.argv[0] or ".")))
    sys.argv = args
    script_dir = os.path.dirname(os.path.realpath(script))
    if sys.path and sys.path[0] in launcher_dirs:
        sys.path[0] = script_dir
    else:
        sys.path.insert(0, script_dir)
    try:
        runpy.run_path(script, run_name="__main__")
    except Exception as e:
        tb = _trim_traceback(e.__traceback__, script)
        sys.excepthook(type(e), e.with_traceback(tb), tb)
        raise SystemExit(1)


if __name__ == "__main__":
    main()
