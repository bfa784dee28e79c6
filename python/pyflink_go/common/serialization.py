"""Serialization schemas and encoders of ``pyflink.common.serialization``.

They describe how records become bytes in connectors; here they are plain
descriptions that the job plan carries to the engine's connectors.
"""

__all__ = [
    'SerializationSchema',
    'DeserializationSchema',
    'SimpleStringSchema',
    'Encoder',
    'SimpleStringEncoder',
    'BulkWriterFactory',
]


class SerializationSchema(object):
    """
    Base class for SerializationSchema. The serialization schema describes how to turn a data object
    into a different serialized representation. Most data sinks (for example Apache Kafka) require
    the data to be handed to them in a specific format (for example as byte strings).
    """

    def __init__(self, j_serialization_schema=None):
        self._j_serialization_schema = j_serialization_schema


class DeserializationSchema(object):
    """
    Base class for DeserializationSchema. The deserialization schema describes how to turn the byte
    messages delivered by certain data sources (for example Apache Kafka) into data types that are
    processed by the engine.
    """

    def __init__(self, j_deserialization_schema=None):
        self._j_deserialization_schema = j_deserialization_schema


class SimpleStringSchema(SerializationSchema, DeserializationSchema):
    """
    Very simple serialization/deserialization schema for strings. By default, the serializer uses
    'UTF-8' for string/byte conversion.
    """

    def __init__(self, charset: str = 'UTF-8'):
        SerializationSchema.__init__(self)
        DeserializationSchema.__init__(self)
        self._charset = charset

    def get_charset(self) -> str:
        """The charset used to convert between strings and bytes."""
        return self._charset

    def __eq__(self, other):
        return isinstance(other, SimpleStringSchema) and self._charset == other._charset

    def __hash__(self):
        return hash(('SimpleStringSchema', self._charset))


class Encoder(object):
    """
    Encoder is used by the file sink to perform the actual writing of the
    incoming elements to the files in a bucket.
    """

    def __init__(self, j_encoder=None, charset_name: str = "UTF-8"):
        self._j_encoder = j_encoder
        self._kind = "simple_string"
        self._charset = charset_name

    @staticmethod
    def simple_string_encoder(charset_name: str = "UTF-8") -> 'Encoder':
        """
        A simple Encoder that uses toString() on the input elements and writes them to
        the output bucket file separated by newline.
        """
        return SimpleStringEncoder(charset_name)

    def _plan_params(self):
        """The encoder's entries in a file sink's plan params."""
        return {"encoder": self._kind, "charset": self._charset}


class SimpleStringEncoder(Encoder):
    """
    An Encoder that writes each element's string form (Java's toString() for typed values,
    ``str()`` for untyped Python objects) followed by a newline, in the given charset.
    """

    def __init__(self, charset_name: str = "UTF-8"):
        super(SimpleStringEncoder, self).__init__(charset_name=charset_name)


class BulkWriterFactory(object):
    """
    Base interface for data sinks that write records into files in a bulk manner. No bulk
    formats are available in pyflink_go yet.
    """

    def __init__(self, j_bulk_writer_factory=None):
        self._j_bulk_writer_factory = j_bulk_writer_factory
