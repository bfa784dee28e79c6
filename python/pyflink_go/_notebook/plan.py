"""The execution plan as a picture: Flink's plan JSON laid out as an SVG job graph.

``get_execution_plan()`` returns an :class:`ExecutionPlan`, which *is* the JSON string
(``json.loads`` and ``print`` see Flink's format) and renders in a notebook as the job
graph: one box per operator with its kind and parallelism, arrows labelled with the
ship strategy (FORWARD, HASH, REBALANCE, ...). The picture is drawn here, from the JSON
alone: no browser script, no network access.
"""

import itertools
import json
from typing import Any, Dict, List, Optional

from pyflink_go._notebook import html as h
from pyflink_go._notebook.layout import Layout, layout

__all__ = ['ExecutionPlan', 'plan_nodes', 'plan_svg', 'plan_html']

NODE_W, NODE_H = 184, 66
GAP_X, GAP_Y, MARGIN, LANE_H = 78, 22, 12, 20
NAME_CHARS = 26

_STYLE = {  # pact → (fill, stroke, label)
    "Data Source": ("#e7f0fb", "#4a78b0", "SOURCE"),
    "Data Sink": ("#fcefe3", "#c0772e", "SINK"),
    "Operator": ("#eaf5ea", "#4f8f4f", "OPERATOR"),
}
_FONT = "font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Helvetica,Arial,sans-serif"
_ids = itertools.count(1)  # distinct marker ids for several pictures on one page


def plan_nodes(plan_json: str) -> List[Dict[str, Any]]:
    """The ``nodes`` of a plan JSON text (an empty list for an empty plan)."""
    data = json.loads(plan_json) if plan_json.strip() else {}
    nodes = data.get("nodes") if isinstance(data, dict) else None
    return [n for n in nodes or () if isinstance(n, dict) and "id" in n]


def _wrap(text: str, width: int, lines: int) -> List[str]:
    """Break ``text`` into at most ``lines`` lines of ``width`` characters, at spaces or
    ``->`` where possible; the last line ends in an ellipsis when text is left over."""
    words = text.replace("->", "\u2192").split()
    out, line = [], ""
    for word in words:
        while len(word) > width:  # a long word is split, after an underscore if possible
            if line:
                out.append(line)
                line = ""
            cut = word.rfind("_", 1, width) + 1 or width
            out.append(word[:cut])
            word = word[cut:]
        candidate = (line + " " + word).strip()
        if len(candidate) > width and line:
            out.append(line)
            line = word
        else:
            line = candidate
    if line:
        out.append(line)
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1][:width - 1].rstrip() + "\u2026"
    return out or [""]


def _metric_line(metrics: Optional[Dict[int, Dict[str, int]]], node_id: int) -> Optional[str]:
    if not metrics or node_id not in metrics:
        return None
    m = metrics[node_id]
    counts = (h.format_count(m.get("records_in", 0)), h.format_count(m.get("records_out", 0)))
    return "in %s \u00b7 out %s" % counts


def _node_svg(node: Dict[str, Any], x: int, y: int,
              metrics: Optional[Dict[int, Dict[str, int]]]) -> str:
    fill, stroke, label = _STYLE.get(node.get("pact"), _STYLE["Operator"])
    name = str(node.get("contents") or node.get("type") or "?")
    lines = _wrap(name, NAME_CHARS, 2)
    parts = ['<g class="node" data-id="%s">' % h.escape(node["id"]),
             '<title>%s</title>' % h.escape("%s (id %s)" % (name, node["id"])),
             '<rect x="%d" y="%d" width="%d" height="%d" rx="6" fill="%s" stroke="%s" '
             'stroke-width="1.2"/>' % (x, y, NODE_W, NODE_H, fill, stroke),
             '<text x="%d" y="%d" font-size="9" fill="%s" font-weight="600" '
             'letter-spacing="0.5">%s</text>' % (x + 8, y + 13, stroke, label),
             '<text x="%d" y="%d" font-size="9" fill="#555" text-anchor="end">'
             'parallelism %s</text>' % (x + NODE_W - 8, y + 13,
                                        h.escape(node.get("parallelism", "?")))]
    for i, line in enumerate(lines):
        parts.append('<text x="%d" y="%d" font-size="12" fill="#222">%s</text>'
                     % (x + 8, y + 30 + 14 * i, h.escape(line)))
    extra = _metric_line(metrics, node["id"])
    if extra:
        parts.append('<text x="%d" y="%d" font-size="9" fill="#555">%s</text>'
                     % (x + 8, y + NODE_H - 6, h.escape(extra)))
    parts.append("</g>")
    return "".join(parts)


