"""Keyed state a worker holds for one stream, and the state objects user functions use.

The worker caches the state of the keys it has seen, by encoded key (bytes)
and state name: one table per state name mapping encoded keys to whole
values (a value state's value, a list state's list, a map state's dict, a
reducing or aggregating state's accumulator, the reduce operator's
accumulator). The engine installs values the worker does not hold
(``Batch.State``), gets every changed (key, name) back after each batch in
STREAMING mode, and names keys to write back and drop (``Batch.Evict``).

State objects (``ValueState`` and friends, PyFlink's API) are bound to the
"current key" of the backend: the key of the record or timer being
processed, set by the operator before it calls the user function.

Keys are the engine's encoded keys, not decoded objects: values that are
equal in Python but encode differently (1 and 1.0, say) are different keys,
as they are for the engine's partitioning.
"""

__all__ = ['KeyedState', 'ScopedState', 'KeyedStateStore', 'BroadcastState',
           'ReadOnlyBroadcastState', 'REDUCE_STATE', 'NOT_KEYED', 'descriptor_kind', 'window_key',
           'wire_window']

# The state name of the reduce accumulator in Batch.State / Result.State.
REDUCE_STATE = 'reduce'

NOT_KEYED = 'This state is only accessible by functions executed on a KeyedStream.'

_KIND_NAMES = {
    'value': 'value state',
    'list': 'list state',
    'map': 'map state',
    'reducing': 'reducing state',
    'aggregating': 'aggregating state',
}


class _Table(object):
    """The values of one state name by encoded key, and the keys changed since the last write-back."""

    __slots__ = ('name', 'kind', 'data', 'changed', 'state', 'decl')

    def __init__(self, name, kind=None):
        self.name = name
        self.kind = kind  # None until declared (state installed before its declaration)
        self.data = {}
        self.changed = set()
        self.state = None  # the state object handed to user code
        self.decl = None


