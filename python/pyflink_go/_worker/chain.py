"""A fused chain of operators: opened from the ``open`` message, run once per batch."""
import pickle

from pyflink_go._worker.context import MetricGroup, RuntimeContext
from pyflink_go._worker.errors import UserFunctionError
from pyflink_go._worker.ops import TWO_INPUT_FUNCS, Env, OpenedOp, build_stage, \
    is_function_object, is_keyed, must_be_first, resolve_callable
from pyflink_go._worker.state import KeyedState

__all__ = ['Chain', 'Output']


class Output(object):
    """What a batch produced: the main rows (values, keys when the chain ends with key_by,
    timestamps or None) and the side-output rows (values, tags, timestamps)."""

    __slots__ = ('values', 'keys', 'ts', 'side_values', 'side_tags', 'side_ts')

    def __init__(self, values, keys, ts, side_values, side_tags, side_ts):
        self.values = values
        self.keys = keys
        self.ts = ts
        self.side_values = side_values
        self.side_tags = side_tags
        self.side_ts = side_ts


class Chain(object):
    """The operators of one stream, their state, and the stages that run a batch through them."""

    def __init__(self, ops, task):
        """Unpickles every operator's function, calls open() on Function objects and builds the stages.

        Raises UserFunctionError naming the operator that failed.
        """
        self.task = task
        self.mode = task.get('mode') or 'STREAMING'
        # A window chain holds no state between batches: the engine installs the state of
        # the panes of each batch and gets every change back, in both modes (udf/SPEC.md §4).
        self.transient = bool(ops) and ops[0].get('func') == 'window'
        self.state = KeyedState(streaming=self.mode != 'BATCH' or self.transient)
        self.env = Env(self.state)
        self.ops = []
        metrics = MetricGroup()
        self.context = RuntimeContext(task, metric_group=metrics)
        self._keyed_context = None
        self._opened = []
        for position, spec in enumerate(ops):
            name = spec.get('name') or spec.get('func') or 'operator %d' % position
            try:
                op = self._load(spec, name, position, metrics)
                self.ops.append(op)
            except UserFunctionError:
                self.close(ignore_errors=True)
                raise
            except Exception as e:
                self.close(ignore_errors=True)
                raise UserFunctionError(name, e)
        self.stages = []
        for op in self.ops:
            try:
                self.stages.append(build_stage(op, self.mode, self.env))
            except Exception as e:
                self.close(ignore_errors=True)
                raise UserFunctionError(op.name, e)
        self.names = [op.name for op in self.ops]
        self.keyed_input = bool(self.ops) and self.ops[0].keyed
        self.reduces = bool(self.ops) and self.ops[0].func == 'reduce'
        self.emits_keys = bool(self.ops) and self.ops[-1].func == 'key_by'

    def _load(self, spec, name, position, metrics):
        func = spec.get('func')
        params = spec.get('params') or {}
        keyed = is_keyed(func, params)
        if position != 0 and must_be_first(func, params):
            raise ValueError('%s: a %s operator must be the first of its chain'
                             % (name, 'keyed ' + func if func in ('map', 'flat_map', 'filter')
                                else func))
        data = spec.get('fn')
        fn = pickle.loads(data) if data is not None else None
        functions = None
        if func == 'to_string':
            call = None
        elif func in TWO_INPUT_FUNCS:
            if fn is None:
                raise TypeError('%s: a %s operator needs a function' % (name, func))
            call = None
        elif func == 'window':
            if not isinstance(fn, dict) or 'kind' not in fn or 'fn' not in fn:
                raise TypeError('%s: a window operator needs {"kind", "fn", "window_fn"}, got %r'
                                % (name, type(fn).__name__))
            call = None
            functions = [f for f in (fn.get('fn'), fn.get('window_fn')) if f is not None]
        else:
            call = resolve_callable(func, fn, name)
        op = OpenedOp(dict(spec, name=name), fn, call, functions)
        op.metrics = metrics  # what a window's custom trigger reports as its metric group
        context = self.context
        if keyed:
            context = RuntimeContext(self.task, metric_group=metrics, state=self.state)
            self._keyed_context = context
        for function in op.functions:
            if not is_function_object(function):
                continue
            opener = getattr(function, 'open', None)
            if callable(opener):
                try:
                    opener(context)
                except Exception as e:
                    raise UserFunctionError(name, e)
            self._opened.append((name, function))
        return op

    def run(self, values, keys=None, ts=None, final=False, windows=None, timers=None,
            watermark=None, now=None, inputs=None):
        """Runs one batch through every stage; returns its Output.

        With ``final`` in BATCH mode a reduce chain first emits each key's final
        accumulator (in key-encoding order), which then runs through the rest of the chain.
        """
        env = self.env
        env.begin(watermark, now, timers, windows, inputs)
        stages = self.stages
        start = 0
        if self.reduces and self.mode == 'BATCH':
            try:
                values, keys, ts = stages[0](values, keys, ts)
                if final:
                    accumulators = self.state.reduce_table().data
                    values = [accumulators[k] for k in self.state.final_keys()]
                    ts = None
            except Exception as e:
                raise UserFunctionError(self.names[0], e)
            start = 1
        for index in range(start, len(stages)):
            try:
                values, keys, ts = stages[index](values, keys, ts)
            except Exception as e:
                raise UserFunctionError(self.names[index], e)
        return Output(values, keys if self.emits_keys else None, ts,
                      env.side_values, env.side_tags, env.side_ts)

    def process(self, values, keys, final):
        """Runs a batch of values (and keys); returns (main values, keys or None)."""
        out = self.run(values, keys, final=final)
        return out.values, out.keys

    def timer_ops(self):
        """The timer operations of the last batch: ``[key, timestamp, domain, delete]``."""
        ops = self.env.timer_ops
        return [[key, ts, domain, delete] for (key, ts, domain), delete in ops.items()]

    def close(self, ignore_errors=False):
        """Calls close() on every opened Function object; raises the first failure unless told not to."""
        first = None
        opened, self._opened = self._opened, []
        for name, function in opened:
            closer = getattr(function, 'close', None)
            if not callable(closer):
                continue
            try:
                closer()
            except Exception as e:
                if first is None:
                    first = UserFunctionError(name, e)
        if first is not None and not ignore_errors:
            raise first
