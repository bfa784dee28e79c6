"""The notebook renderings on their own: collected rows as tables, the plan as SVG, results and
durations, without a kernel or an engine."""

import collections
import json
import xml.etree.ElementTree as ET

import pytest

from pyflink_go._notebook import html as h
from pyflink_go._notebook.layout import layers, layout
from pyflink_go._notebook.plan import ExecutionPlan, plan_html, plan_svg
from pyflink_go._notebook.results import result_html
from pyflink_go._notebook.rows import CollectedRows, columns_of, rows_html
from pyflink_go.common import JobExecutionResult, JobID, Row

SVG = "{http://www.w3.org/2000/svg}"


class Pretty(object):
    """Collects what an IPython pretty printer is given."""

    def __init__(self):
        self.parts = []

    def text(self, s):
        self.parts.append(s)

    def pretty(self, obj):
        self.parts.append(repr(obj))


# ---- collected rows ----

@pytest.mark.parametrize("values, names", [
    ([("a", 1), ("b", 2)], ["f0", "f1"]),
    ([Row(name="a", n=1), Row(name="b", n=2)], ["name", "n"]),
    ([Row(1, 2, 3)], ["f0", "f1", "f2"]),
    ([collections.namedtuple("Point", "x y")(1, 2)], ["x", "y"]),
    ([{"a": 1}, {"b": 2, "a": 3}], ["a", "b"]),
    ([1, "two", 3.0], ["value"]),
    ([("a", 1), ("b", 2, 3)], ["value"]),  # ragged tuples: one column
    ([("a", 1), 5], ["value"]),
    ([], ["value"]),
])
def test_columns_follow_the_values(values, names):
    found, split = columns_of(values)
    assert found == names
    for value in values:
        assert len(split(value)) == len(names)


def test_collected_rows_are_a_list_with_the_lists_repr():
    rows = CollectedRows([("a", 1), ("b", 2)])
    assert rows == [("a", 1), ("b", 2)] and isinstance(rows, list)
    assert repr(rows) == repr([("a", 1), ("b", 2)])


def test_table_is_bounded_and_counts_every_row():
    rows = CollectedRows(range(1000))
    html = rows._repr_html_()
    assert html.count("<tr>") == CollectedRows.max_html_rows + 1  # and the header row
    assert "1,000 rows, first %d shown" % CollectedRows.max_html_rows in html
    assert ">%d<" % (CollectedRows.max_html_rows - 1) in html
    assert ">%d<" % CollectedRows.max_html_rows not in html


def test_plain_display_of_a_long_list_is_bounded():
    printer = Pretty()
    CollectedRows(range(1000))._repr_pretty_(printer, False)
    text = "".join(printer.parts)
    assert text.startswith(repr(list(range(CollectedRows.max_html_rows)))[:-1])
    assert "1,000 rows" in text and len(text) < 200

    printer = Pretty()
    CollectedRows([1, 2])._repr_pretty_(printer, False)
    assert printer.parts == [repr([1, 2])]


def test_cells_are_escaped_and_cut():
    html = rows_html(["<script>alert(1)</script>", "x" * 500])
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "x" * h.MAX_CELL_CHARS not in html and "x" * (h.MAX_CELL_CHARS - 1) + "\u2026" in html


def test_broken_repr_does_not_break_the_table():
    class Broken(object):
        def __repr__(self):
            raise ValueError("no")

    assert "unprintable Broken" in rows_html([Broken()])


def test_empty_rows():
    assert "no rows" in CollectedRows()._repr_html_()


# ---- durations and counts ----

@pytest.mark.parametrize("ms, text", [
    (0, "0 ms"), (999, "999 ms"), (3200, "3.2 s"), (125_000, "2 min 05 s"),
    (3_720_000, "1 h 02 min"), (-5, "0 ms"),
])
def test_format_ms(ms, text):
    assert h.format_ms(ms) == text


def test_format_count():
    assert h.format_count(1234567) == "1,234,567"


# ---- the plan picture ----

def _plan(*nodes):
    """A plan JSON text from (id, pact, name, parallelism, [(pred, strategy)])."""
    return json.dumps({"nodes": [
        dict({"id": i, "type": name, "pact": pact, "contents": name, "parallelism": p},
             **({"predecessors": [{"id": a, "ship_strategy": s, "side": "second"}
                                  for a, s in preds]} if preds else {}))
        for i, pact, name, p, preds in nodes]}, indent=2)


