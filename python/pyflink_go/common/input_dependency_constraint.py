"""InputDependencyConstraint, kept for ``ExecutionConfig`` compatibility."""

from enum import Enum

__all__ = ['InputDependencyConstraint']


class InputDependencyConstraint(Enum):
    """
    This constraint indicates when a task should be scheduled considering its inputs status.

    :data:`ANY`: Schedule the task if any input is consumable.
    :data:`ALL`: Schedule the task if all the inputs are consumable.
    """

    ANY = 0
    ALL = 1
