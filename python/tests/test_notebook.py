"""Jobs in Jupyter: the example notebooks and the interrupt/crash behaviours, executed headless
with nbclient and a real ipykernel, asserting on the cells' outputs.

The kernel runs this interpreter (a kernel spec written for the test) and imports the same
pyflink_go package as the tests (its directory goes first on the kernel's PYTHONPATH).
"""

import asyncio
import collections
import json
import os
import pathlib
import sys
import threading
import time

import pytest

nbformat = pytest.importorskip("nbformat")
pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

from jupyter_client.kernelspec import KernelSpecManager  # noqa: E402
from nbclient import NotebookClient  # noqa: E402
from nbformat.v4 import new_code_cell, new_notebook  # noqa: E402

import pyflink_go  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "examples" / "notebooks"
KERNEL = "pyflink-go-test"
CELL_TIMEOUT = 180  # seconds; generous for a loaded machine, never reached when things work
INTERRUPT_BOUND = 10.0  # seconds from "Interrupt kernel" to the cell's end (about 0.1 s idle)


# ---- running notebooks ----

@pytest.fixture(scope="module")
def kernel_dirs(tmp_path_factory):
    """A kernel spec that starts ipykernel with this very interpreter."""
    root = tmp_path_factory.mktemp("kernels")
    spec = root / KERNEL
    spec.mkdir()
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "pyflink-go tests", "language": "python"}))
    return [str(root)]


def _kernel_env():
    env = {k: v for k, v in os.environ.items() if k != "PYFLINK_GO_PROGRESS"}
    package_root = str(pathlib.Path(pyflink_go.__file__).resolve().parents[1])
    env["PYTHONPATH"] = os.pathsep.join(
        [package_root] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p])
    return env


def _client(nb, kernel_dirs, workdir):
    """A client that owns its kernel (shut down after the run) and finds the test spec."""
    client = NotebookClient(nb, timeout=CELL_TIMEOUT, kernel_name=KERNEL,
                            resources={"metadata": {"path": str(workdir)}})
    client.km = client.create_kernel_manager()
    client.km.kernel_spec_manager = KernelSpecManager(kernel_dirs=kernel_dirs)
    return client


def run_notebook(path, kernel_dirs, workdir):
    """Execute every cell (cells tagged raises-exception may fail); return the notebook."""
    nb = nbformat.read(str(path), as_version=4)
    _client(nb, kernel_dirs, workdir).execute(env=_kernel_env())
    return nb


# ---- reading outputs ----

def code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def cell_with(nb, text):
    """The one code cell whose source contains ``text``."""
    found = [c for c in code_cells(nb) if text in c.source]
    assert len(found) == 1, "expected one cell containing %r, found %d" % (text, len(found))
    return found[0]


def stdout_lines(cell):
    return "".join(o.get("text", "") for o in cell.outputs
                   if o.output_type == "stream" and o.name == "stdout").splitlines()


def without_subtask(line):
    """``'2> HELLO'`` → ``'HELLO'``."""
    head, sep, rest = line.partition("> ")
    return rest if sep and head.isdigit() else line


def data_of(cell, mime):
    return [o.data[mime] for o in cell.outputs
            if o.output_type in ("execute_result", "display_data") and mime in o.get("data", {})]


def errors_of(cell):
    return [o for o in cell.outputs if o.output_type == "error"]


def assert_printed_only_here(nb, cell, lines):
    """``lines`` are this cell's print output, and no other cell printed any of them."""
    assert sorted(stdout_lines(cell)) == sorted(lines)
    for other in code_cells(nb):
        if other is not cell:
            assert not set(stdout_lines(other)) & set(lines), other.source


def assert_result_table(cell):
    """The cell's value is a JobExecutionResult drawn as a small HTML table."""
    html = data_of(cell, "text/html")
    plain = data_of(cell, "text/plain")
    assert html and "<table" in html[-1] and "JobExecutionResult" in html[-1]
    job_id = plain[-1].split("job_id=")[1].split(",")[0]
    assert job_id in html[-1]


def setup_namespace(nb, marker):
    """Run a notebook's setup cell here, to compute expected outputs from its data."""
    namespace = {}
    exec(cell_with(nb, marker).source, namespace)
    return namespace


# ---- the example notebooks ----

@pytest.fixture(scope="module")
def getting_started(kernel_dirs, tmp_path_factory):
    return run_notebook(NOTEBOOKS / "getting_started.ipynb", kernel_dirs,
                        tmp_path_factory.mktemp("nb"))


@pytest.fixture(scope="module")
def keyed_streams(kernel_dirs, tmp_path_factory):
    return run_notebook(NOTEBOOKS / "keyed_streams.ipynb", kernel_dirs,
                        tmp_path_factory.mktemp("nb"))


