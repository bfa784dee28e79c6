"""Time values of PyFlink's ``pyflink.common.time``: Duration, Instant and Time.

All three are plain Python values here (PyFlink wraps Java objects for Duration);
the value codec reads ``Instant.seconds`` and ``Instant.nanos`` directly.
"""

__all__ = ['Duration', 'Instant', 'Time']

_NANOS_PER_MILLI = 1_000_000
_NANOS_PER_SECOND = 1_000_000_000


class Duration(object):
    """
    A time-based amount of time, such as '34.5 seconds', with nanosecond precision.

    Example::

        >>> Duration.of_seconds(20).to_milliseconds()
        20000
    """

    __slots__ = ('_nanos',)

    def __init__(self, nanos: int = 0):
        self._nanos = int(nanos)

    @staticmethod
    def of_days(days: int) -> 'Duration':
        """Obtains a Duration representing a number of standard 24 hour days."""
        return Duration(days * 86_400 * _NANOS_PER_SECOND)

    @staticmethod
    def of_hours(hours: int) -> 'Duration':
        """Obtains a Duration representing a number of standard hours."""
        return Duration(hours * 3_600 * _NANOS_PER_SECOND)

    @staticmethod
    def of_minutes(minutes: int) -> 'Duration':
        """Obtains a Duration representing a number of standard minutes."""
        return Duration(minutes * 60 * _NANOS_PER_SECOND)

    @staticmethod
    def of_seconds(seconds: int) -> 'Duration':
        """Obtains a Duration representing a number of seconds."""
        return Duration(seconds * _NANOS_PER_SECOND)

    @staticmethod
    def of_millis(millis: int) -> 'Duration':
        """Obtains a Duration representing a number of milliseconds."""
        return Duration(millis * _NANOS_PER_MILLI)

    @staticmethod
    def of_nanos(nanos: int) -> 'Duration':
        """Obtains a Duration representing a number of nanoseconds."""
        return Duration(nanos)

    def to_milliseconds(self) -> int:
        """The length of this duration in whole milliseconds (truncated, as Java's toMillis)."""
        return int(self._nanos / _NANOS_PER_MILLI) if self._nanos < 0 \
            else self._nanos // _NANOS_PER_MILLI

    def to_nanos(self) -> int:
        """The length of this duration in nanoseconds."""
        return self._nanos

    def __eq__(self, other):
        return isinstance(other, Duration) and self._nanos == other._nanos

    def __hash__(self):
        return hash(('Duration', self._nanos))

    def __repr__(self):
        seconds, nanos = divmod(self._nanos, _NANOS_PER_SECOND)
        if seconds == 0 and nanos == 0:
            return 'PT0S'
        hours, rest = divmod(abs(seconds), 3600)
        minutes, secs = divmod(rest, 60)
        sign = '-' if seconds < 0 else ''
        text = 'PT'
        if hours:
            text += '%s%dH' % (sign, hours)
        if minutes:
            text += '%s%dM' % (sign, minutes)
        if secs or nanos:
            fraction = ('.%09d' % nanos).rstrip('0') if nanos else ''
            text += '%s%d%sS' % (sign, secs, fraction)
        return text


class Instant(object):
    """
    An instantaneous point on the time-line, as java.time.Instant: whole ``seconds`` since the
    epoch plus ``nanos`` (0 to 999,999,999) within that second.
    """

    __slots__ = ('seconds', 'nanos')

    def __init__(self, seconds, nanos):
        self.seconds = seconds
        self.nanos = nanos

    def to_epoch_milli(self) -> int:
        """Milliseconds since the epoch, rounded towards negative infinity like Java's."""
        if self.seconds < 0 < self.nanos:
            return (self.seconds + 1) * 1000 + self.nanos // _NANOS_PER_MILLI - 1000
        return self.seconds * 1000 + self.nanos // _NANOS_PER_MILLI

    @staticmethod
    def of_epoch_milli(epoch_milli: int) -> 'Instant':
        """Obtains an Instant from milliseconds since the epoch."""
        secs, millis = divmod(epoch_milli, 1000)
        return Instant(secs, millis * _NANOS_PER_MILLI)

    def __eq__(self, other):
        return (self.__class__ == other.__class__ and
                self.seconds == other.seconds and
                self.nanos == other.nanos)

    def __hash__(self):
        return hash((self.seconds, self.nanos))

    def __reduce__(self):
        return Instant, (self.seconds, self.nanos)

    def __repr__(self):
        return 'Instant<{}, {}>'.format(self.seconds, self.nanos)


class Time(object):
    """
    The definition of a time interval, in milliseconds.
    """

    __slots__ = ('_milliseconds',)

    def __init__(self, milliseconds: int):
        self._milliseconds = milliseconds

    def to_milliseconds(self) -> int:
        """The length of the interval in milliseconds."""
        return self._milliseconds

    @staticmethod
    def milliseconds(milliseconds: int) -> 'Time':
        """Creates a new Time of the given number of milliseconds."""
        return Time(milliseconds)

    @staticmethod
    def seconds(seconds: int) -> 'Time':
        """Creates a new Time of the given number of seconds."""
        return Time.milliseconds(seconds * 1000)

    @staticmethod
    def minutes(minutes: int) -> 'Time':
        """Creates a new Time of the given number of minutes."""
        return Time.seconds(minutes * 60)

    @staticmethod
    def hours(hours: int) -> 'Time':
        """Creates a new Time of the given number of hours."""
        return Time.minutes(hours * 60)

    @staticmethod
    def days(days: int) -> 'Time':
        """Creates a new Time of the given number of days."""
        return Time.hours(days * 24)

    def __eq__(self, other):
        return (self.__class__ == other.__class__ and
                self._milliseconds == other._milliseconds)

    def __hash__(self):
        return hash(('Time', self._milliseconds))

    def __reduce__(self):
        return Time, (self._milliseconds,)

    def __str__(self):
        return "{} ms".format(self._milliseconds)

    __repr__ = __str__
