"""Row and RowKind, with the behaviour of ``pyflink.common.types`` (PyFlink 1.20).

A :class:`Row` is an ordered list of field values with optional field names and
a change flag (:class:`RowKind`). It is what ``Types.ROW`` / ``Types.ROW_NAMED``
streams carry, and it crosses to the engine as its own wire type (ext 2 of
``udf/SPEC.md``), so names and kind survive the trip.

Example::

    >>> row = Row(name="Alice", age=11)
    >>> row
    Row(name='Alice', age=11)
    >>> row.name, row['age'], row[0]
    ('Alice', 11, 'Alice')
    >>> Person = Row("name", "age")
    >>> Person("Bob", 3)
    Row(name='Bob', age=3)
    >>> '{}[{}]'.format(Row.of_kind(RowKind.DELETE, 1, 'x').get_row_kind(), 1)
    '-D[1]'
"""
from enum import Enum
from typing import List

__all__ = ['Row', 'RowKind']


class RowKind(Enum):
    """The change flag of a Row; ``str()`` gives Flink's short form (``+I``, ``-U``, ``+U``, ``-D``)."""

    INSERT = 0
    UPDATE_BEFORE = 1
    UPDATE_AFTER = 2
    DELETE = 3

    def __str__(self):
        return _SHORT_KIND[self.value]


_SHORT_KIND = ('+I', '-U', '+U', '-D')

# Kinds by their numeric value: faster than RowKind(n) on decode paths.
_KIND_BY_VALUE = (RowKind.INSERT, RowKind.UPDATE_BEFORE, RowKind.UPDATE_AFTER, RowKind.DELETE)

# Attributes a Row may hold; every other attribute name is read-only field access.
_ROW_SLOTS = frozenset(('_fields', '_from_dict', '_row_kind', '_values'))


def _create_row(fields, values, row_kind: RowKind = None):
    """Builds a Row from field names (or None), values and a kind; the pickle constructor."""
    row = Row(*values)
    if fields is not None:
        row._fields = fields
    if row_kind is not None:
        row.set_row_kind(row_kind)
    return row


def _make_row(names, values, kind=RowKind.INSERT):
    """Builds a Row without running ``__init__``; ``values`` must be a list, taken as is.

    Used by the wire codec, where rows are decoded by the thousand.
    """
    row = object.__new__(Row)
    attrs = row.__dict__
    attrs['_values'] = values
    attrs['_row_kind'] = kind
    if names is not None:
        attrs['_fields'] = names
    return row


class Row(object):
    """A row of field values, optionally named, with a :class:`RowKind`.

    Fields are reachable by position (``row[0]``), by name (``row['name']``) and as
    attributes (``row.name``). ``Row(**kwargs)`` keeps the keyword order. A Row built
    from names only (``Row("name", "age")``) acts as a row class: calling it with
    values builds a named Row.
    """

    def __init__(self, *args, **kwargs):
        if args and kwargs:
            raise ValueError("Can not use both args and kwargs to create Row")
        if kwargs:
            self._fields = list(kwargs)
            self._values = list(kwargs.values())
            self._from_dict = True
        else:
            self._values = list(args)
        self._row_kind = RowKind.INSERT

    def as_dict(self, recursive=False):
        """Returns ``{name: value}``.

        With ``recursive``, nested Rows (also inside lists and dicts) become dicts too.
        """
        if not hasattr(self, "_fields"):
            raise TypeError("Cannot convert a Row class into dict")
        if not recursive:
            return dict(zip(self._fields, self))

        def to_plain(obj):
            if isinstance(obj, Row):
                return obj.as_dict(True)
            if isinstance(obj, list):
                return [to_plain(item) for item in obj]
            if isinstance(obj, dict):
                return dict((key, to_plain(item)) for key, item in obj.items())
            return obj

        return dict(zip(self._fields, (to_plain(item) for item in self)))

    def get_row_kind(self) -> RowKind:
        """Returns the row's change flag."""
        return self._row_kind

    def set_row_kind(self, row_kind: RowKind):
        """Sets the row's change flag."""
        self._row_kind = row_kind

    def set_field_names(self, field_names: List):
        """Names the fields (positionally)."""
        self._fields = field_names

    def get_fields_by_names(self, names: List[str]):
        """Returns the values of the named fields in the order given (all values if unnamed or same names)."""
        if not hasattr(self, '_fields') or names == self._fields:
            return self._values
        unknown = list(set(names).difference(set(self._fields)))
        if unknown:
            raise Exception("Field names {0} not exist in {1}.".format(unknown, self._fields))
        return [self._values[self._fields.index(name)] for name in names]

    def _is_retract_msg(self):
        return self._row_kind in (RowKind.UPDATE_BEFORE, RowKind.DELETE)

    def _is_accumulate_msg(self):
        return self._row_kind in (RowKind.UPDATE_AFTER, RowKind.INSERT)

    @staticmethod
    def of_kind(row_kind: RowKind, *args, **kwargs):
        """Builds a Row like the constructor does, with the given kind."""
        row = Row(*args, **kwargs)
        row.set_row_kind(row_kind)
        return row

    def __contains__(self, item):
        names = self.__dict__.get('_fields')
        if names is not None:
            return item in names
        return item in self._values

    def __call__(self, *args):
        """Builds a Row named by this row's values (this row used as a row class)."""
        if len(args) > len(self):
            raise ValueError("Can not create Row with fields %s, expected %d values "
                             "but got %s" % (self, len(self), args))
        return _create_row(self._values, args, self._row_kind)

    def __getitem__(self, item):
        if isinstance(item, (int, slice)):
            return self._values[item]
        try:
            position = self._fields.index(item)
            return self._values[position]
        except IndexError:
            raise KeyError(item)
        except ValueError:
            raise ValueError(item)

    def __setitem__(self, key, value):
        if isinstance(key, (int, slice)):
            self._values[key] = value
            return
        try:
            position = self._fields.index(key)
            self._values[position] = value
        except (IndexError, AttributeError):
            raise KeyError(key)
        except ValueError:
            raise ValueError(value)

    def __getattr__(self, item):
        if item.startswith("_"):
            raise AttributeError(item)
        try:
            position = self._fields.index(item)
            return self[position]
        except (IndexError, ValueError):
            raise AttributeError(item)

    def __setattr__(self, key, value):
        if key not in _ROW_SLOTS:
            raise AttributeError(key)
        self.__dict__[key] = value

    def __reduce__(self):
        """Pickles the names (if any), values and kind."""
        return _create_row, (self.__dict__.get('_fields'), tuple(self), self._row_kind)

    def __repr__(self):
        if hasattr(self, "_fields"):
            return "Row(%s)" % ", ".join("%s=%r" % (name, value)
                                         for name, value in zip(self._fields, tuple(self)))
        return "<Row(%s)>" % ", ".join(repr(value) for value in self)

    def __eq__(self, other):
        if not isinstance(other, Row):
            return False
        named = hasattr(self, "_fields")
        if named != hasattr(other, "_fields"):
            return False
        if self.__class__ != other.__class__ or self._row_kind != other._row_kind:
            return False
        if not named:
            return self._values == other._values
        ordered = sorted(self._fields)
        if ordered != sorted(other._fields):
            return False
        return ([self._values[self._fields.index(name)] for name in ordered] ==
                [other._values[other._fields.index(name)] for name in ordered])

    def __hash__(self):
        return hash(tuple(self))

    def __iter__(self):
        return iter(self._values)

    def __len__(self):
        return len(self._values)
