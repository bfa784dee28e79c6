"""The RuntimeContext and metric group handed to ``Function.open``."""
from pyflink_go._worker.state import KeyedStateStore

__all__ = ['RuntimeContext', 'MetricGroup']


class RuntimeContext(KeyedStateStore):
    """What a user function can learn about the parallel task it runs in (PyFlink's RuntimeContext).

    Functions of keyed operators also get keyed state from it (``get_state``,
    ``get_list_state``, ``get_map_state``, ``get_reducing_state``,
    ``get_aggregating_state``); elsewhere those raise, as in PyFlink.
    """

    def __init__(self, task, metric_group=None, state=None):
        super(RuntimeContext, self).__init__(state)
        self._task_name = task.get('task_name', '')
        self._parallelism = int(task.get('parallelism', 1))
        self._max_parallelism = int(task.get('max_parallelism', 128))
        self._subtask = int(task.get('subtask', 0))
        self._attempt = int(task.get('attempt', 0))
        self._job_parameters = dict(task.get('job_parameters') or {})
        self._metric_group = MetricGroup() if metric_group is None else metric_group

    def get_task_name(self) -> str:
        """Returns the name of the task, as assigned when the plan was built."""
        return self._task_name

    def get_number_of_parallel_subtasks(self) -> int:
        """Returns the parallelism of the task."""
        return self._parallelism

    def get_max_number_of_parallel_subtasks(self) -> int:
        """Returns the max parallelism of the task."""
        return self._max_parallelism

    def get_index_of_this_subtask(self) -> int:
        """Returns this subtask's index, from 0 to parallelism - 1."""
        return self._subtask

    def get_attempt_number(self) -> int:
        """Returns the attempt number of this subtask; the first attempt is 0."""
        return self._attempt

    def get_task_name_with_subtasks(self) -> str:
        """Returns the task name with the subtask indicator, e.g. ``"Map (2/4)#0"``."""
        return '%s (%d/%d)#%d' % (self._task_name, self._subtask + 1, self._parallelism,
                                  self._attempt)

    def get_job_parameter(self, key: str, default_value=None):
        """Returns the global job parameter ``key`` as a string, or ``default_value``."""
        return self._job_parameters.get(key, default_value)

    def get_metrics_group(self) -> 'MetricGroup':
        """Returns the root metric group of this task."""
        return self._metric_group


class MetricGroup(object):
    """A named group of metrics, kept in the worker (PyFlink's MetricGroup surface)."""

    def __init__(self, scope=()):
        self._scope = tuple(scope)
        self._groups = {}
        self.metrics = {}

    def add_group(self, name: str, extra: str = None) -> 'MetricGroup':
        """Returns the sub-group ``name`` (or the key/value pair ``name``/``extra``)."""
        key = (name,) if extra is None else (name, extra)
        group = self._groups.get(key)
        if group is None:
            group = self._groups[key] = MetricGroup(self._scope + key)
        return group

    def counter(self, name: str) -> 'Counter':
        """Registers (or returns) a counter."""
        return self._register(name, Counter)

    def gauge(self, name: str, obj) -> None:
        """Registers a gauge: ``obj`` is called to read its value."""
        self.metrics[name] = Gauge(obj)

    def meter(self, name: str, time_span_in_seconds: int = 60) -> 'Meter':
        """Registers (or returns) a meter that counts events."""
        return self._register(name, Meter)

    def distribution(self, name: str) -> 'Distribution':
        """Registers (or returns) a distribution of reported values."""
        return self._register(name, Distribution)

    def _register(self, name, kind):
        metric = self.metrics.get(name)
        if not isinstance(metric, kind):
            metric = self.metrics[name] = kind()
        return metric


class Counter(object):
    """A count that goes up and down."""

    def __init__(self):
        self._count = 0

    def inc(self, n: int = 1):
        """Adds n."""
        self._count += n

    def dec(self, n: int = 1):
        """Subtracts n."""
        self._count -= n

    def get_count(self) -> int:
        """Returns the current count."""
        return self._count


class Meter(object):
    """Counts events."""

    def __init__(self):
        self._count = 0

    def mark_event(self, value: int = 1):
        """Records value events."""
        self._count += value

    def get_count(self) -> int:
        """Returns the number of events recorded."""
        return self._count


class Distribution(object):
    """Summarizes reported values: count, sum, min and max."""

    def __init__(self):
        self.count = 0
        self.sum = 0
        self.min = None
        self.max = None

    def update(self, value):
        """Records one value."""
        self.count += 1
        self.sum += value
        self.min = value if self.min is None or value < self.min else self.min
        self.max = value if self.max is None or value > self.max else self.max


class Gauge(object):
    """A value read on demand from a callable."""

    def __init__(self, obj):
        self._obj = obj

    def get_value(self):
        """Reads the gauge."""
        return self._obj()
