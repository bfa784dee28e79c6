"""Transformation: one node of the job being built (a source, an operator or a sink).

Streams are thin views on transformations; the environment records every
transformation that is not a source, and ``_plan`` turns the ones reachable from
them into the job plan's ``nodes``.
"""

from typing import Any, Dict, List, Optional, Tuple

from pyflink_go.common.typeinfo import TypeInformation

__all__ = ['Transformation', 'NO_FUNCTION', 'PARTITIONS', 'PickledParam', 'validate_parallelism',
           'validate_max_parallelism']

# Partitionings a stream edge can carry (see engine/plan/PLAN.md).
PARTITIONS = ('auto', 'forward', 'rebalance', 'rescale', 'shuffle', 'broadcast', 'global', 'hash')

_UPPER_MAX_PARALLELISM = 1 << 15


class _NoFunction(object):
    """Marker for nodes that carry no user function (sources, sinks, to_string)."""

    def __repr__(self):
        return 'NO_FUNCTION'


NO_FUNCTION = _NoFunction()


class PickledParam(object):
    """A value inside plan params (at any depth) that is pickled with cloudpickle when the plan
    is built, like a node's ``fn``."""

    __slots__ = ('value',)

    def __init__(self, value):
        self.value = value

    def __eq__(self, other):
        return isinstance(other, PickledParam) and other.value is self.value

    def __hash__(self):
        return id(self.value)

    def __repr__(self):
        return 'PickledParam(%r)' % (self.value,)


def validate_parallelism(parallelism: int, can_be_parallel: bool = True) -> None:
    """Reject parallelism values the engine cannot run, with Flink's messages."""
    if not isinstance(parallelism, int) or isinstance(parallelism, bool):
        raise TypeError("The parallelism must be an int, got %r" % (parallelism,))
    if parallelism < 1:
        raise ValueError("The parallelism of an operator must be at least 1.")
    if not can_be_parallel and parallelism != 1:
        raise ValueError("The parallelism of non parallel operator must be 1.")


def validate_max_parallelism(max_parallelism: int, can_be_parallel: bool = True) -> None:
    """Reject max parallelism values outside (0, 32768], with Flink's messages."""
    if not isinstance(max_parallelism, int) or isinstance(max_parallelism, bool):
        raise TypeError("The maximum parallelism must be an int, got %r" % (max_parallelism,))
    if max_parallelism <= 0:
        raise ValueError("The maximum parallelism must be greater than 0.")
    if max_parallelism > _UPPER_MAX_PARALLELISM:
        raise ValueError("The maximum parallelism must be smaller than or equal to %d."
                         % _UPPER_MAX_PARALLELISM)
    if not can_be_parallel and max_parallelism != 1:
        raise ValueError("The maximum parallelism of non parallel operator must be 1.")


class Transformation(object):
    """
    A node of the job: what it is (``kind``, ``params``, the user function ``fn``), how it runs
    (parallelism, chaining, uid) and where its records come from (``inputs``: pairs of an
    upstream transformation and the partitioning of that edge).
    """

    def __init__(self, env, kind: str, name: str, out_type: TypeInformation,
                 inputs: Tuple[Tuple, ...] = (),
                 params: Dict[str, Any] = None, fn: Any = NO_FUNCTION,
                 parallelism: Optional[int] = None):
        self.id = env._next_transformation_id()
        self.kind = kind
        self.name = name
        # Prefix the plan puts before the name (e.g. "Source: " for from_source).
        self.plan_name_prefix = ''
        self.uid = None  # type: Optional[str]
        self.uid_hash = None  # type: Optional[str]
        self.description = None  # type: Optional[str]
        self.slot_sharing_group = None  # type: Optional[str]
        self.buffer_timeout = None  # type: Optional[int]
        self.parallelism = parallelism if parallelism is not None else env.get_parallelism()
        self.max_parallelism = 0
        self.can_be_parallel = True
        self.chaining = 'default'
        # Edges: (upstream, partition) or (upstream, partition, side output tag id).
        self.inputs: List[Tuple] = list(inputs)
        self.out_type = out_type
        self.params = dict(params or {})
        self.fn = fn
        # Plan params whose values are Python objects pickled when the plan is built.
        self.pickled_params = {}  # type: Dict[str, Any]
        # Plan params holding a TypeInformation, turned into plan types when the plan is built.
        self.type_params = {}  # type: Dict[str, TypeInformation]
        # Plan params computed when the plan is built (e.g. settings read from the environment).
        self.param_factories = {}  # type: Dict[str, Any]
        # A node that runs inside another one's operator (the watermarks of from_source) takes
        # that node's parallelism and max parallelism when the plan is built.
        self.follow = None  # type: Optional[Transformation]
        # Whether a source ends by itself (decides AUTOMATIC runtime mode).
        self.bounded = True
        # When set, building a plan with this node raises NotImplementedError(message).
        self.unsupported = None  # type: Optional[str]
        # Checks run when the plan is built (e.g. input files exist); each raises on failure.
        self.checks = []  # type: List[Any]

    @property
    def is_source(self) -> bool:
        """Whether this node has no inputs."""
        return not self.inputs

    def describe(self) -> str:
        """The operator as error messages name it: its plan name and node id."""
        return "'%s%s' (node %d)" % (self.plan_name_prefix, self.name, self.id)

    def __repr__(self):
        return 'Transformation(id=%d, kind=%s, name=%r)' % (self.id, self.kind, self.name)
