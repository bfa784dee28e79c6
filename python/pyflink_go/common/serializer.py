"""TypeSerializer: the base of user-defined serializers, as in ``pyflink.common.serializer``."""

from abc import ABC, abstractmethod
from io import BytesIO
from typing import Generic, TypeVar

__all__ = ['TypeSerializer']

T = TypeVar('T')


class TypeSerializer(ABC, Generic[T]):
    """
    This interface describes the methods that are required for a data type to be handled by the
    engine: how to write a value to a byte stream and read it back.
    """

    def __eq__(self, other):
        return isinstance(other, self.__class__)

    def __ne__(self, other):
        return not self.__eq__(other)

    def __repr__(self):
        return '%s()' % self.__class__.__name__

    def __hash__(self):
        return hash(str(self))

    @abstractmethod
    def serialize(self, element: T, stream: BytesIO) -> None:
        """
        Serializes an element to the output stream.
        """
        pass

    @abstractmethod
    def deserialize(self, stream: BytesIO) -> T:
        """
        Returns a deserialized element from the input stream.
        """
        pass