class KeyedState(object):
    """The state backend of one stream: tables by state name, the current key, new declarations.

    ``key`` is the current key (encoded bytes, or None outside keyed processing).
    ``streaming`` decides whether changed keys are written back after every
    batch (STREAMING) or only when evicted (BATCH).
    """

    def __init__(self, streaming=True):
        self.key = None
        self.streaming = streaming
        self.tables = {}
        self.declared = []  # declarations not yet reported to the engine
        # State scoped to a key and window, by scope ('window': window_state(), 'trigger': a
        # custom trigger's partitioned state); it travels with the keyed state.
        self.scoped = {}

    def _table(self, name):
        table = self.tables.get(name)
        if table is None:
            table = self.tables[name] = _Table(name)
        return table

    # -- the engine's side --------------------------------------------------

    def install(self, entries):
        """Installs ``[key, name, value]`` entries from the engine; a None value clears the key.

        ``[key, name, value, scope, window]`` entries go to the state of that scope, keyed by
        (key, window).
        """
        tables = self.tables
        for entry in entries:
            if len(entry) == 5:
                key, name, value, scope, window = entry
                target = self.scoped.get(scope)
                if target is None:
                    raise ValueError('state %r of scope %r: this chain has no such scope'
                                     % (name, scope))
                target.install([((key, window_key(window)), name, value)])
                continue
            key, name, value = entry
            if type(name) is not str:
                raise ValueError('state name %r is not a string' % (name,))
            table = tables.get(name)
            if table is None:
                table = self._table(name)
            if value is None:
                table.data.pop(key, None)
            else:
                table.data[key] = value

    def dirty(self):
        """Whether any state changed since the last write-back."""
        for table in self.tables.values():
            if table.changed:
                return True
        for scoped in self.scoped.values():
            if scoped.dirty():
                return True
        return False

    def drop_all(self):
        """Forgets every value (a chain whose state the engine installs with every batch)."""
        for table in self.tables.values():
            table.data.clear()  # in place: state objects hold these dicts
        for scoped in self.scoped.values():
            scoped.drop_all()

    def write_back(self, evict):
        """Returns ``[key, name, value]`` entries to send back, and drops the evicted keys.

        STREAMING: every changed (key, name); both modes: every state of every
        evicted key (None for those the worker does not hold).
        """
        streaming = self.streaming
        entries = []
        for name, table in self.tables.items():
            data = table.data
            changed = table.changed
            if evict:
                keys = changed.union(evict) if streaming else set(evict)
            elif streaming:
                keys = changed
            else:
                keys = ()
            get = data.get
            entries.extend([key, name, get(key)] for key in keys)
            changed.clear()  # in place: stages hold these sets
            if evict:
                pop = data.pop
                for key in evict:
                    pop(key, None)
        for scope, scoped in self.scoped.items():
            for name, table in scoped.tables.items():
                get = table.data.get
                entries.extend([key[0], name, get(key), scope, wire_window(key[1])]
                               for key in table.changed)
                table.changed.clear()
        entries.sort(key=_entry_order)
        return entries

    def reduce_table(self):
        """The reduce operator's accumulators (state ``reduce``, declared as kind "reducing")."""
        table = self._table(REDUCE_STATE)
        if table.state is not None:
            raise Exception("The state name '%s' is reserved for the reduce operator's "
                            "accumulator." % REDUCE_STATE)
        if table.decl is None:
            table.kind = 'reducing'
            self._declare(table, {'name': REDUCE_STATE, 'kind': 'reducing'})
        return table

    def final_keys(self):
        """The keys the reduce operator holds, ordered by their encodings (BATCH mode's final order)."""
        return sorted(self.reduce_table().data)

    def take_declarations(self):
        """Returns the declarations made since the last call (for Result.States)."""
        declared, self.declared = self.declared, []
        return declared

    def _declare(self, table, decl):
        table.decl = decl
        self.declared.append(decl)

    # -- the user's side ----------------------------------------------------

    def get_state(self, descriptor, kind):
        """Returns the state object for a descriptor, declaring the state the first time."""
        name = _descriptor_name(descriptor)
        table = self._table(name)
        if table.decl is not None and table.state is None:
            raise Exception("The state name '%s' is reserved for the reduce operator's "
                            "accumulator." % name)
        if table.state is not None:
            if table.kind != kind:
                raise Exception("The state name '%s' is already in use and not a %s."
                                % (name, _KIND_NAMES.get(kind, kind)))
            return table.state
        if table.kind is not None and table.kind != kind:
            raise Exception("The state name '%s' is already in use and not a %s."
                            % (name, _KIND_NAMES.get(kind, kind)))
        table.kind = kind
        decl = {'name': name, 'kind': kind}
        decl.update(_ttl_settings(descriptor))
        touch_on_read = decl.get('update') == 'OnReadAndWrite'
        if kind == 'value':
            state = ValueState(self, table, touch_on_read)
        elif kind == 'list':
            state = ListState(self, table, touch_on_read)
        elif kind == 'map':
            state = MapState(self, table, touch_on_read)
        elif kind == 'reducing':
            state = ReducingState(self, table, touch_on_read, _reduce_function(descriptor))
        elif kind == 'aggregating':
            state = AggregatingState(self, table, touch_on_read, _agg_function(descriptor))
        else:
            raise ValueError('unknown state kind %r' % (kind,))
        table.state = state
        self._declare(table, decl)
        return state


class ScopedState(KeyedState):
    """Keyed state with one scope per key and window: the state of window_state() and of a
    custom Trigger's get_partitioned_state().

    Its keys are ``(encoded key, window)`` pairs, the window in a hashable form of the
    wire's (``(start, end)``, ``'global'`` or a count window's id). The engine keeps it in
    its keyed backend, per key and window: it installs the state of the panes a batch
    touches, as ``[key, name, value, scope, window]`` entries, and gets every change back
    (the owning KeyedState's write_back), so it is checkpointed with the rest.
    """

    def __init__(self):
        super(ScopedState, self).__init__(streaming=False)

    def settle(self):
        """Forgets declarations (the engine stores scoped state by name without them)."""
        self.declared = []

    def merge(self, descriptor, target, sources):
        """Folds the values of ``sources`` (keys) into ``target`` and drops them: list states
        concatenate, reducing states reduce, aggregating states merge accumulators
        (Trigger.OnMergeContext.merge_partitioned_state)."""
        kind = descriptor_kind(descriptor)
        if kind not in ('list', 'reducing', 'aggregating'):
            raise Exception('The given state descriptor does not refer to a mergeable state '
                            '(MergingState)')
        state = self.get_state(descriptor, kind)
        data = state._data
        changed = state._changed
        acc = data.get(target)
        for source in sources:
            if source == target:
                continue
            value = data.pop(source, None)
            if value is None:
                continue
            changed.add(source)
            if acc is None:
                acc = value
            elif kind == 'list':
                acc = acc + value
            elif kind == 'reducing':
                acc = state._reduce(acc, value)
            else:
                merge = getattr(state._agg, 'merge', None)
                if not callable(merge):
                    raise Exception('the AggregateFunction of %r cannot merge accumulators'
                                    % _descriptor_name(descriptor))
                acc = merge(acc, value)
        if acc is not None:
            data[target] = acc
            changed.add(target)


