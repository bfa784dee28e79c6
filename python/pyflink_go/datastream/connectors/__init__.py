"""Connectors: sources and sinks for ``from_source``, ``sink_to`` and ``add_sink``.

Available: FileSource (text lines), FileSink and StreamingFileSink (row format), and
NumberSequenceSource. PyFlink connectors that need external systems (Kafka, JDBC, ...)
raise an error naming what is missing.
"""
from pyflink_go.datastream.connectors.base import Sink, Source, DeliveryGuarantee
from pyflink_go.datastream.connectors.file_system import (
    BucketAssigner, FileEnumeratorProvider, FileSink, FileSplitAssignerProvider, FileSource,
    FileSourceBuilder, OutputFileConfig, RollingPolicy, StreamFormat, StreamingFileSink)
from pyflink_go.datastream.connectors.number_seq import NumberSequenceSource

__all__ = [
    'Sink',
    'Source',
    'DeliveryGuarantee',
    'NumberSequenceSource',
    'BucketAssigner',
    'FileEnumeratorProvider',
    'FileSink',
    'FileSplitAssignerProvider',
    'FileSource',
    'FileSourceBuilder',
    'OutputFileConfig',
    'RollingPolicy',
    'StreamFormat',
    'StreamingFileSink',
]

# Names PyFlink's connectors package offers that need connectors pyflink_go does not have yet.
_UNAVAILABLE = ('JdbcSink', 'JdbcConnectionOptions', 'JdbcExecutionOptions', 'KafkaSource',
                'FlinkKafkaConsumer', 'FlinkKafkaProducer', 'Semantic', 'PulsarSource',
                'PulsarSourceBuilder', 'StartCursor', 'StopCursor', 'RMQSource', 'RMQSink',
                'RMQConnectionConfig')


def __getattr__(name):
    if name in _UNAVAILABLE:
        raise AttributeError("pyflink_go.datastream.connectors.%s is not available: this "
                             "connector is not supported by pyflink_go yet" % name)
    raise AttributeError("module 'pyflink_go.datastream.connectors' has no attribute %r" % name)
