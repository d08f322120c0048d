"""How a cached value is written and read back: typed JSON, checked field by field.

The build folder is not trusted: nothing read from it can run code or build an object other than
the dataclasses the caller names (a `Codec`), and every field is checked against its declared
type (and a table row against its schema) on the way in and on the way out.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import types
import typing
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import fields, is_dataclass
from typing import Any


class CacheEntryError(ValueError):
    """A value that does not have the shape its :class:`Codec` declares, or an entry that fails verification."""


Row = dict[str, Any]


RowCheck = Callable[[Mapping[str, Any]], None]


Encoder = Callable[[Any], Any]


# In a row (dict[str, Any]) nothing declares which values are dates, so they are tagged.
_DATE_TAG = "$date"


_DATETIME_TAG = "$datetime"


_JSON_SCALARS = (str, int, float, bool, type(None))


class _Conv(typing.NamedTuple):
    """How one declared type is stored and read back.

    ``accepts``: the types a JSON value may have at this place. ``decode`` is None when such a
    value is already the stored value (ints, strings, ...); otherwise it turns the JSON value
    into the stored one and checks all of it itself.
    """

    encode: Encoder
    decode: Encoder | None
    accepts: frozenset[type]


def _exact(kind: type) -> _Conv:
    # type() rather than isinstance: a bool is not an int here, and a subclass is not stored.
    def encode(value: Any) -> Any:
        if type(value) is not kind:
            raise CacheEntryError(f"expected {kind.__name__}, got {type(value).__name__}")
        return value

    return _Conv(encode, None, frozenset({kind}))


def _float() -> _Conv:
    def encode(value: Any) -> float:
        # An int where a float is declared is stored as the equal float (1 == 1.0); the JSON
        # encoder always writes a float with its decimal point, so one is always read back.
        if type(value) is float or type(value) is int:
            return float(value)
        raise CacheEntryError(f"expected float, got {type(value).__name__}")

    return _Conv(encode, None, frozenset({float}))


def _iso(kind: type[dt.date]) -> _Conv:
    def encode(value: Any) -> str:
        if type(value) is not kind:
            raise CacheEntryError(f"expected {kind.__name__}, got {type(value).__name__}")
        return value.isoformat()

    def decode(value: Any) -> dt.date:
        if type(value) is not str:
            raise CacheEntryError(f"expected an ISO {kind.__name__}, got {type(value).__name__}")
        parsed = kind.fromisoformat(value)
        if parsed.isoformat() != value:  # only the form the encoder writes
            raise CacheEntryError(f"{value!r} is not a {kind.__name__} as the cache writes it")
        return parsed

    return _Conv(encode, decode, frozenset({str}))


def _encode_any(value: Any) -> Any:
    if type(value) in _JSON_SCALARS:
        return value
    if type(value) is dt.datetime:
        return {_DATETIME_TAG: value.isoformat()}
    if type(value) is dt.date:
        return {_DATE_TAG: value.isoformat()}
    if type(value) is list:
        return [_encode_any(v) for v in value]
    raise CacheEntryError(f"a row value of type {type(value).__name__} cannot be stored")


_DECODE_TAGGED = {_DATE_TAG: _iso(dt.date).decode, _DATETIME_TAG: _iso(dt.datetime).decode}


def _decode_any(value: Any) -> Any:
    if type(value) in _JSON_SCALARS:
        return value
    if type(value) is list:
        return [_decode_any(v) for v in value]
    if type(value) is dict and len(value) == 1:
        ((tag, text),) = value.items()
        if tag in _DECODE_TAGGED:
            return _DECODE_TAGGED[tag](text)
    raise CacheEntryError(f"a row value of type {type(value).__name__} is not one the cache writes")


def _row(check: RowCheck | None) -> _Conv:
    def encode(value: Any) -> dict:
        if type(value) is not dict or not all(type(k) is str for k in value):
            raise CacheEntryError(f"expected a row (dict with str keys), got {type(value).__name__}")
        if check is not None:
            check(value)
        return {k: _encode_any(v) for k, v in value.items()}

    def decode(value: Any) -> Row:
        if type(value) is not dict:
            raise CacheEntryError(f"expected a row, got {type(value).__name__}")
        row = {k: _decode_any(v) for k, v in value.items()}
        if check is not None:
            check(row)
        return row

    return _Conv(encode, decode, frozenset({dict}))


def _optional(inner: _Conv) -> _Conv:
    enc, dec = inner.encode, inner.decode
    decode = None if dec is None else (lambda v: None if v is None else dec(v))
    return _Conv(lambda v: None if v is None else enc(v), decode, inner.accepts | {type(None)})


def _checked(conv: _Conv) -> Encoder:
    """`conv`'s decoder, or, where it has none, a check of the value's type."""
    if conv.decode is not None:
        return conv.decode
    accepts = conv.accepts

    def check(value: Any) -> Any:
        if type(value) not in accepts:
            raise CacheEntryError(f"a {type(value).__name__} where {sorted(t.__name__ for t in accepts)} is declared")
        return value

    return check


def _sequence(kind: type, inner: _Conv) -> _Conv:
    enc, dec, accepts = inner

    def encode(value: Any) -> list:
        if type(value) is not kind:
            raise CacheEntryError(f"expected {kind.__name__}, got {type(value).__name__}")
        return [enc(v) for v in value]

    def decode(value: Any) -> Any:
        if type(value) is not list:
            raise CacheEntryError(f"expected a list, got {type(value).__name__}")
        if dec is None:
            if not accepts.issuperset(map(type, value)):
                raise CacheEntryError(f"a list item not of the types {sorted(t.__name__ for t in accepts)}")
            items = value  # the freshly parsed list, already the stored one
        else:
            items = [dec(v) for v in value]
        return items if kind is list else kind(items)

    return _Conv(encode, decode, frozenset({list}))


def _fixed_tuple(inner: Sequence[_Conv]) -> _Conv:
    encs = [c.encode for c in inner]
    decs = [_checked(c) for c in inner]

    def encode(value: Any) -> list:
        if type(value) is not tuple or len(value) != len(encs):
            raise CacheEntryError(f"expected a tuple of {len(encs)}, got {type(value).__name__}")
        return [e(v) for e, v in zip(encs, value, strict=True)]

    def decode(value: Any) -> tuple:
        if type(value) is not list or len(value) != len(decs):
            raise CacheEntryError(f"expected a list of {len(decs)}")
        return tuple(d(v) for d, v in zip(decs, value, strict=True))

    return _Conv(encode, decode, frozenset({list}))


# Up to this many combinations of field types, a dataclass's fields are checked all at once
# against the set of allowed combinations (one C-level lookup instead of a call per field).
_MAX_SIGNATURES = 4096


def _dataclass(cls: type, row_checks: Mapping[str, RowCheck]) -> _Conv:
    hints = typing.get_type_hints(cls)
    names = [f.name for f in fields(cls)]
    unknown = set(row_checks) - set(names)
    if unknown:
        raise TypeError(f"{cls.__qualname__} has no field {', '.join(sorted(unknown))}")
    convs = [_converters(hints[name], row_checks.get(name)) for name in names]
    encs = [c.encode for c in convs]
    n = len(names)
    # Fields whose JSON value is not yet the stored one (dates, lists, nested dataclasses, rows)
    converted = [(i, c.decode) for i, c in enumerate(convs) if c.decode is not None]
    if math.prod(len(c.accepts) for c in convs) <= _MAX_SIGNATURES:
        signatures = frozenset(itertools.product(*(c.accepts for c in convs)))

        def fits(value: list) -> bool:
            return tuple(map(type, value)) in signatures

    else:
        accepts = [c.accepts for c in convs]

        def fits(value: list) -> bool:
            return all(type(v) in a for v, a in zip(value, accepts, strict=True))

    # Positional: a dataclass is stored as the list of its field values, in declaration order.
    def encode(value: Any) -> list:
        if type(value) is not cls:
            raise CacheEntryError(f"expected {cls.__qualname__}, got {type(value).__name__}")
        return [e(getattr(value, name)) for e, name in zip(encs, names, strict=True)]

    def decode(value: Any) -> Any:
        if type(value) is not list or len(value) != n or not fits(value):
            raise CacheEntryError(f"not the {n} fields of {cls.__qualname__} with their declared types")
        for i, dec in converted:
            value[i] = dec(value[i])  # the freshly parsed list is this decoder's own
        return cls(*value)

    return _Conv(encode, decode, frozenset({list}))


def _table(cls: type) -> _Conv:
    """A list of dataclasses stored by column, one JSON list per field: each column is checked
    with one C-level pass over its types, and the objects are then built without a call per
    object (a document holds tens to hundreds of mentions, claims and dates)."""
    if hasattr(cls, "__post_init__"):
        return _sequence(list, _dataclass(cls, {}))  # built through its __init__, one by one
    hints = typing.get_type_hints(cls)
    names = [f.name for f in fields(cls)]
    # A class whose fields are slots has no __dict__: each field is set through its slot.
    slots = [vars(cls)[name].__set__ for name in names] if "__slots__" in vars(cls) else None
    convs = [_converters(hints[name]) for name in names]
    encs = [c.encode for c in convs]
    n = len(names)
    new = object.__new__

    def encode(value: Any) -> list:
        if type(value) is not list or not all(type(v) is cls for v in value):
            raise CacheEntryError(f"expected a list of {cls.__qualname__}")
        return [[e(getattr(v, name)) for v in value] for e, name in zip(encs, names, strict=True)]

    def decode(value: Any) -> list:
        if type(value) is not list or len(value) != n or not all(type(c) is list for c in value):
            raise CacheEntryError(f"not the {n} columns of {cls.__qualname__}")
        if len({len(c) for c in value}) > 1:
            raise CacheEntryError(f"columns of {cls.__qualname__} of different lengths")
        columns = []
        for column, (_, dec, accepts) in zip(value, convs, strict=True):
            if dec is not None:
                column = [dec(v) for v in column]
            elif not accepts.issuperset(map(type, column)):
                raise CacheEntryError(f"a {cls.__qualname__} field not of the types {sorted(t.__name__ for t in accepts)}")
            columns.append(column)
        out = []
        for row in zip(*columns, strict=True):
            # the fields set directly, as unpickling does: a generated __init__ only assigns them
            obj = new(cls)
            if slots is None:
                obj.__dict__.update(zip(names, row, strict=True))
            else:
                for put, field_value in zip(slots, row, strict=True):
                    put(obj, field_value)
            out.append(obj)
        return out

    return _Conv(encode, decode, frozenset({list}))


def _converters(hint: Any, row_check: RowCheck | None = None) -> _Conv:
    """How a value of one declared type is stored; a type outside this list is refused when the
    codec is built, so what a codec can construct is known from its dataclass alone."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if hint is float:
        return _float()
    if hint in (int, str, bool):
        return _exact(hint)
    if hint is dt.datetime or hint is dt.date:
        return _iso(hint)
    if origin in (typing.Union, types.UnionType) and len(args) == 2 and type(None) in args:
        (inner,) = [a for a in args if a is not type(None)]
        return _optional(_converters(inner, row_check))
    if origin is list and len(args) == 1 and is_dataclass(args[0]):
        return _table(args[0])
    if origin is list and len(args) == 1:
        return _sequence(list, _converters(args[0], row_check))
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return _sequence(tuple, _converters(args[0], row_check))
    if origin is tuple and args and Ellipsis not in args:
        return _fixed_tuple([_converters(a, row_check) for a in args])
    if origin is dict and args == (str, Any):
        return _row(row_check)
    if is_dataclass(hint) and isinstance(hint, type):
        return _dataclass(hint, {})
    raise TypeError(f"the cache cannot store values of type {hint!r}")