def test_print_output_lands_in_the_cell_that_ran_the_job(getting_started):
    nb = getting_started
    hello = cell_with(nb, 'env.execute("My Flink Job")')
    assert sorted(without_subtask(line) for line in stdout_lines(hello)) == \
        sorted(w.upper() for w in ("hello", "world"))
    assert_printed_only_here(nb, hello, stdout_lines(hello))

    upper = cell_with(nb, 'env.execute("Uppercase Stream")')
    assert_printed_only_here(nb, upper, [w.upper() for w in ("apple", "banana", "melon")])

    tuples = cell_with(nb, 'env.execute("Simple Stream Job")')
    assert_printed_only_here(nb, tuples, [repr((name.upper(), n))
                                          for name, n in (("apple", 3), ("banana", 5))])
    for cell in (hello, upper, tuples):
        assert not errors_of(cell)
        assert_result_table(cell)


def test_plan_renders_as_a_picture_of_the_job_graph(getting_started):
    cell = cell_with(getting_started, "plan = env.get_execution_plan()")
    svg = data_of(cell, "image/svg+xml")
    html = data_of(cell, "text/html")
    assert svg and svg[0].startswith("<svg") and "<svg" in html[0]
    nodes = json.loads(data_of(cell, "text/plain")[0])["nodes"]  # the text is Flink's JSON
    for node in nodes:
        assert ">parallelism %d<" % node["parallelism"] in svg[0]
        for pred in node.get("predecessors", ()):
            assert ">%s<" % pred["ship_strategy"] in svg[0]
    assert any(p["ship_strategy"] == "HASH" for n in nodes for p in n.get("predecessors", ()))
    assert svg[0].count('<g class="node"') == len(nodes)


def test_collected_rows_render_as_a_table(getting_started):
    cell = cell_with(getting_started, ".execute_and_collect(limit=10)")
    expected = [(name.upper(), n * 10) for name, n in (("apple", 3), ("banana", 5), ("melon", 2))]
    assert data_of(cell, "text/plain") == [repr(expected)]
    html = data_of(cell, "text/html")[0]
    assert html.count("<tr>") == len(expected) + 1 and "%d rows" % len(expected) in html
    for name, n in expected:
        assert ">%s<" % name in html and ">%d<" % n in html


def test_file_sink_writes_part_files(getting_started):
    sink = cell_with(getting_started, 'env.execute("File Sink Job")')
    assert not errors_of(sink) and not stdout_lines(sink)
    parts = cell_with(getting_started, "rglob")
    assert sorted(stdout_lines(parts)) == sorted(
        "(%s,%d)" % (name.upper(), n) for name, n in (("apple", 3), ("banana", 5)))


def test_keyed_running_counts_and_final_table(keyed_streams):
    nb = keyed_streams
    lines = setup_namespace(nb, "def word_counts")["LINES"]
    words = collections.Counter(w for line in lines for w in line.split())

    plan = cell_with(nb, "word_counts(env).print()")
    assert ">HASH<" in data_of(plan, "image/svg+xml")[0]

    running = cell_with(nb, 'env.execute("running word count")')
    printed = [without_subtask(line) for line in stdout_lines(running)]
    assert_printed_only_here(nb, running, stdout_lines(running))
    last = {}
    for line in printed:  # "(word,count)", counts growing one by one per word
        word, count = line.strip("()").rsplit(",", 1)
        assert int(count) == last.get(word, 0) + 1
        last[word] = int(count)
    assert last == dict(words)
    assert_result_table(running)

    table = cell_with(nb, "execute_and_collect(limit=1000)")
    html = data_of(table, "text/html")[0]
    assert "%d rows" % len(words) in html and "first 20 shown" in html
    assert html.count("<tr>") == 21
    top = cell_with(nb, "sorted(counts")
    assert eval(data_of(top, "text/plain")[0]) == \
        sorted(words.items(), key=lambda t: (-t[1], t[0]))[:5]


def test_long_job_shows_progress(keyed_streams):
    cell = cell_with(keyed_streams, 'env.execute("sensor maxima")')
    progress = [o for o in cell.outputs if o.output_type == "display_data"]
    assert len(progress) == 1
    html, text = progress[0].data["text/html"], progress[0].data["text/plain"]
    assert "FINISHED" in html and "records in" in html and "records out" in html
    assert "readings" in text and "FINISHED" in text
    assert len(stdout_lines(cell)) == 6  # 3 sensors x (count 500, count 1000)
    assert_result_table(cell)


def test_async_job_output_stays_in_its_cell(keyed_streams):
    nb = keyed_streams
    start = cell_with(nb, 'env.execute_async("background readings")')
    assert not stdout_lines(start)
    display = [o for o in start.outputs if o.output_type == "display_data"]
    assert len(display) == 1 and "background readings" in display[0].data["text/html"]

    status = cell_with(nb, "client.get_job_status()")
    assert len(stdout_lines(status)) == 1 and "JobStatus." in stdout_lines(status)[0]
    assert_result_table(cell_with(nb, "client.get_job_execution_result().result()"))

    output = cell_with(nb, "client.get_output()")
    printed = eval(data_of(output, "text/plain")[0])  # a list of str
    assert printed and all(line.startswith("reading ") for line in printed)
    for cell in code_cells(nb):
        assert not [line for line in stdout_lines(cell) if line.startswith("reading ")]