def window_key(w):
    """A hashable form of a wire window: (start, end), 'global' or a count window's id."""
    return tuple(w) if type(w) is list else w


def wire_window(w):
    """The wire form of a window_key: [start, end], 'global' or a count window's id."""
    return list(w) if type(w) is tuple else w


_DESCRIPTOR_KINDS = {
    'ValueStateDescriptor': 'value',
    'ListStateDescriptor': 'list',
    'MapStateDescriptor': 'map',
    'ReducingStateDescriptor': 'reducing',
    'AggregatingStateDescriptor': 'aggregating',
}


def descriptor_kind(descriptor):
    """The state kind of a state descriptor, by its class (or a base class) name."""
    for cls in type(descriptor).__mro__:
        kind = _DESCRIPTOR_KINDS.get(cls.__name__)
        if kind is not None:
            return kind
    raise Exception('Unsupported state descriptor: %s' % type(descriptor))


def _entry_order(entry):
    # Scoped entries ([key, name, value, scope, window]) after the key's own, by window.
    if len(entry) == 5:
        return entry[0], entry[1], entry[3], repr(entry[4])
    return entry[0], entry[1], '', 


def _descriptor_name(descriptor):
    name = getattr(descriptor, 'name', None)
    if name is None:
        getter = getattr(descriptor, 'get_name', None)
        name = getter() if callable(getter) else None
    if not isinstance(name, str) or not name:
        raise ValueError('a state descriptor needs a name, got %r' % (descriptor,))
    return name


def _reduce_function(descriptor):
    getter = getattr(descriptor, 'get_reduce_function', None)
    fn = getter() if callable(getter) else getattr(descriptor, '_reduce_function', None)
    reduce = getattr(fn, 'reduce', None)
    if callable(reduce):
        return reduce
    if callable(fn):
        return fn
    raise TypeError('the reducing state %r needs a ReduceFunction or a callable'
                    % (_descriptor_name(descriptor),))


def _agg_function(descriptor):
    getter = getattr(descriptor, 'get_agg_function', None)
    fn = getter() if callable(getter) else getattr(descriptor, '_agg_function', None)
    for method in ('create_accumulator', 'add', 'get_result'):
        if not callable(getattr(fn, method, None)):
            raise TypeError('the aggregating state %r needs an AggregateFunction, got %r'
                            % (_descriptor_name(descriptor), fn))
    return fn


def _enum_name(value):
    if value is None:
        return None
    name = getattr(value, 'name', None)
    return name if isinstance(name, str) else str(value)


def _field(obj, *names):
    """The first of obj's getters or attributes that exists (getters are called)."""
    for name in names:
        attr = getattr(obj, name, None)
        if attr is None:
            continue
        if callable(attr) and name.startswith('get_'):
            return attr()
        if not callable(attr):
            return attr
    return None


def _ttl_settings(descriptor):
    """The TTL fields of a declaration, read from the descriptor's StateTtlConfig (duck-typed)."""
    config = getattr(descriptor, '_ttl_config', None)
    if config is None:
        config = getattr(descriptor, 'ttl_config', None)
    if config is None:
        return {}
    ttl = _field(config, 'get_ttl', 'ttl', '_ttl')
    if ttl is not None and not isinstance(ttl, int):
        to_ms = getattr(ttl, 'to_milliseconds', None)
        ttl = to_ms() if callable(to_ms) else _field(ttl, 'milliseconds', '_milliseconds')
    ttl = int(ttl or 0)
    update = _enum_name(_field(config, 'get_update_type', 'update_type', '_update_type'))
    visibility = _enum_name(_field(config, 'get_state_visibility', 'state_visibility',
                                   '_state_visibility'))
    if ttl <= 0 or update == 'Disabled':
        return {}
    return {'ttl': ttl, 'update': update or 'OnCreateAndWrite',
            'visibility': visibility or 'NeverReturnExpired'}


