"""Collected rows: a plain ``list`` of Python values that renders as a bounded HTML table.

``execute_and_collect(limit=n)`` returns a :class:`CollectedRows`. It is a list in every
respect (equality, indexing, ``repr``); in a notebook it shows as a table of at most
``max_html_rows`` rows, with columns taken from the values: named Rows give their field
names, tuples and unnamed Rows give ``f0, f1, ...``, dicts give their keys, and anything
else is one ``value`` column.
"""

from typing import Any, List, Optional, Sequence, Tuple

from pyflink_go._notebook import html as h

__all__ = ['CollectedRows', 'MAX_HTML_ROWS', 'MAX_COLUMNS', 'columns_of', 'rows_html']

MAX_HTML_ROWS = 20
MAX_COLUMNS = 24


def _row_fields(value: Any) -> Optional[List[str]]:
    """Field names of a named pyflink_go Row, else None (without triggering field lookup)."""
    from pyflink_go.common.types import Row
    if isinstance(value, Row) and '_fields' in value.__dict__:
        return [str(name) for name in value.__dict__['_fields']]
    return None


def columns_of(values: Sequence[Any]) -> Tuple[List[str], Any]:
    """Column names for ``values`` and a function splitting one value into cells.

    The shape is decided on the values shown; values that do not fit it (a tuple of
    another length, a scalar among tuples) make the table fall back to one column.
    """
    from pyflink_go.common.types import Row
    if not values:
        return ["value"], lambda v: (v,)
    first = values[0]
    names = _row_fields(first)
    if names is not None and len(names) <= MAX_COLUMNS and \
            all(_row_fields(v) == names for v in values):
        return names, lambda v: tuple(v)
    if isinstance(first, (tuple, Row)) and not isinstance(first, str):
        width = len(first)
        if 0 < width <= MAX_COLUMNS and all(
                isinstance(v, (tuple, Row)) and len(v) == width for v in values):
            fields = getattr(type(first), "_fields", None)  # namedtuple field names
            names = list(fields) if isinstance(first, tuple) and fields and \
                all(type(v) is type(first) for v in values) else \
                ["f%d" % i for i in range(width)]
            return names, lambda v: tuple(v)
    if isinstance(first, dict):
        keys: List[Any] = []
        for v in values:
            if not isinstance(v, dict):
                keys = []
                break
            keys.extend(k for k in v if k not in keys)
        if 0 < len(keys) <= MAX_COLUMNS:
            return [str(k) for k in keys], lambda v: tuple(v.get(k, "") for k in keys)
    return ["value"], lambda v: (v,)


def rows_html(values: Sequence[Any], max_rows: int = MAX_HTML_ROWS,
              title: Optional[str] = None) -> str:
    """An HTML table of the first ``max_rows`` values with a caption counting them all."""
    total = len(values)
    shown = list(values[:max_rows])
    names, split = columns_of(shown)
    if total == 0:
        caption = "no rows"
    elif total > len(shown):
        caption = "%s rows, first %s shown" % (h.format_count(total), h.format_count(len(shown)))
    else:
        caption = "1 row" if total == 1 else "%s rows" % h.format_count(total)
    body = h.table(names, (split(v) for v in shown), caption=caption, index=range(len(shown)))
    head = '<div style="font-weight:600;font-size:12px">%s</div>' % h.escape(title) \
        if title else ""
    return h.box(head, body)


class CollectedRows(list):
    """
    The values collected from a job: a list that renders as a compact table in notebooks.

    ``repr()`` is the list's own; IPython's plain-text display shows at most
    ``max_html_rows`` values of a long list.
    """

    max_html_rows = MAX_HTML_ROWS

    def _repr_html_(self) -> str:
        return rows_html(self, self.max_html_rows)

    def _repr_pretty_(self, printer, cycle) -> None:
        if cycle:
            printer.text("[...]")
            return
        if len(self) <= self.max_html_rows:
            printer.pretty(list(self))
            return
        head = list(self[:self.max_html_rows])
        printer.text(repr(head)[:-1] + ", ...]  # %s rows" % h.format_count(len(self)))
