"""Writes vectors.json: the wire-encoding examples both the Go and the Python tests pin.

Each vector is a name, a Python expression (evaluated with the names in
``NAMESPACE``) and the hex of ``pyflink_go._codec.packb(eval(expr))``.
Both test suites decode every vector and re-encode it to the identical bytes;
Python also checks that the expression still encodes to them.

Run from the repository root after a deliberate change to the encoding:

    PYTHONPATH=python python3 udf/testdata/make_vectors.py
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

VECTORS = [
    # nil, bool
    ('nil', 'None'),
    ('true', 'True'),
    ('false', 'False'),
    # ints: every msgpack width, as Python chooses it
    ('int_zero', '0'),
    ('int_fixpos_max', '127'),
    ('int_uint8_min', '128'),
    ('int_uint8_max', '255'),
    ('int_uint16_min', '256'),
    ('int_uint16_max', '65535'),
    ('int_uint32_min', '65536'),
    ('int_uint32_max', '2**32 - 1'),
    ('int_uint64_min', '2**32'),
    ('int_int64_max', '2**63 - 1'),
    ('int_uint64_above_int64', '2**63'),
    ('int_uint64_max', '2**64 - 1'),
    ('int_neg_one', '-1'),
    ('int_fixneg_min', '-32'),
    ('int_int8_min_width', '-33'),
    ('int_int8_min', '-128'),
    ('int_int16_min_width', '-129'),
    ('int_int16_min', '-32768'),
    ('int_int32_min_width', '-32769'),
    ('int_int32_min', '-2**31'),
    ('int_int64_min_width', '-2**31 - 1'),
    ('int_int64_min', '-2**63'),
    # big ints (ext 8)
    ('bigint_2_64', '2**64'),
    ('bigint_below_int64', '-2**63 - 1'),
    ('bigint_huge', '10**40 + 7'),
    ('bigint_huge_negative', '-(10**40)'),
    # floats
    ('float_zero', '0.0'),
    ('float_negative_zero', '-0.0'),
    ('float_one_half', '1.5'),
    ('float_large', '1e300'),
    ('float_tiny', '5e-324'),
    ('float_inf', "float('inf')"),
    ('float_negative_inf', "float('-inf')"),
    ('float_nan', "float('nan')"),
    # strings
    ('str_empty', "''"),
    ('str_ascii', "'hello'"),
    ('str_fixstr_max', "'x' * 31"),
    ('str_str8_min', "'x' * 32"),
    ('str_str8_max', "'y' * 255"),
    ('str_str16_min', "'z' * 256"),
    ('str_unicode', "'한국어 ✓ naïve 𝄞'"),
    ('str_nul', "'a\\x00b'"),
    # bytes
    ('bin_empty', "b''"),
    ('bin_small', "b'\\x00\\x01\\xff'"),
    ('bin_bytearray', "bytearray(b'ab')"),
    ('bin_bin16', "bytes(range(256)) + b'!'"),
    # lists
    ('list_empty', '[]'),
    ('list_mixed', "[1, 'a', None, True, 2.5, b'z']"),
    ('list_nested', '[[1], [2, [3, []]]]'),
    ('list_array16', 'list(range(16))'),
    # dicts
    ('map_empty', '{}'),
    ('map_str_keys', "{'a': 1, 'b': [2]}"),
    ('map_any_keys', "{1: 'one', (1, 2): 'pair', None: 'none', 2.5: 'float', b'k': 'bytes'}"),
    ('map_map16', "{'k%02d' % i: i for i in range(16)}"),
    ('map_insertion_order', "{'z': 1, 'a': 2, 'm': 3}"),
    # tuples (ext 1): payload sizes hit every ext width
    ('tuple_empty', '()'),
    ('tuple_one', '(1,)'),
    ('tuple_pair', "(1, 'a')"),
    ('tuple_fixext8', "('abcdef',)"),
    ('tuple_fixext16', "('abcdefghijklmn',)"),
    ('tuple_ext8', "('apple', 3, 'banana', 5)"),
    ('tuple_ext16', "('w' * 300,)"),
    ('tuple_nested', '((1, 2), [3, (4,)], ())'),
    ('tuple_record', "('user-000042', 42, 1700000000042)"),
    # rows (ext 2)
    ('row_positional', "Row(1, 'a')"),
    ('row_named', "Row(name='Alice', age=11)"),
    ('row_empty', 'Row()'),
    ('row_delete', "Row.of_kind(RowKind.DELETE, 1, None)"),
    ('row_update_before_named', "Row.of_kind(RowKind.UPDATE_BEFORE, a=1)"),
    ('row_update_after', "Row.of_kind(RowKind.UPDATE_AFTER, 'x')"),
    ('row_nested', "Row(Row(f0=1), (2, 3), [Row()])"),
    ('row_class', "Row('name', 'age')"),
    # decimals (ext 3)
    ('decimal_simple', "Decimal('1.10')"),
    ('decimal_negative_zero', "Decimal('-0')"),
    ('decimal_exponent', "Decimal('1E+3')"),
    ('decimal_nan', "Decimal('NaN')"),
    ('decimal_long', "Decimal('123456789012345678901234567890.123456789')"),
    # dates and times (ext 4, 5, 6)
    ('date_leap', 'datetime.date(2024, 2, 29)'),
    ('date_min', 'datetime.date(1, 1, 1)'),
    ('date_max', 'datetime.date(9999, 12, 31)'),
    ('time_micro', 'datetime.time(12, 30, 15, 123456)'),
    ('time_midnight', 'datetime.time(0, 0)'),
    ('timestamp', 'datetime.datetime(2024, 2, 29, 23, 59, 59, 999999)'),
    ('timestamp_epoch', 'datetime.datetime(1970, 1, 1)'),
    # instants (ext 7)
    ('instant', 'Instant(1700000000, 123456789)'),
    ('instant_negative', 'Instant(-1, 999999999)'),
    # pickled (ext 9)
    ('pickled_set', '{1, 2, 3}'),
    ('pickled_frozenset_empty', 'frozenset()'),
    ('pickled_tz_datetime', 'datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)'),
    ('pickled_int_enum', 'HTTPStatus.OK'),
    ('pickled_ordered_dict', "OrderedDict([('a', 1)])"),
    ('pickled_complex', '1 + 2j'),
    # nesting
    ('nested_everything',
     "{'k': [(1, Row(a=Decimal('1.5'))), {'d': datetime.date(2020, 1, 1)}], "
     "'t': (datetime.time(1, 2, 3), 2**70, {4}), 'u': '✓'}"),
    ('deep_nesting', '[[[[[[[[[[(((((1,),),),),)]]]]]]]]]]'),
    # protocol messages (SPEC.md section 3), key order as the encoders write them:
    # the Go tests build the batch from a udf.Batch and parse the results, the
    # Python tests answer the batch and encode the results.
    ('msg_batch_plain',
     "{'t': 'batch', 'seq': 1, 'rows': [('a', 1), 'b'], 'watermark': -2**63, "
     "'now': 1700000000000}"),
    ('msg_batch_event_time',
     "{'t': 'batch', 'seq': 3, 'rows': [1, 'a', (2,)], 'keys': [b'\\xa1k', b'\\xa1k', None], "
     "'ts': [5, None, -1], 'inputs': [1, 0, 0], 'windows': [[0, 5], 'global', None], "
     "'state': [[b'\\xa1k', 'count', 2], [b'\\xa1k', 'seen', None]], 'evict': [b'\\xa1j'], "
     "'watermark': 4, 'now': 1700000000000, "
     "'timers': [[b'\\xa1k', 10, 0], [b'\\xa1j', 1700000001000, 1]]}"),
    # window rows: a count window firing [1, 2] and a time window being cleaned up (value
    # nil); a custom trigger's on_element call on the global window (a batch of its own)
    ('msg_batch_windows',
     "{'t': 'batch', 'seq': 2, 'rows': [[1, 2], None], 'keys': [b'\\xa1k', b'\\xa1k'], "
     "'windows': [3, [0, 5]], 'watermark': 4, 'now': 1700000000000}"),
    ('msg_batch_trigger',
     "{'t': 'batch', 'seq': 3, 'rows': [{'on': 'element', 'value': 'x'}], "
     "'keys': [b'\\xa1j'], 'ts': [7], 'windows': ['global'], 'watermark': 4, "
     "'now': 1700000000000}"),
    # a custom trigger call's answer row: FIRE, an event-time timer set, a processing-time one deleted
    ('msg_trigger_answer', '[1, [[4, 0, False], [1010, 1, True]]]'),
    ('msg_opened_trigger',
     "{'t': 'opened', 'states': [{'name': 'MyTrigger', 'kind': 'trigger'}]}"),
    ('msg_opened_states',
     "{'t': 'opened', 'states': [{'name': 'count', 'kind': 'value'}, "
     "{'name': 'seen', 'kind': 'list', 'ttl': 60000, 'update': 'OnReadAndWrite', "
     "'visibility': 'NeverReturnExpired'}]}"),
    # a checkpoint of a broadcast process function: the first batch after a restore installs
    # the broadcast states; an empty batch asks for them, and the result carries them
    ('msg_batch_broadcast',
     "{'t': 'batch', 'seq': 1, 'rows': [], 'watermark': -2**63, 'now': 1700000000000, "
     "'broadcast': {'rules': {'a': 1, (2, 'b'): [3]}, 'empty': {}}, 'snapshot': True}"),
    ('msg_result_broadcast',
     "{'t': 'result', 'seq': 1, 'rows': [], "
     "'broadcast': {'rules': {'a': 1, (2, 'b'): [3]}, 'empty': {}}}"),
    # a window chain's state: window_state() of key k in a time window, a trigger's
    # partitioned state in a count window, global_state() (nil: cleared)
    ('msg_batch_window_state',
     "{'t': 'batch', 'seq': 2, 'rows': [[1]], 'keys': [b'\\xa1k'], 'windows': [[0, 5]], "
     "'state': [[b'\\xa1k', 'fired', 1, 'window', [0, 5]], [b'\\xa1k', 'count', 2, 'trigger', 3], "
     "[b'\\xa1k', 'total', 4]], 'watermark': 4, 'now': 1700000000000}"),
    ('msg_result_window_state',
     "{'t': 'result', 'seq': 2, 'rows': [], "
     "'state': [[b'\\xa1k', 'fired', 2, 'window', [0, 5]], [b'\\xa1k', 'seen', None, 'trigger', 'global'], "
     "[b'\\xa1k', 'total', None]]}"),
    ('msg_result_event_time',
     "{'t': 'result', 'seq': 3, 'rows': [('a', 1), 2, 'late'], 'keys': [b'\\xa1a', 2, None], "
     "'ts': [5, None, 9223372036854775807], 'tags': [None, None, 'late'], "
     "'state': [[b'\\xa1k', 'count', 2], [b'\\xa1k', 'seen', None]], "
     "'timers': [[b'\\xa1k', 15, 0, False], [b'\\xa1k', 14, 1, True]], "
     "'states': [{'name': 'lazy', 'kind': 'map'}]}"),
]


def namespace():
    """The names the expressions may use."""
    import datetime
    from collections import OrderedDict
    from decimal import Decimal
    from http import HTTPStatus

    from pyflink_go.common.types import Row, RowKind
    return {
        'datetime': datetime, 'Decimal': Decimal, 'OrderedDict': OrderedDict,
        'HTTPStatus': HTTPStatus, 'Row': Row, 'RowKind': RowKind, 'Instant': instant_class(),
    }


def instant_class():
    """pyflink_go.common.time.Instant, or a stand-in with the same name and module."""
    try:
        from pyflink_go.common.time import Instant
        return Instant
    except ImportError:
        class Instant(object):
            def __init__(self, seconds, nanos):
                self.seconds = seconds
                self.nanos = nanos
        Instant.__module__ = 'pyflink_go.common.time'
        return Instant


def main():
    from pyflink_go._codec import packb
    names = namespace()
    out = []
    seen = set()
    for name, expr in VECTORS:
        if name in seen:
            sys.exit('duplicate vector name %s' % name)
        seen.add(name)
        out.append({'name': name, 'expr': expr, 'hex': packb(eval(expr, names)).hex()})
    with open(os.path.join(HERE, 'vectors.json'), 'w', encoding='utf-8') as f:
        json.dump(out, f, indent=1, ensure_ascii=False)
        f.write('\n')
    print('wrote %d vectors' % len(out))


if __name__ == '__main__':
    main()