class Codec:
    """Typed JSON (de)serialisation of exactly one dataclass: what one stage stores per document.

    Fields are encoded as their declared types say (dates as ISO strings, tuples and lists as JSON
    lists, restored as declared; ``dict[str, Any]`` rows with their dates tagged), and decoding
    checks every value against its declared type, so a null or a wrong-typed value is refused
    rather than passed on. ``row_checks`` adds a check to the rows of named fields (their table's
    columns, see :func:`table_row_check`). Nothing but these dataclasses is ever constructed.
    """

    def __init__(self, cls: type, row_checks: Mapping[str, RowCheck] | None = None) -> None:
        if not is_dataclass(cls):
            raise TypeError(f"{cls!r} is not a dataclass")
        self.name = f"{cls.__module__}.{cls.__qualname__}"
        conv = _dataclass(cls, row_checks or {})
        self.encode, self.decode = conv.encode, conv.decode


# What each column type of `schemas/` accepts in a row (broadsheet.schema.ARROW_TYPES).
_FITS: dict[str, Callable[[Any], bool]] = {
    "string": lambda v: type(v) is str,
    "int64": lambda v: type(v) is int,
    "float64": lambda v: type(v) is float or type(v) is int,
    "bool": lambda v: type(v) is bool,
    "date": lambda v: type(v) is dt.date,
    "list<string>": lambda v: type(v) is list and all(type(x) is str for x in v),
}


def table_row_check(table: Any, omit: Iterable[str] = ()) -> RowCheck:
    """A check that a row has exactly `table`'s columns (a :class:`broadsheet.schema.TableSchema`)
    but `omit`, each value of its column's type, and a null only where the column allows one."""
    left_out = set(omit)
    columns = [(c.name, c.nullable, _FITS[c.type], c.type) for c in table.columns if c.name not in left_out]
    expected = {name for name, *_ in columns}

    def check(row: Mapping[str, Any]) -> None:
        if row.keys() != expected:
            raise CacheEntryError(f"a {table.name} row without exactly its columns")
        for name, nullable, fits, kind in columns:
            value = row[name]
            if value is None:
                if not nullable:
                    raise CacheEntryError(f"{table.name}.{name} is null")
            elif not fits(value):
                raise CacheEntryError(f"{table.name}.{name} is a {type(value).__name__}, not {kind}")

    return check
