"""Layered left-to-right placement of a small directed acyclic graph (a job graph).

Each node goes into the column of its longest path from a source; nodes in a column are
ordered by the average row of their predecessors (then by id), and each column is
centred vertically. Cycles, which a job graph does not have, are broken by ignoring the
edge that closes them.
"""

from typing import Dict, Iterable, List, NamedTuple, Sequence, Tuple

__all__ = ['Layout', 'layout', 'layers']


class Layout(NamedTuple):
    """Top-left corner and column of every node, and the size of the whole drawing."""
    pos: Dict[int, Tuple[int, int]]
    column: Dict[int, int]
    width: int
    height: int


def layers(nodes: Sequence[int], edges: Iterable[Tuple[int, int]]) -> Dict[int, int]:
    """The column of every node: 0 for sources, else one more than its furthest
    predecessor."""
    preds: Dict[int, List[int]] = {n: [] for n in nodes}
    for a, b in edges:
        if a in preds and b in preds:
            preds[b].append(a)
    column: Dict[int, int] = {}
    visiting = set()

    def visit(n: int) -> int:
        if n in column:
            return column[n]
        visiting.add(n)
        depth = 0
        for p in preds[n]:
            if p not in visiting:
                depth = max(depth, visit(p) + 1)
        visiting.discard(n)
        column[n] = depth
        return depth

    for n in nodes:
        visit(n)
    return column


def layout(nodes: Sequence[int], edges: Sequence[Tuple[int, int]], node_w: int, node_h: int,
           gap_x: int, gap_y: int, margin: int) -> Layout:
    """Place ``nodes`` in columns; sizes and gaps in pixels."""
    column = layers(nodes, edges)
    columns: Dict[int, List[int]] = {}
    for n in nodes:
        columns.setdefault(column[n], []).append(n)
    preds = {n: [a for a, b in edges if b == n] for n in nodes}
    row: Dict[int, float] = {}
    for c in sorted(columns):
        def key(n: int):
            rows = [row[p] for p in preds[n] if p in row]
            return (sum(rows) / len(rows) if rows else float("inf"), n)
        columns[c].sort(key=key)
        for i, n in enumerate(columns[c]):
            row[n] = i
    tallest = max((len(v) for v in columns.values()), default=1)
    height = 2 * margin + tallest * node_h + (tallest - 1) * gap_y
    pos = {}
    for c, members in columns.items():
        span = len(members) * node_h + (len(members) - 1) * gap_y
        top = margin + (height - 2 * margin - span) // 2
        for i, n in enumerate(members):
            pos[n] = (margin + c * (node_w + gap_x), top + i * (node_h + gap_y))
    width = 2 * margin + max(len(columns), 1) * node_w + max(len(columns) - 1, 0) * gap_x
    return Layout(pos, column, width, height)
