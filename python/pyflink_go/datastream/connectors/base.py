"""Base classes of sources and sinks, and what a connector tells the job plan about itself.

A connector describes itself with ``_source_spec``/``_sink_spec``: the node kind and params
of engine/plan/PLAN.md. Connectors that exist only as Java classes in Flink raise a clear
error when used.
"""

from abc import ABC, abstractmethod
from enum import Enum
from typing import Any, Dict, NamedTuple, Optional

from pyflink_go.common.typeinfo import TypeInformation
from pyflink_go.datastream.functions import JavaFunctionWrapper

__all__ = ['Source', 'Sink', 'DeliveryGuarantee', 'SourceSpec', 'SinkSpec']


class SourceSpec(NamedTuple):
    """A source as the job plan sees it."""
    kind: str
    params: Dict[str, Any]
    out_type: TypeInformation
    bounded: bool


class SinkSpec(NamedTuple):
    """A sink as the job plan sees it."""
    kind: str
    params: Dict[str, Any]


class Source(JavaFunctionWrapper):
    """
    Base class for all unified data source in Flink.
    """

    def __init__(self, source):
        """
        Constructor of Source.

        :param source: The Java Source class name, or a description of a built-in source.
        """
        super(Source, self).__init__(source)

    def _source_spec(self) -> SourceSpec:
        raise NotImplementedError(
            "The source %r is not available in pyflink_go; built-in sources are FileSource and "
            "NumberSequenceSource (and from_collection)." % (self._j_function,))

    def _check(self, description: str) -> None:
        """Raise if the source cannot run (called when the job plan is built)."""


class Sink(JavaFunctionWrapper):
    """
    Base class for all unified data sink in Flink.
    """

    def __init__(self, sink):
        """
        Constructor of Sink.

        :param sink: The Java Sink class name, or a description of a built-in sink.
        """
        super(Sink, self).__init__(sink)

    def _sink_spec(self) -> SinkSpec:
        raise NotImplementedError(
            "The sink %r is not available in pyflink_go; built-in sinks are FileSink, "
            "StreamingFileSink and print()." % (self._j_function,))


class DeliveryGuarantee(Enum):
    """
    DeliverGuarantees that can be chosen. In general your pipeline can only offer the lowest
    delivery guarantee which is supported by your sources and sinks.

    :data: `EXACTLY_ONCE`:
    Records are only delivered exactly-once also under failover scenarios.

    :data: `AT_LEAST_ONCE`:
    Records are ensured to be delivered but it may happen that the same record is delivered
    multiple times.

    :data: `NONE`:
    Records are delivered on a best effort basis.
    """

    EXACTLY_ONCE = 0,
    AT_LEAST_ONCE = 1,
    NONE = 2


class StreamTransformer(ABC):
    """Rewrites a stream before a sink consumes it."""

    @abstractmethod
    def apply(self, ds):
        """Returns the stream the sink should consume."""
        pass


class SupportsPreprocessing(ABC):
    """A sink that needs its input stream rewritten first."""

    @abstractmethod
    def get_transformer(self) -> Optional[StreamTransformer]:
        """The transformer to apply, or None."""
        pass
