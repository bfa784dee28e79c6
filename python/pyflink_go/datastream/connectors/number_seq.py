"""NumberSequenceSource: a bounded source of the longs from start to end, inclusive."""

from pyflink_go.common.typeinfo import Types
from pyflink_go.datastream.connectors.base import Source, SourceSpec

__all__ = ['NumberSequenceSource']


class NumberSequenceSource(Source):
    """
    A data source that produces a sequence of numbers (longs). This source is useful for testing and
    for cases that just need a stream of N events of any kind.

    The source splits the sequence into as many parallel sub-sequences as there are parallel
    source readers. Each sub-sequence will be produced in order. Consequently, if the parallelism is
    limited to one, this will produce one sequence in order.

    This source is always bounded. With checkpointing, the numbers each reader has not emitted
    yet are part of the checkpoint, so a restored job emits every number exactly once, also at
    another parallelism.
    """

    def __init__(self, start: int, end: int):
        """
        Creates a new NumberSequenceSource that produces parallel sequences covering the
        range start to end (both boundaries are inclusive).
        """
        for name, value in (('start', start), ('end', end)):
            if not isinstance(value, int) or isinstance(value, bool):
                raise TypeError("NumberSequenceSource %s must be an int, got %r" % (name, value))
        if end < start:
            raise ValueError("NumberSequenceSource: start (%d) must be <= end (%d)" % (start, end))
        super(NumberSequenceSource, self).__init__(
            'org.apache.flink.api.connector.source.lib.NumberSequenceSource')
        self._start = start
        self._end = end

    def _source_spec(self) -> SourceSpec:
        return SourceSpec("number_sequence_source", {"from": self._start, "to": self._end},
                          Types.LONG(), True)