DIAMOND = _plan(
    (1, "Data Source", "Source: Collection Source", 1, []),
    (2, "Operator", "Map", 2, [(1, "REBALANCE")]),
    (3, "Operator", "Reduce -> Filter", 2, [(2, "HASH")]),
    (4, "Operator", "Union <all> & friends", 2, [(1, "REBALANCE"), (3, "FORWARD")]),
    (5, "Data Sink", "Sink: Print to Std. Out", 2, [(4, "FORWARD")]),
)


def test_execution_plan_is_the_json_string():
    plan = ExecutionPlan(DIAMOND)
    assert plan == DIAMOND and isinstance(plan, str)
    assert json.loads(plan) == json.loads(DIAMOND)
    assert [n["id"] for n in plan.nodes()] == [1, 2, 3, 4, 5]
    printer = Pretty()
    plan._repr_pretty_(printer, False)
    assert printer.parts == [DIAMOND]


def test_plan_svg_is_well_formed_and_shows_every_operator_and_edge():
    svg = ExecutionPlan(DIAMOND)._repr_svg_()
    root = ET.fromstring(svg)
    assert root.tag == SVG + "svg"
    nodes = json.loads(DIAMOND)["nodes"]
    groups = root.findall(SVG + "g")
    assert len(groups) == len(nodes)
    texts = ["".join(t.itertext()) for t in root.iter(SVG + "text")]
    for node in nodes:
        group = next(g for g in groups if g.get("data-id") == str(node["id"]))
        assert node["contents"] in group.find(SVG + "title").text
        assert "parallelism %d" % node["parallelism"] in \
            ["".join(t.itertext()) for t in group.iter(SVG + "text")]
    strategies = [p["ship_strategy"] for n in nodes for p in n.get("predecessors", ())]
    assert sorted(t for t in texts if t in strategies) == sorted(strategies)
    assert len(root.findall(SVG + "path")) == len(strategies)
    assert "&lt;all&gt; &amp; friends" in svg


def test_plan_html_embeds_the_svg_and_a_summary():
    html = ExecutionPlan(DIAMOND)._repr_html_()
    assert "<svg" in html and "5 operators, 5 connections" in html


def test_several_pictures_on_one_page_use_distinct_marker_ids():
    first, second = plan_svg(DIAMOND), plan_svg(DIAMOND)
    marker = lambda svg: ET.fromstring(svg).find(SVG + "defs/" + SVG + "marker").get("id")  # noqa
    assert marker(first) != marker(second)


def test_metrics_are_written_under_the_operator_names():
    svg = plan_svg(DIAMOND, {2: {"records_in": 1500, "records_out": 1200}})
    assert "in 1,500 \u00b7 out 1,200" in svg


def test_empty_plan():
    assert "empty plan" in plan_svg(json.dumps({"nodes": []}))
    assert "0 operators" in plan_html("")


def test_long_names_wrap_within_the_box():
    plan = _plan((1, "Data Source", "Source: " + "a_very_long_operator_name_" * 4, 1, []))
    root = ET.fromstring(plan_svg(plan))
    name_lines = [t.text for t in root.iter(SVG + "text") if t.get("font-size") == "12"]
    assert len(name_lines) == 2 and name_lines[-1].endswith("\u2026")


# ---- layout ----

def test_layers_are_longest_paths_from_sources():
    edges = [(1, 2), (2, 3), (1, 4), (3, 4), (4, 5)]
    assert layers([1, 2, 3, 4, 5], edges) == {1: 0, 2: 1, 3: 2, 4: 3, 5: 4}


def test_a_cycle_does_not_hang_the_layout():
    assert set(layers([1, 2], [(1, 2), (2, 1)])) == {1, 2}


def test_boxes_do_not_overlap():
    nodes = [1, 2, 3, 4, 5, 6]
    edges = [(1, 3), (2, 3), (3, 4), (3, 5), (3, 6)]
    lay = layout(nodes, edges, 100, 40, 30, 10, 5)
    boxes = [(x, y, x + 100, y + 40) for x, y in lay.pos.values()]
    for i, a in enumerate(boxes):
        assert a[2] <= lay.width and a[3] <= lay.height
        for b in boxes[i + 1:]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]


# ---- the job's result ----

def test_result_renders_as_a_small_table():
    result = JobExecutionResult(JobID("ab" * 16), 3200, {"n": 3}, job_name="<word> count")
    html = result._repr_html_()
    assert html == result_html(result)
    assert "&lt;word&gt; count" in html and "ab" * 16 in html
    assert "3.2 s (3200 ms)" in html and "accumulator n" in html
    assert repr(result) == str(result) and "ab" * 16 in repr(result)
