"""Flink's textual durations ("200 ms", "1 min", "5s") as used in configuration values.

Configuration values are strings on the wire; these helpers read and write them the
way Flink's ``TimeUtils`` does, so keys set from Python and keys set by hand agree.
"""

import re

__all__ = ["parse_duration_ms", "format_duration_ms"]

_UNIT_MS = {}
for _names, _ms in (
        (("d", "day", "days"), 86_400_000),
        (("h", "hour", "hours"), 3_600_000),
        (("min", "m", "minute", "minutes"), 60_000),
        (("s", "sec", "secs", "second", "seconds"), 1_000),
        (("ms", "milli", "millis", "millisecond", "milliseconds"), 1),
        (("µs", "us", "micro", "micros", "microsecond", "microseconds"), 0.001),
        (("ns", "nano", "nanos", "nanosecond", "nanoseconds"), 0.000_001)):
    for _name in _names:
        _UNIT_MS[_name] = _ms

_PATTERN = re.compile(r"^\s*(-?\d+)\s*([a-zµ]*)\s*$", re.IGNORECASE)

# Largest unit first: the textual form uses the largest unit that divides exactly.
_FORMAT_UNITS = (("d", 86_400_000), ("h", 3_600_000), ("min", 60_000), ("s", 1_000))


def parse_duration_ms(text: str) -> int:
    """Parse ``"<number> <unit>"`` (unit optional, milliseconds by default) into milliseconds."""
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        return int(text)
    match = _PATTERN.match(str(text))
    if not match:
        raise ValueError("Could not parse duration %r: expected '<number> <unit>', e.g. '200 ms'"
                         % (text,))
    number, unit = int(match.group(1)), match.group(2).lower()
    if unit not in ("", *_UNIT_MS):
        raise ValueError("Could not parse duration %r: unknown time unit %r" % (text, unit))
    return int(number * _UNIT_MS[unit]) if unit else number


def format_duration_ms(millis: int) -> str:
    """Format milliseconds as Flink does, with the largest unit that divides exactly."""
    millis = int(millis)
    if millis == 0:
        return "0 ms"
    for unit, size in _FORMAT_UNITS:
        if millis % size == 0:
            return "%d %s" % (millis // size, unit)
    return "%d ms" % millis
