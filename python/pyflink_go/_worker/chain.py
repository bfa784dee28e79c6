"""A fused chain of operators: opened from the ``open`` message, run once per batch."""
import pickle

from pyflink_go._worker.context import RuntimeContext
from pyflink_go._worker.errors import UserFunctionError
from pyflink_go._worker.ops import KEYED_FUNCS, OpenedOp, build_stage, is_function_object, \
    resolve_callable
from pyflink_go._worker.state import KeyedState

__all__ = ['Chain']


class Chain(object):
    """The operators of one stream, their state, and the stages that run a batch through them."""

    def __init__(self, ops, task):
        """Unpickles every operator's function, calls open() on Function objects and builds the stages.

        Raises UserFunctionError naming the operator that failed.
        """
        self.task = task
        self.mode = task.get('mode') or 'STREAMING'
        self.state = KeyedState()
        self.ops = []
        self.context = RuntimeContext(task)
        self._opened = []
        for position, spec in enumerate(ops):
            name = spec.get('name') or spec.get('func') or 'operator %d' % position
            try:
                op = self._load(spec, name, position)
            except UserFunctionError:
                self.close(ignore_errors=True)
                raise
            except Exception as e:
                self.close(ignore_errors=True)
                raise UserFunctionError(name, e)
            self.ops.append(op)
        self.stages = [build_stage(op, self.mode, self.state) for op in self.ops]
        self.names = [op.name for op in self.ops]
        self.keyed_input = bool(self.ops) and self.ops[0].func in KEYED_FUNCS
        self.emits_keys = bool(self.ops) and self.ops[-1].func == 'key_by'

    def _load(self, spec, name, position):
        func = spec.get('func')
        if func in KEYED_FUNCS and position != 0:
            raise ValueError('%s: a %s operator must be the first of its chain' % (name, func))
        data = spec.get('fn')
        fn = pickle.loads(data) if data is not None else None
        call = resolve_callable(func, fn, name) if func != 'to_string' else None
        op = OpenedOp(dict(spec, name=name), fn, call)
        if is_function_object(fn):
            opener = getattr(fn, 'open', None)
            if callable(opener):
                try:
                    opener(self.context)
                except Exception as e:
                    raise UserFunctionError(name, e)
            self._opened.append(op)
        return op

    def process(self, values, keys, final):
        """Runs one batch through every stage; returns (values, keys or None).

        With ``final`` in BATCH mode a keyed chain first emits each key's final
        accumulator (in key-encoding order), which then runs through the rest of the chain.
        """
        stages = self.stages
        start = 0
        if self.keyed_input and self.mode == 'BATCH':
            try:
                values, keys = stages[0](values, keys)
                if final:
                    accumulators = self.state.accumulators
                    values = [accumulators[k] for k in self.state.final_keys()]
            except Exception as e:
                raise UserFunctionError(self.names[0], e)
            start = 1
        for index in range(start, len(stages)):
            try:
                values, keys = stages[index](values, keys)
            except Exception as e:
                raise UserFunctionError(self.names[index], e)
        return values, (keys if self.emits_keys else None)

    def close(self, ignore_errors=False):
        """Calls close() on every opened Function object; raises the first failure unless told not to."""
        first = None
        opened, self._opened = self._opened, []
        for op in opened:
            closer = getattr(op.fn, 'close', None)
            if not callable(closer):
                continue
            try:
                closer()
            except Exception as e:
                if first is None:
                    first = UserFunctionError(op.name, e)
        if first is not None and not ignore_errors:
            raise first
