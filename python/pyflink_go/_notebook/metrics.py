"""Per-operator counts from the engine's status report (see engine/local/api.go).

``status()`` lists one entry per operator (or fused chain of operators) and subtask:
``{"node", "name", "subtask", "records_in", "records_out"}``; ``node`` is the plan
node id minus one. These helpers sum the subtasks of each operator.
"""

from typing import Any, Dict, List, Mapping, NamedTuple

__all__ = ['OperatorCounts', 'per_operator', 'by_plan_id']


class OperatorCounts(NamedTuple):
    """Records counted by all subtasks of one operator (or chain)."""
    node: int
    name: str
    subtasks: int
    records_in: int
    records_out: int


def per_operator(report: Mapping[str, Any]) -> List[OperatorCounts]:
    """The report's metrics summed per operator, in node order."""
    sums: Dict[int, List[Any]] = {}
    for m in report.get("metrics") or ():
        if not isinstance(m, Mapping):
            continue
        node = int(m.get("node", -1))
        entry = sums.setdefault(node, [str(m.get("name") or "?"), 0, 0, 0])
        entry[1] += 1
        entry[2] += int(m.get("records_in") or 0)
        entry[3] += int(m.get("records_out") or 0)
    return [OperatorCounts(node, *sums[node]) for node in sorted(sums)]


def by_plan_id(report: Mapping[str, Any]) -> Dict[int, Dict[str, int]]:
    """Counts keyed by the id the operator has in the plan JSON (node + 1)."""
    return {c.node + 1: {"records_in": c.records_in, "records_out": c.records_out}
            for c in per_operator(report)}
