"""pyflink_go: PyFlink's DataStream API on a Go stream engine, without a JVM.

Write programs exactly as with PyFlink, importing from ``pyflink_go`` instead of
``pyflink``::

    from pyflink_go.datastream import StreamExecutionEnvironment

    env = StreamExecutionEnvironment.get_execution_environment()
    env.from_collection(["a", "b"]).map(str.upper).print()
    env.execute("upper")

Unmodified PyFlink scripts run with ``python -m pyflink_go script.py [args]``,
which maps every ``pyflink.*`` import onto ``pyflink_go.*``.

This module stays tiny on purpose: importing it must not load the engine,
cloudpickle or the rest of the API.
"""

__version__ = "0.1.0"

__all__ = ["__version__", "install_import_hook"]


def install_import_hook() -> None:
    """Make ``import pyflink...`` resolve to the matching ``pyflink_go`` modules.

    Useful in notebooks and embedding code that want to run unmodified PyFlink
    code in the current interpreter; ``python -m pyflink_go`` calls it for you.
    Calling it more than once is harmless.
    """
    from pyflink_go._import_hook import install

    install()
