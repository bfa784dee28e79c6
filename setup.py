"""Build script for pyflink-go: the pure-Python package plus the Go engine.

``pip install .`` builds the engine into the Python extension module
``pyflink_go._native`` with gopy:

1. ``go build`` compiles gopy and goimports from the module's ``tool`` block
   into ``build/bin`` (gopy runs goimports from PATH).
2. ``gopy build`` binds ``./pybridge`` (the only package gopy sees) into
   ``build/_gopy``. That directory sits inside the Go module, so the generated
   code resolves gopy's runtime package from go.mod; the leading underscore
   keeps it out of ``./...`` patterns (``go test ./...``, ``go vet ./...``).
3. The extension library and gopy's Python wrappers are copied into the
   package as ``pyflink_go/_native``.

``python setup.py build_ext --inplace`` (``make dev``) does the same into
``python/pyflink_go/_native`` for a ``PYTHONPATH=python`` developer loop.

Go build tags live in ``pybridge/build-tags.txt`` (also read by the Makefile).
"""

import glob
import os
import re
import shutil
import subprocess
import sys

from setuptools import Extension, find_namespace_packages, setup
from setuptools.command.build_ext import build_ext
from setuptools.errors import CompileError

ROOT = os.path.dirname(os.path.abspath(__file__))
GO_MODULE = "github.com/pyflink-go/pyflink-go"
BRIDGE_PKG = GO_MODULE + "/pybridge"
GO_TOOLS = ["github.com/go-python/gopy", "golang.org/x/tools/cmd/goimports"]
NATIVE_PKG = "pyflink_go._native"
NATIVE_NAME = "engine"  # gopy -name: gives _engine<EXT_SUFFIX>


def read_version():
    """Return the version from pybridge/version.go, the single source of truth."""
    path = os.path.join(ROOT, "pybridge", "version.go")
    with open(path, encoding="utf-8") as f:
        m = re.search(r'const version = "pyflink-go ([^"]+)"', f.read())
    if not m:
        raise RuntimeError(f"{path}: no `const version = \"pyflink-go X\"` line")
    return m.group(1)


def read_build_tags():
    """Return the Go build tags (comma-separated) from pybridge/build-tags.txt."""
    path = os.path.join(ROOT, "pybridge", "build-tags.txt")
    tags = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0]
            tags += [t for t in re.split(r"[\s,]+", line) if t]
    return ",".join(tags)


def go_env():
    """Environment for every go/gopy call: cgo on, our tools first on PATH,
    the project's build tags, and no VCS stamping (a clean or dirty tree builds
    the same library, and warm builds stay cached)."""
    env = dict(os.environ)
    env["CGO_ENABLED"] = "1"
    env["PATH"] = os.path.join(ROOT, "build", "bin") + os.pathsep + env.get("PATH", "")
    flags = [env.get("GOFLAGS", ""), "-buildvcs=false"]
    tags = read_build_tags()
    if tags:
        flags.append("-tags=" + tags)
    env["GOFLAGS"] = " ".join(f for f in flags if f)
    return env


def run(cmd, env):
    """Run cmd in the project root, echoing it. A failure raises CompileError,
    which setuptools reports as one line under the command's own output."""
    print("+ " + " ".join(cmd), flush=True)
    try:
        code = subprocess.call(cmd, cwd=ROOT, env=env)
    except FileNotFoundError:
        raise CompileError(
            f"{cmd[0]} not found: building pyflink-go needs Go >= 1.26 with cgo "
            "and a C compiler (see README.md)"
        ) from None
    if code != 0:
        raise CompileError(f"building the native engine failed: `{' '.join(cmd)}` exited {code}")


class GopyBuildExt(build_ext):
    """build_ext that produces pyflink_go._native with gopy instead of a C compiler."""

    def build_extension(self, ext):
        env = go_env()
        out = os.path.join(ROOT, "build", "_gopy")
        shutil.rmtree(out, ignore_errors=True)
        run(["go", "build", "-o", os.path.join("build", "bin") + os.sep] + GO_TOOLS, env)
        run(["go", "build", BRIDGE_PKG], env)  # fail fast, with plain compiler errors
        run(
            [
                "gopy", "build",
                "-vm=" + sys.executable,
                "-output=" + out,
                "-name=" + NATIVE_NAME,
                "-no-make=true",
                "-symbols=false",
                BRIDGE_PKG,
            ],
            env,
        )
        dest = os.path.dirname(self.get_ext_fullpath(ext.name))
        self._install_native(out, dest)

    def copy_extensions_to_source(self):
        """--inplace: copy the whole native package (library and wrappers), not
        only the library that setuptools knows about."""
        build_py = self.get_finalized_command("build_py")
        for ext in self.extensions:
            pkg = ext.name.rpartition(".")[0]
            src = os.path.join(self.build_lib, *pkg.split("."))
            self._install_native(src, build_py.get_package_dir(pkg))

    @staticmethod
    def _install_native(src, dest):
        """Replace dest's native files with the library and wrappers in src."""
        files = [
            f for f in glob.glob(os.path.join(src, "*.py")) if os.path.basename(f) != "build.py"
        ] + glob.glob(os.path.join(src, "_" + NATIVE_NAME + ".*.so"))
        if not any(f.endswith(".so") for f in files):
            raise RuntimeError(f"gopy produced no extension library in {src}")
        if os.path.abspath(src) == os.path.abspath(dest):
            return
        os.makedirs(dest, exist_ok=True)
        for old in glob.glob(os.path.join(dest, "_" + NATIVE_NAME + ".*.so")):
            os.remove(old)  # a library built for another interpreter
        for f in files:
            shutil.copy2(f, dest)


setup(
    version=read_version(),
    package_dir={"": "python"},
    packages=find_namespace_packages(
        "python",
        include=["pyflink_go", "pyflink_go.*"],
        exclude=[NATIVE_PKG, NATIVE_PKG + ".*", "*.__pycache__"],
    ),
    package_data={"pyflink_go": ["py.typed", "**/*.json", "**/*.html", "**/*.css", "**/*.js"]},
    ext_modules=[Extension(NATIVE_PKG + "._" + NATIVE_NAME, sources=[])],
    cmdclass={"build_ext": GopyBuildExt},
    zip_safe=False,
)
