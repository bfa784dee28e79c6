"""Small HTML building blocks shared by the notebook renderings: escaped, bounded cells
and compact tables with inline styles (no stylesheet, script or network access)."""

import html
from typing import Any, Iterable, Optional, Sequence, Tuple

__all__ = ['MAX_CELL_CHARS', 'escape', 'cell_text', 'table', 'key_value_table', 'box',
           'format_count', 'format_ms']

MAX_CELL_CHARS = 80

_TABLE_STYLE = ("border-collapse:collapse;font-size:12px;font-family:"
                "ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;margin:2px 0")
_TH_STYLE = ("text-align:left;padding:2px 8px;border-bottom:1px solid #999;"
             "font-weight:600;white-space:nowrap")
_TD_STYLE = "text-align:left;padding:2px 8px;border-bottom:1px solid #e4e4e4;white-space:pre"
_INDEX_STYLE = _TD_STYLE + ";color:#888"
_KEY_STYLE = _TH_STYLE.replace("#999", "#e4e4e4")
_CAPTION_STYLE = "caption-side:bottom;text-align:left;color:#666;padding-top:3px;font-size:11px"
_TITLE_STYLE = "font-weight:600;font-size:12px;margin:2px 0"


def escape(text: Any) -> str:
    """HTML-escape ``str(text)``, quotes included."""
    return html.escape(str(text), quote=True)


def cell_text(value: Any, limit: int = MAX_CELL_CHARS) -> str:
    """A value as table cell text: strings as they are, anything else by ``repr``; long
    texts are cut to ``limit`` characters and end in an ellipsis."""
    if isinstance(value, str):
        text = value
    else:
        try:
            text = repr(value)
        except Exception as e:  # a broken __repr__ must not break the table
            text = "<unprintable %s: %s>" % (type(value).__name__, e)
    if len(text) > limit:
        text = text[:max(0, limit - 1)] + "\u2026"
    return text


def table(header: Sequence[str], rows: Iterable[Sequence[Any]], caption: Optional[str] = None,
          index: Optional[Iterable[Any]] = None, css_class: str = "pyflink-go") -> str:
    """An HTML table; cells are escaped, ``index`` gives a greyed first column."""
    parts = ['<table class="%s" style="%s">' % (escape(css_class), _TABLE_STYLE)]
    if caption:
        parts.append('<caption style="%s">%s</caption>' % (_CAPTION_STYLE, escape(caption)))
    names = list(header)
    if index is not None:
        names = [""] + names
    parts.append("<thead><tr>%s</tr></thead><tbody>" % "".join(
        '<th style="%s">%s</th>' % (_TH_STYLE, escape(name)) for name in names))
    labels = iter(index) if index is not None else None
    for row in rows:
        cells = []
        if labels is not None:
            cells.append('<td style="%s">%s</td>' % (_INDEX_STYLE, escape(next(labels, ""))))
        cells.extend('<td style="%s">%s</td>' % (_TD_STYLE, escape(cell_text(value)))
                     for value in row)
        parts.append("<tr>%s</tr>" % "".join(cells))
    parts.append("</tbody></table>")
    return "".join(parts)


def key_value_table(pairs: Iterable[Tuple[str, Any]], title: Optional[str] = None,
                    css_class: str = "pyflink-go") -> str:
    """A two-column table of labels and values, with an optional bold title above it."""
    rows = ['<tr><th style="%s">%s</th><td style="%s">%s</td></tr>'
            % (_KEY_STYLE, escape(key), _TD_STYLE, escape(cell_text(value)))
            for key, value in pairs]
    head = '<div style="%s">%s</div>' % (_TITLE_STYLE, escape(title)) if title else ""
    return '%s<table class="%s" style="%s"><tbody>%s</tbody></table>' % (
        head, escape(css_class), _TABLE_STYLE, "".join(rows))


def box(*parts: str, css_class: str = "pyflink-go") -> str:
    """Wrap already-built HTML parts in one block."""
    return '<div class="%s">%s</div>' % (escape(css_class), "".join(parts))


def format_count(n: int) -> str:
    """``1234567`` → ``'1,234,567'``."""
    return "{:,}".format(int(n))


def format_ms(ms: float) -> str:
    """A duration for people: ``'850 ms'``, ``'3.2 s'``, ``'2 min 05 s'``, ``'1 h 02 min'``."""
    ms = max(0, int(ms))
    if ms < 1000:
        return "%d ms" % ms
    if ms < 60_000:
        return "%.1f s" % (ms / 1000.0)
    seconds = ms // 1000
    if seconds < 3600:
        return "%d min %02d s" % divmod(seconds, 60)
    hours, rest = divmod(seconds, 3600)
    return "%d h %02d min" % (hours, rest // 60)
