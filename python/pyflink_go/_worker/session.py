"""One ``Process`` call: the open / batch* / close conversation of a single fused chain."""
from pyflink_go import _codec
from pyflink_go._worker.chain import Chain
from pyflink_go._worker.errors import UserFunctionError, describe, format_user_traceback

__all__ = ['Session']

_packb = _codec.packb
_packb_array = _codec.packb_array

# Pre-encoded map keys and constant values of the responses.
_T = _packb('t')
_SEQ = _packb('seq')
_ROWS = _packb('rows')
_KEYS = _packb('keys')
_STATE = _packb('state')
_TS = _packb('ts')
_TAGS = _packb('tags')
_TIMERS = _packb('timers')
_STATES = _packb('states')
_BROADCAST = _packb('broadcast')
_RESULT = _packb('result')
_OPENED = _packb({'t': 'opened'})
_CLOSED = _packb({'t': 'closed'})


class Session(object):
    """Turns the requests of one stream into responses (bytes, already encoded).

    ``handle`` returns the encoded response to a request; ``done`` turns true
    after the last response of the call (``closed`` or an ``error``).
    """

    def __init__(self):
        self.chain = None
        self.done = False

    def handle(self, request):
        """Answers one decoded request message."""
        kind = request.get('t')
        try:
            if kind == 'batch':
                return self._batch(request)
            if kind == 'open':
                return self._open(request)
            if kind == 'close':
                return self._close()
            raise ValueError('unknown message type %r' % (kind,))
        except UserFunctionError as e:
            self._fail()
            return _error(request.get('seq'), e.operator, e.message, e.traceback)
        except Exception as e:
            self._fail()
            return _error(request.get('seq'), '', describe(e), format_user_traceback(e))

    def _fail(self):
        # The call ends with this error: the functions still get their close().
        self.done = True
        self.abort()

    def abort(self):
        """Ends the chain after the call broke off: close() runs, its errors are dropped."""
        if self.chain is not None:
            self.chain.close(ignore_errors=True)
            self.chain = None

    def _open(self, request):
        if self.chain is not None:
            raise ValueError('the stream is already open')
        self.chain = Chain(request.get('ops') or [], request.get('task') or {})
        declared = self.chain.state.take_declarations()
        if declared:
            return _packb({'t': 'opened', 'states': declared})
        return _OPENED

    def _batch(self, request):
        chain = self.chain
        if chain is None:
            raise ValueError('batch before open')
        state = chain.state
        get = request.get
        entries = get('state')
        if entries:
            state.install(entries)
        broadcast = get('broadcast')
        if broadcast:
            chain.env.install_broadcast(broadcast)
        out = chain.run(get('rows') or [], get('keys'), get('ts'), get('final', False),
                        get('windows'), get('timers'), get('watermark'), get('now'),
                        get('inputs'))
        evict = get('evict')
        written = (state.write_back(evict) or None) if (evict or state.dirty()) else None
        if chain.transient:
            state.drop_all()
        timer_ops = chain.timer_ops() if chain.env.timer_ops else None
        declared = state.take_declarations() if state.declared else None
        # A checkpoint's copy of the broadcast states, after the batch.
        snapshot = chain.env.broadcast if get('snapshot') else None
        return _result(get('seq'), out, written, timer_ops, declared, snapshot)

    def _close(self):
        chain, self.chain = self.chain, None
        self.done = True
        if chain is not None:
            chain.close()
        return _CLOSED


def _result(seq, out, state, timer_ops, declared, broadcast=None):
    values, keys, ts = out.values, out.keys, out.ts
    side = out.side_values
    if side:
        main = len(values)
        values = values + side
        if keys is not None:
            keys = keys + [None] * len(side)
        ts = ([None] * main if ts is None else ts) + out.side_ts
        tags = [None] * main + out.side_tags
    else:
        tags = None
    if ts is not None and ts.count(None) == len(ts):
        ts = None
    fields = (3 + (keys is not None) + (ts is not None) + (tags is not None) + (state is not None)
              + (timer_ops is not None) + (declared is not None) + (broadcast is not None))
    parts = [bytes((0x80 | fields,)), _T, _RESULT, _SEQ, _packb(seq), _ROWS, _packb_array(values)]
    if keys is not None:
        parts.append(_KEYS)
        parts.append(_packb_array(keys))
    if ts is not None:
        parts.append(_TS)
        parts.append(_packb(ts))
    if tags is not None:
        parts.append(_TAGS)
        parts.append(_packb(tags))
    if state is not None:
        parts.append(_STATE)
        parts.append(_packb(state))
    if timer_ops is not None:
        parts.append(_TIMERS)
        parts.append(_packb(timer_ops))
    if declared is not None:
        parts.append(_STATES)
        parts.append(_packb(declared))
    if broadcast is not None:
        parts.append(_BROADCAST)
        parts.append(_packb(broadcast))
    return b''.join(parts)


def _error(seq, operator, message, traceback):
    return _packb({'t': 'error', 'seq': seq, 'operator': operator, 'message': message,
                   'traceback': traceback})