def _edge_svg(lay: Layout, src: int, dst: int, strategy: str, marker: str,
              lane_y: Optional[int]) -> str:
    """An arrow from ``src`` to ``dst``; an edge skipping columns runs along ``lane_y``
    below the boxes, so it crosses none of them."""
    x1, y1 = lay.pos[src][0] + NODE_W, lay.pos[src][1] + NODE_H // 2
    x2, y2 = lay.pos[dst][0], lay.pos[dst][1] + NODE_H // 2
    if lane_y is not None:
        a, b = x1 + GAP_X // 2, x2 - GAP_X // 2
        path = "M%d,%d C%d,%d %d,%d %d,%d L%d,%d C%d,%d %d,%d %d,%d" % (
            x1, y1, a, y1, x1, lane_y, a, lane_y, b, lane_y,
            x2, lane_y, b, y2, x2 - 2, y2)
        mx, my = (a + b) // 2, lane_y
    else:
        dx = (x2 - x1) // 2
        path = "M%d,%d C%d,%d %d,%d %d,%d" % (x1, y1, x1 + dx, y1, x2 - dx, y2, x2 - 2, y2)
        mx, my = (x1 + x2) // 2, (y1 + y2) // 2
    label = h.escape(strategy)
    width = 6 * len(strategy) + 8
    return ('<path d="%s" fill="none" stroke="#777" stroke-width="1.3" marker-end="url(#%s)"/>'
            '<rect x="%d" y="%d" width="%d" height="13" rx="3" fill="#fff" stroke="#ccc" '
            'stroke-width="0.6"/><text x="%d" y="%d" font-size="9" fill="#444" '
            'text-anchor="middle">%s</text>'
            % (path, marker, mx - width // 2, my - 7, width, mx, my + 3, label))


def plan_svg(plan_json: str, metrics: Optional[Dict[int, Dict[str, int]]] = None) -> str:
    """An ``<svg>`` picture of the plan: operators left to right in dataflow order.

    ``metrics`` (plan node id → ``{"records_in", "records_out"}``) adds counts under
    the operators' names.
    """
    nodes = plan_nodes(plan_json)
    by_id = {n["id"]: n for n in nodes}
    edges = [(p["id"], n["id"], str(p.get("ship_strategy") or ""))
             for n in nodes for p in n.get("predecessors") or () if p.get("id") in by_id]
    lay = layout([n["id"] for n in nodes], [(a, b) for a, b, _ in edges],
                 NODE_W, NODE_H, GAP_X, GAP_Y, MARGIN)
    lanes = {}  # edge index → y of its lane under the boxes
    for i, (a, b, _) in enumerate(edges):
        if lay.column[b] - lay.column[a] != 1:
            lanes[i] = lay.height - MARGIN + LANE_H * (len(lanes) + 1)
    width, height = lay.width, lay.height + LANE_H * len(lanes)
    marker = "pfg-arrow-%d" % next(_ids)
    parts = ['<svg xmlns="http://www.w3.org/2000/svg" class="pyflink-go-plan" width="%d" '
             'height="%d" viewBox="0 0 %d %d" style="max-width:100%%;height:auto;%s" '
             'role="img" aria-label="job graph">' % (width, height, width, height, _FONT),
             '<defs><marker id="%s" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
             'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
             'fill="#777"/></marker></defs>' % marker]
    for i, (src, dst, strategy) in enumerate(edges):
        parts.append(_edge_svg(lay, src, dst, strategy, marker, lanes.get(i)))
    for node in nodes:
        x, y = lay.pos[node["id"]]
        parts.append(_node_svg(node, x, y, metrics))
    if not nodes:
        parts.append('<text x="%d" y="%d" font-size="12" fill="#666">empty plan</text>'
                     % (MARGIN, MARGIN + 12))
    parts.append("</svg>")
    return "".join(parts)


def plan_html(plan_json: str, metrics: Optional[Dict[int, Dict[str, int]]] = None) -> str:
    """The SVG picture with a one-line caption, for ``_repr_html_``."""
    nodes = plan_nodes(plan_json)
    edges = sum(len(n.get("predecessors") or ()) for n in nodes)
    caption = "%d operator%s, %d connection%s \u00b7 print() shows the plan JSON" % (
        len(nodes), "" if len(nodes) == 1 else "s", edges, "" if edges == 1 else "s")
    return h.box(plan_svg(plan_json, metrics),
                 '<div style="color:#666;font-size:11px">%s</div>' % h.escape(caption))


class ExecutionPlan(str):
    """
    Flink's execution-plan JSON (this string) that draws itself as a job graph in notebooks.
    """

    def nodes(self) -> List[Dict[str, Any]]:
        """The plan's operators as dicts (id, type, pact, contents, parallelism,
        predecessors)."""
        return plan_nodes(self)

    def to_svg(self) -> str:
        """The job graph as an SVG document."""
        return plan_svg(self)

    def _repr_svg_(self) -> str:
        return plan_svg(self)

    def _repr_html_(self) -> str:
        return plan_html(self)

    def _repr_pretty_(self, printer, cycle) -> None:
        printer.text(str(self))
