"""SlotSharingGroup and MemorySize: resource hints for grouping operators into slots."""

from typing import Dict, Optional

__all__ = ['MemorySize', 'SlotSharingGroup']


class MemorySize(object):
    """
    MemorySize is a representation of a number of bytes, viewable in different units.
    """

    def __init__(self, j_memory_size=None, bytes_size: int = None):
        if bytes_size is None:
            bytes_size = int(j_memory_size) if j_memory_size is not None else 0
        if bytes_size < 0:
            raise ValueError("bytes must be >= 0")
        self._bytes = bytes_size

    @staticmethod
    def of_mebi_bytes(mebi_bytes: int) -> 'MemorySize':
        """Creates a MemorySize of the given number of mebibytes."""
        return MemorySize(bytes_size=mebi_bytes << 20)

    def get_bytes(self) -> int:
        """Gets the memory size in bytes."""
        return self._bytes

    def get_kibi_bytes(self) -> int:
        """Gets the memory size in Kibibytes (= 1024 bytes)."""
        return self._bytes >> 10

    def get_mebi_bytes(self) -> int:
        """Gets the memory size in Mebibytes (= 1024 Kibibytes)."""
        return self._bytes >> 20

    def get_gibi_bytes(self) -> int:
        """Gets the memory size in Gibibytes (= 1024 Mebibytes)."""
        return self._bytes >> 30

    def get_tebi_bytes(self) -> int:
        """Gets the memory size in Tebibytes (= 1024 Gibibytes)."""
        return self._bytes >> 40

    def __eq__(self, other):
        return isinstance(other, MemorySize) and self._bytes == other._bytes

    def __hash__(self):
        return hash(self._bytes)

    def __lt__(self, other: 'MemorySize'):
        if not isinstance(other, MemorySize):
            raise TypeError("'<' not supported between instances of 'MemorySize' and '{0}'"
                            .format(type(other).__name__))
        return self._bytes < other._bytes

    def __le__(self, other: 'MemorySize'):
        return self.__eq__(other) or self.__lt__(other)

    def __str__(self):
        return '%d bytes' % self._bytes


class SlotSharingGroup(object):
    """
    Describe the name and the different resource components of a slot sharing group.
    """

    def __init__(self, name: str, cpu_cores: Optional[float] = None,
                 task_heap_memory: Optional[MemorySize] = None,
                 task_off_heap_memory: Optional[MemorySize] = None,
                 managed_memory: Optional[MemorySize] = None,
                 external_resources: Dict[str, float] = None):
        self._name = name
        self._cpu_cores = cpu_cores
        self._task_heap_memory = task_heap_memory
        self._task_off_heap_memory = task_off_heap_memory
        self._managed_memory = managed_memory
        self._external_resources = dict(external_resources or {})

    def get_name(self) -> str:
        """Gets the name of this SlotSharingGroup."""
        return self._name

    def get_managed_memory(self) -> Optional[MemorySize]:
        """Gets the managed memory of this SlotSharingGroup."""
        return self._managed_memory

    def get_task_heap_memory(self) -> Optional[MemorySize]:
        """Gets the task heap memory of this SlotSharingGroup."""
        return self._task_heap_memory

    def get_task_off_heap_memory(self) -> Optional[MemorySize]:
        """Gets the task off-heap memory of this SlotSharingGroup."""
        return self._task_off_heap_memory

    def get_cpu_cores(self) -> Optional[float]:
        """Gets the CPU cores of this SlotSharingGroup."""
        return self._cpu_cores

    def get_external_resources(self) -> dict:
        """Gets the external resource from this SlotSharingGroup."""
        return dict(self._external_resources)

    @staticmethod
    def builder(name: str) -> 'Builder':
        """
        Gets the Builder with the given name for this SlotSharingGroup.

        :param name: The name of the SlotSharingGroup.
        :return: The builder for the SlotSharingGroup.
        """
        return SlotSharingGroup.Builder(name)

    def __eq__(self, other):
        return isinstance(other, SlotSharingGroup) and self.__dict__ == other.__dict__

    def __hash__(self):
        return hash(self._name)

    class Builder(object):
        """
        Builder for the SlotSharingGroup.
        """

        def __init__(self, name: str):
            self._group = SlotSharingGroup(name)

        def set_cpu_cores(self, cpu_cores: float) -> 'SlotSharingGroup.Builder':
            """Sets the CPU cores for this SlotSharingGroup."""
            self._group._cpu_cores = cpu_cores
            return self

        def set_task_heap_memory(self, task_heap_memory: MemorySize) -> 'SlotSharingGroup.Builder':
            """Sets the task heap memory for this SlotSharingGroup."""
            self._group._task_heap_memory = task_heap_memory
            return self

        def set_task_heap_memory_mb(self, task_heap_memory_mb: int) -> 'SlotSharingGroup.Builder':
            """Sets the task heap memory for this SlotSharingGroup in MB."""
            return self.set_task_heap_memory(MemorySize.of_mebi_bytes(task_heap_memory_mb))

        def set_task_off_heap_memory(self, task_off_heap_memory: MemorySize) \
                -> 'SlotSharingGroup.Builder':
            """Sets the task off-heap memory for this SlotSharingGroup."""
            self._group._task_off_heap_memory = task_off_heap_memory
            return self

        def set_task_off_heap_memory_mb(self, task_off_heap_memory_mb: int) \
                -> 'SlotSharingGroup.Builder':
            """Sets the task off-heap memory for this SlotSharingGroup in MB."""
            return self.set_task_off_heap_memory(MemorySize.of_mebi_bytes(task_off_heap_memory_mb))

        def set_managed_memory(self, managed_memory: MemorySize) -> 'SlotSharingGroup.Builder':
            """Sets the managed memory for this SlotSharingGroup."""
            self._group._managed_memory = managed_memory
            return self

        def set_managed_memory_mb(self, managed_memory_mb: int) -> 'SlotSharingGroup.Builder':
            """Sets the managed memory for this SlotSharingGroup in MB."""
            return self.set_managed_memory(MemorySize.of_mebi_bytes(managed_memory_mb))

        def set_external_resource(self, name: str, value: float) -> 'SlotSharingGroup.Builder':
            """Adds the given external resource."""
            self._group._external_resources[name] = value
            return self

        def build(self) -> 'SlotSharingGroup':
            """Builds the SlotSharingGroup."""
            return self._group
