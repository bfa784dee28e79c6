"""The job plans the seed acceptance scripts submit, run unmodified through the pyflink alias."""

import os
import runpy
import sys

import pytest

from pyflink_go._import_hook import install, uninstall
from pyflink_go._testing import FakeEngine

ACCEPTANCE = "/work/shared/acceptance"

# StreamingFileSink warns about its deprecation, as in PyFlink.
pytestmark = pytest.mark.filterwarnings("ignore:Deprecated in 1.15")


@pytest.fixture
def run_script(monkeypatch):
    """Run an acceptance script as __main__ with a fake engine; return the submitted plan."""
    monkeypatch.setattr(os, "cpu_count", lambda: 4)
    monkeypatch.setenv("PYFLINK_GO_PRESTART", "0")
    install()

    def run(name, *args):
        path = os.path.join(ACCEPTANCE, name)
        if not os.path.exists(path):
            pytest.skip("acceptance script %s is not available" % path)
        monkeypatch.setattr(sys, "argv", [path, *args])
        engine = FakeEngine()
        with engine.installed():
            runpy.run_path(path, run_name="__main__")
        assert len(engine.plans) == 1
        return engine.plans[0]

    yield run
    uninstall()


def summary(plan):
    """(kind, name, parallelism, [(input position, partition)], func) per node."""
    position = {n["id"]: i for i, n in enumerate(plan["nodes"])}
    return [(n["kind"], n["name"], n["parallelism"],
             [(position[i["node"]], i["partition"]) for i in n["inputs"]],
             n["params"].get("func"))
            for n in plan["nodes"]]


@pytest.mark.parametrize("script, args, job_name, parallelism, nodes", [
    ("hello_world.py", (), "My Flink Job", 4, [
        ("collection_source", "Collection Source", 1, [], None),
        ("python", "Map", 4, [(0, "auto")], "map"),
        ("python", "Map", 4, [(1, "auto")], "to_string"),
        ("print_sink", "Print to Std. Out", 4, [(2, "auto")], None),
    ]),
    ("uppercase_stream.py", (), "Uppercase Stream", 1, [
        ("collection_source", "Collection Source", 1, [], None),
        ("python", "Map", 1, [(0, "auto")], "map"),
        ("python", "Map", 1, [(1, "auto")], "to_string"),
        ("print_sink", "Print to Std. Out", 1, [(2, "auto")], None),
    ]),
    ("tuple_map.py", (), "Simple Stream Job", 1, [
        ("collection_source", "Collection Source", 1, [], None),
        ("python", "Map", 1, [(0, "auto")], "map"),
        ("python", "Map", 1, [(1, "auto")], "to_string"),
        ("print_sink", "Print to Std. Out", 1, [(2, "auto")], None),
    ]),
    ("file_sink.py", ("/tmp/out-dir",), "File Sink Job", 1, [
        ("collection_source", "Collection Source", 1, [], None),
        ("python", "Map", 1, [(0, "auto")], "map"),
        ("file_sink", "Unnamed", 1, [(1, "auto")], None),
    ]),
])
def test_acceptance_plan_shape(run_script, script, args, job_name, parallelism, nodes):
    plan = run_script(script, *args)
    assert plan["job_name"] == job_name
    assert plan["parallelism"] == parallelism
    assert plan["mode"] == "STREAMING"
    assert plan["max_parallelism"] == 128
    assert summary(plan) == nodes


def test_hello_world_values_and_types(run_script):
    plan = run_script("hello_world.py")
    source, upper, to_string, sink = plan["nodes"]
    assert source["params"]["values"] == ["hello", "world"]
    assert source["out_type"] == {"t": "PICKLED"}
    assert upper["out_type"] == {"t": "PICKLED"}
    assert "out_type" not in upper["params"]
    assert isinstance(upper["params"]["fn"], bytes) and upper["params"]["fn"]
    assert to_string["params"] == {"func": "to_string", "fn": None, "style": "pickled"}
    assert to_string["out_type"] == {"t": "STRING"}
    assert sink["params"] == {"identifier": None}


def test_uppercase_function_is_the_users_lambda(run_script):
    import cloudpickle
    plan = run_script("uppercase_stream.py")
    fn = cloudpickle.loads(plan["nodes"][1]["params"]["fn"])
    assert [fn(v) for v in plan["nodes"][0]["params"]["values"]] == ["APPLE", "BANANA", "MELON"]


def test_tuple_map_source_is_typed(run_script):
    plan = run_script("tuple_map.py")
    source = plan["nodes"][0]
    assert source["out_type"] == {"t": "TUPLE", "fields": [{"t": "STRING"}, {"t": "INT"}]}
    assert source["params"]["values"] == [("apple", 3), ("banana", 5)]
    assert all(type(v) is tuple for v in source["params"]["values"])


def test_file_sink_plan(run_script):
    plan = run_script("file_sink.py", "/tmp/out-dir")
    mapped, sink = plan["nodes"][1], plan["nodes"][2]
    assert mapped["out_type"] == {"t": "TUPLE", "fields": [{"t": "STRING"}, {"t": "INT"}]}
    assert mapped["params"]["out_type"] == mapped["out_type"]
    assert sink["params"]["base_path"] == "/tmp/out-dir"
    assert sink["params"]["encoder"] == "simple_string"
    assert sink["params"]["part_prefix"] == "part"
    assert sink["params"]["part_suffix"] == ""
    assert sink["params"]["bucket_assigner"] == "date_time"
    assert sink["params"]["bucket_format"] == "yyyy-MM-dd--HH"
    assert sink["params"]["legacy"] is True
    assert sink["params"]["rolling"] == {"part_size": 128 * 1024 * 1024,
                                         "rollover_interval": 60000,
                                         "inactivity_interval": 60000, "on_checkpoint": False}
    assert plan["config"]["execution.checkpointing.interval"] == "1 s"