def test_failing_function_shows_the_python_traceback_and_rerun_works(keyed_streams):
    nb = keyed_streams
    failing, fixed = [c for c in code_cells(nb) if 'env.execute("invert")' in c.source]
    (error,) = errors_of(failing)
    assert error.ename == "JobExecutionError"
    assert "Traceback" in error.evalue and "ZeroDivisionError" in error.evalue
    assert "in invert" in error.evalue
    assert not errors_of(fixed)
    values = [1, 2, 0, 4]
    assert stdout_lines(fixed) == [str(100 // x if x else 0) for x in values]


# ---- interrupting and crashing ----

SETUP = """
import os, time
from pyflink_go.common import Configuration, WatermarkStrategy
from pyflink_go.datastream import StreamExecutionEnvironment
from pyflink_go.datastream.connectors.number_seq import NumberSequenceSource

def endless_env():
    env = StreamExecutionEnvironment.get_execution_environment()
    env.set_parallelism(1)
    env.configure(Configuration().set_string("pyflink-go.progress.delay", "0 ms"))
    env.from_source(NumberSequenceSource(1, 10 ** 9), WatermarkStrategy.no_watermarks(),
                    "numbers").map(lambda n: time.sleep(0.001) or n) \\
        .filter(lambda n: n < 0).print()
    return env

def divide_job(divisor):
    env = StreamExecutionEnvironment.get_execution_environment()
    env.set_parallelism(1)
    env.from_collection([6, 3]).map(lambda n: n // divisor).print()
    return env.execute("divide")

divisor = 0

def small_job(name):
    env = StreamExecutionEnvironment.get_execution_environment()
    env.set_parallelism(1)
    env.from_collection(["x", "y"]).map(lambda s: name + ":" + s).print()
    return env.execute(name)
"""


def _interrupt_once_running(client, cell, sent, deadline):
    """Interrupt the kernel once ``cell`` shows its job's progress display (the job runs)."""
    while time.monotonic() < deadline:
        if any(o.output_type == "display_data" for o in list(cell.outputs)):
            sent.append(time.monotonic())
            interrupt = client.km.interrupt_kernel()
            if asyncio.iscoroutine(interrupt):  # an AsyncKernelManager (nbclient's default)
                asyncio.run(interrupt)
            return
        time.sleep(0.05)


def test_interrupt_cancels_the_job_a_crash_is_an_error_and_cells_rerun(kernel_dirs, tmp_path):
    cells = [SETUP,
             'endless_env().execute("endless")',
             'small_job("after-interrupt")',
             'env = StreamExecutionEnvironment.get_execution_environment()\n'
             'env.from_collection([1, 2]).map(lambda n: os._exit(3)).print()\n'
             'env.execute("crash")',
             'small_job("after-crash")',
             'divide_job(divisor)',
             'divisor = 3',
             'client = endless_env().execute_async("endless in the background")',
             'print(client.get_job_status().result())',
             'client.cancel().result(timeout=60)\n'
             'print(client.get_job_status().result())',
             'client.get_job_execution_result().result(timeout=60)']
    nb = new_notebook(cells=[new_code_cell(src) for src in cells])
    client = _client(nb, kernel_dirs, tmp_path)
    client.allow_errors = True
    with client.setup_kernel(env=_kernel_env()):
        client.execute_cell(nb.cells[0], 0)
        sent = []
        watcher = threading.Thread(target=_interrupt_once_running,
                                   args=(client, nb.cells[1], sent, time.monotonic() + 120))
        watcher.start()
        client.execute_cell(nb.cells[1], 1)
        ended = time.monotonic()
        watcher.join()
        for i in range(2, len(cells)):
            client.execute_cell(nb.cells[i], i)
        divide = nb.cells[5]
        first_run = list(divide.outputs)
        client.execute_cell(divide, 5)  # the same cell again, after fixing its input

    endless, after, crash, after_crash = nb.cells[1:5]
    assert sent, "the job's progress display never appeared"
    assert ended - sent[0] < INTERRUPT_BOUND
    (error,) = errors_of(endless)
    assert error.ename == "KeyboardInterrupt"
    progress = [o for o in endless.outputs if o.output_type == "display_data"]
    assert "CANCELED" in progress[-1].data["text/plain"]

    for cell, name in ((after, "after-interrupt"), (after_crash, "after-crash")):
        assert not errors_of(cell)
        assert stdout_lines(cell) == ["%s:%s" % (name, s) for s in ("x", "y")]
        assert_result_table(cell)

    (error,) = errors_of(crash)
    assert error.ename == "JobExecutionError" and "crash" in error.evalue

    start, status, cancel, result = nb.cells[7:]
    assert not errors_of(start) and not stdout_lines(start)
    assert stdout_lines(status) in (["JobStatus.CREATED"], ["JobStatus.RUNNING"])
    assert stdout_lines(cancel) == ["JobStatus.CANCELED"]
    (error,) = errors_of(result)
    assert error.ename == "JobExecutionError" and "cancel" in error.evalue

    (error,) = [o for o in first_run if o.output_type == "error"]
    assert error.ename == "JobExecutionError" and "ZeroDivisionError" in error.evalue
    assert not errors_of(divide)
    assert stdout_lines(divide) == [str(n // 3) for n in (6, 3)]