class KeyedStateStore(object):
    """Creates keyed state for user functions (PyFlink's KeyedStateStore).

    The RuntimeContext's state methods; ``global_state()`` of window contexts.
    """

    def __init__(self, backend):
        self._backend = backend

    def get_state(self, state_descriptor):
        """Returns the ValueState of a ValueStateDescriptor."""
        return self._get(state_descriptor, 'value')

    def get_list_state(self, state_descriptor):
        """Returns the ListState of a ListStateDescriptor."""
        return self._get(state_descriptor, 'list')

    def get_map_state(self, state_descriptor):
        """Returns the MapState of a MapStateDescriptor."""
        return self._get(state_descriptor, 'map')

    def get_reducing_state(self, state_descriptor):
        """Returns the ReducingState of a ReducingStateDescriptor."""
        return self._get(state_descriptor, 'reducing')

    def get_aggregating_state(self, state_descriptor):
        """Returns the AggregatingState of an AggregatingStateDescriptor."""
        return self._get(state_descriptor, 'aggregating')

    def _get(self, descriptor, kind):
        if self._backend is None:
            raise Exception(NOT_KEYED)
        return self._backend.get_state(descriptor, kind)


class _State(object):
    """A state bound to the backend's current key."""

    __slots__ = ('_backend', '_data', '_changed', '_touch')

    def __init__(self, backend, table, touch_on_read):
        self._backend = backend
        self._data = table.data
        self._changed = table.changed
        self._touch = touch_on_read  # TTL OnReadAndWrite: a read refreshes, so it is written back

    def _key(self):
        key = self._backend.key
        if key is None:
            raise Exception(NOT_KEYED)
        return key

    def _read(self):
        key = self._key()
        value = self._data.get(key)
        if self._touch and value is not None:
            self._changed.add(key)
        return value

    def _write(self, value):
        key = self._key()
        if value is None:
            self._data.pop(key, None)
        else:
            self._data[key] = value
        self._changed.add(key)

    def clear(self):
        """Removes the value of the current key."""
        self._write(None)


class ValueState(_State):
    """A single value per key (PyFlink's ValueState)."""

    __slots__ = ()

    def value(self):
        """Returns the current key's value, or None."""
        return self._read()

    def update(self, value):
        """Sets the current key's value; None clears it."""
        self._write(value)


class ListState(_State):
    """A list of values per key (PyFlink's ListState)."""

    __slots__ = ()

    def get(self):
        """Returns the current key's elements (an empty list when there are none)."""
        values = self._read()
        return [] if values is None else list(values)

    def add(self, value):
        """Appends a value."""
        key = self._key()
        values = self._data.get(key)
        if values is None:
            self._data[key] = [value]
        else:
            values.append(value)
        self._changed.add(key)

    def add_all(self, values):
        """Appends all the values."""
        key = self._key()
        current = self._data.get(key)
        if current is None:
            current = list(values)
            if current:
                self._data[key] = current
        else:
            current.extend(values)
        self._changed.add(key)

    def update(self, values):
        """Replaces the elements with the given values (an empty list clears the state)."""
        values = list(values) if values is not None else []
        self._write(values or None)

    def __iter__(self):
        return iter(self.get())


