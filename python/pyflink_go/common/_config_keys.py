"""Flink configuration keys the environment reads and writes, and map-valued option strings.

The environment keeps its settings in a Configuration (as Flink 1.20 does), so
settings made through methods and through ``configure()`` are one and the same.
"""

from typing import Dict

__all__ = ['PARALLELISM', 'MAX_PARALLELISM', 'RUNTIME_MODE', 'AUTO_WATERMARK_INTERVAL',
           'OPERATOR_CHAINING', 'CHECKPOINTING_INTERVAL', 'CHECKPOINTING_MODE',
           'GLOBAL_JOB_PARAMETERS', 'OBJECT_REUSE', 'BUFFER_TIMEOUT', 'JOB_NAME',
           'format_map', 'parse_map']

PARALLELISM = "parallelism.default"
MAX_PARALLELISM = "pipeline.max-parallelism"
RUNTIME_MODE = "execution.runtime-mode"
AUTO_WATERMARK_INTERVAL = "pipeline.auto-watermark-interval"
OPERATOR_CHAINING = "pipeline.operator-chaining.enabled"
CHECKPOINTING_INTERVAL = "execution.checkpointing.interval"
CHECKPOINTING_MODE = "execution.checkpointing.mode"
GLOBAL_JOB_PARAMETERS = "pipeline.global-job-parameters"
OBJECT_REUSE = "pipeline.object-reuse"
BUFFER_TIMEOUT = "execution.buffer-timeout.interval"
JOB_NAME = "pipeline.name"

_SPECIAL = (',', ':', "'", '"')


def _quote(text: str) -> str:
    if any(c in text for c in _SPECIAL):
        return "'" + text.replace("'", "''") + "'"
    return text


def format_map(values: Dict[str, str]) -> str:
    """Write a map option as Flink does: ``k1:v1,k2:v2``, quoting parts with separators."""
    return ','.join('%s:%s' % (_quote(str(k)), _quote(str(v))) for k, v in values.items())


def _split(text: str, separator: str):
    """Split at separators outside single quotes; the parts keep their quotes."""
    parts, start, quoted = [], 0, False
    for i, c in enumerate(text):
        if c == "'":
            quoted = not quoted
        elif c == separator and not quoted:
            parts.append(text[start:i])
            start = i + 1
    if quoted:
        raise ValueError("Unterminated quote in map option %r" % text)
    parts.append(text[start:])
    return parts


def _unquote(part: str) -> str:
    if len(part) >= 2 and part[0] == "'" and part[-1] == "'":
        return part[1:-1].replace("''", "'")
    return part


def parse_map(text: str) -> Dict[str, str]:
    """Read a map option written as ``k1:v1,k2:v2`` (the inverse of ``format_map``)."""
    result = {}
    if not text:
        return result
    for entry in _split(text, ','):
        key_value = _split(entry, ':')
        if len(key_value) != 2:
            raise ValueError("Could not parse map entry %r: expected 'key:value'" % entry)
        result[_unquote(key_value[0])] = _unquote(key_value[1])
    return result
