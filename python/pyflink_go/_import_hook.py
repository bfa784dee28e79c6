"""An import hook that makes ``pyflink`` and ``pyflink.*`` the very same module objects as
``pyflink_go`` and ``pyflink_go.*``, so unmodified PyFlink programs run on pyflink_go.

The hook sits first on ``sys.meta_path``. For ``pyflink.X`` it imports ``pyflink_go.X``
and hands back that module object; classes keep their ``pyflink_go`` module names, so
pickled functions load in the workers without the hook. A PyFlink module pyflink_go does
not provide fails with ModuleNotFoundError naming both modules.
"""

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys

__all__ = ['install', 'uninstall', 'PyflinkAliasFinder']

ALIAS = "pyflink"
TARGET = "pyflink_go"


def _target_name(fullname: str):
    if fullname == ALIAS:
        return TARGET
    if fullname.startswith(ALIAS + "."):
        return TARGET + fullname[len(ALIAS):]
    return None


class _AliasLoader(importlib.abc.Loader):
    """Loads an alias by importing its target and returning the target's module object."""

    def __init__(self, target: str):
        self._target = target
        self._original_spec = None

    def create_module(self, spec):
        module = importlib.import_module(self._target)
        # The import machinery overwrites __spec__ on the module it is given; keep the real one.
        self._original_spec = getattr(module, "__spec__", None)
        return module

    def exec_module(self, module):
        if self._original_spec is not None:
            module.__spec__ = self._original_spec


class PyflinkAliasFinder(importlib.abc.MetaPathFinder):
    """Finds ``pyflink`` modules by mapping them onto ``pyflink_go`` modules."""

    def find_spec(self, fullname, path=None, target=None):
        target_name = _target_name(fullname)
        if target_name is None:
            return None
        if target_name not in sys.modules and importlib.util.find_spec(target_name) is None:
            raise ModuleNotFoundError(
                "No module named '%s': pyflink_go has no '%s' module (this part of PyFlink is "
                "not supported)" % (fullname, target_name), name=fullname)
        is_package = _is_package(target_name)
        return importlib.machinery.ModuleSpec(fullname, _AliasLoader(target_name),
                                              is_package=is_package)


def _is_package(name: str) -> bool:
    module = sys.modules.get(name)
    if module is not None:
        return hasattr(module, "__path__")
    spec = importlib.util.find_spec(name)
    return spec is not None and spec.submodule_search_locations is not None


def install() -> None:
    """Put the alias finder first on ``sys.meta_path`` (once)."""
    if not any(isinstance(finder, PyflinkAliasFinder) for finder in sys.meta_path):
        sys.meta_path.insert(0, PyflinkAliasFinder())


def uninstall() -> None:
    """Remove the alias finder and forget the ``pyflink`` aliases already imported."""
    sys.meta_path[:] = [f for f in sys.meta_path if not isinstance(f, PyflinkAliasFinder)]
    for name in [n for n in sys.modules if _target_name(n) is not None]:
        del sys.modules[name]