class MapState(_State):
    """A map per key (PyFlink's MapState); supports ``in``, ``[]``, ``del`` and iteration over keys."""

    __slots__ = ()

    def get(self, key):
        """Returns the value under key, or None."""
        m = self._read()
        return None if m is None else m.get(key)

    def put(self, key, value):
        """Sets the value under key."""
        k = self._key()
        m = self._data.get(k)
        if m is None:
            self._data[k] = {key: value}
        else:
            m[key] = value
        self._changed.add(k)

    def put_all(self, dict_value):
        """Copies all the mappings of dict_value (a dict or an iterable of pairs)."""
        items = dict_value.items() if hasattr(dict_value, 'items') else dict_value
        k = self._key()
        m = self._data.get(k)
        if m is None:
            m = dict(items)
            if m:
                self._data[k] = m
        else:
            m.update(items)
        self._changed.add(k)

    def remove(self, key):
        """Removes the mapping of key, if any."""
        k = self._key()
        m = self._data.get(k)
        if m is None or key not in m:
            return
        del m[key]
        if not m:
            del self._data[k]
        self._changed.add(k)

    def contains(self, key):
        """Whether key maps to a value (a key mapped to None counts as absent, as in PyFlink)."""
        return self.get(key) is not None

    def items(self):
        """Returns the (key, value) pairs."""
        m = self._read()
        return [] if m is None else list(m.items())

    def keys(self):
        """Returns the keys."""
        m = self._read()
        return [] if m is None else list(m)

    def values(self):
        """Returns the values."""
        m = self._read()
        return [] if m is None else list(m.values())

    def is_empty(self):
        """Whether the map has no mappings."""
        return not self._read()

    def __getitem__(self, key):
        return self.get(key)

    def __setitem__(self, key, value):
        self.put(key, value)

    def __delitem__(self, key):
        self.remove(key)

    def __contains__(self, key):
        return self.contains(key)

    def __iter__(self):
        return iter(self.keys())


class ReducingState(_State):
    """A value per key that added values are reduced into (PyFlink's ReducingState)."""

    __slots__ = ('_reduce',)

    def __init__(self, backend, table, touch_on_read, reduce):
        super(ReducingState, self).__init__(backend, table, touch_on_read)
        self._reduce = reduce

    def get(self):
        """Returns the reduced value, or None."""
        return self._read()

    def add(self, value):
        """Reduces value into the state."""
        key = self._key()
        current = self._data.get(key)
        self._write(value if current is None else self._reduce(current, value))


class AggregatingState(_State):
    """An accumulator per key that added values are aggregated into (PyFlink's AggregatingState)."""

    __slots__ = ('_agg',)

    def __init__(self, backend, table, touch_on_read, agg):
        super(AggregatingState, self).__init__(backend, table, touch_on_read)
        self._agg = agg

    def get(self):
        """Returns the aggregate's result, or None when nothing was added."""
        acc = self._read()
        return None if acc is None else self._agg.get_result(acc)

    def add(self, value):
        """Adds value to the accumulator (None clears the state, as in PyFlink)."""
        if value is None:
            self._write(None)
            return
        key = self._key()
        acc = self._data.get(key)
        if acc is None:
            acc = self._agg.create_accumulator()
        self._write(self._agg.add(value, acc))


class ReadOnlyBroadcastState(object):
    """A broadcast state as process_element sees it (PyFlink's ReadOnlyBroadcastState).

    Broadcast state belongs to the operator, not to a key: a map held by the
    worker for the stream (every parallel instance gets every broadcast element).
    """

    __slots__ = ('_data',)

    def __init__(self, data):
        self._data = data

    def get(self, key):
        """Returns the value under key, or None."""
        return self._data.get(key)

    def contains(self, key):
        """Whether key maps to a value (a key mapped to None counts as absent, as in PyFlink)."""
        return self._data.get(key) is not None

    def items(self):
        """Returns the (key, value) pairs."""
        return list(self._data.items())

    def keys(self):
        """Returns the keys."""
        return list(self._data)

    def values(self):
        """Returns the values."""
        return list(self._data.values())

    def is_empty(self):
        """Whether the state has no mappings."""
        return not self._data

    def __getitem__(self, key):
        return self.get(key)

    def __contains__(self, key):
        return self.contains(key)

    def __iter__(self):
        return iter(self.keys())


class BroadcastState(ReadOnlyBroadcastState):
    """A broadcast state as process_broadcast_element sees it (PyFlink's BroadcastState)."""

    __slots__ = ()

    def put(self, key, value):
        """Sets the value under key."""
        self._data[key] = value

    def put_all(self, dict_value):
        """Copies all the mappings of dict_value (a dict or an iterable of pairs)."""
        self._data.update(dict_value.items() if hasattr(dict_value, 'items') else dict_value)

    def remove(self, key):
        """Removes the mapping of key, if any."""
        self._data.pop(key, None)

    def clear(self):
        """Removes every mapping."""
        self._data.clear()

    def __setitem__(self, key, value):
        self.put(key, value)

    def __delitem__(self, key):
        self.remove(key)
