"""Reading our own input rows back as models without validating every one of them again.

Every row of ``practitioners`` and ``activities`` was written from a model that was built, and
so converted and validated, when it came in (`importing`, `demo`: the door). Reading a year
back through the models' constructors runs all of that again, once per row -- for a province,
millions of times, to learn nothing new. `reader` builds, per `storage.RowCodec`, a function
that makes the model straight from the stored values: each value decoded as the codec decodes
it (codes to members, REALs to Decimals, ISO text to dates), then set on a new instance without
the constructor's converters and validators.

What the validators would check is not dropped: it is asked of SQLite instead, per row, in the
same SELECT (`guard_sql`: an empty id, a negative number of hours, a place code that is not six
digits, a year out of range -- each model validator has its SQL twin in `VALIDATOR_SQL`). A row
the guard flags -- an older jijiao's, or one edited by hand -- is read through the model's own
constructor, exactly as before, so it is refused with the same error naming the field (the
run reports it as unreadable, `storage.practitioner_years`). The guard may flag more rows than
the validators would refuse (it only sends them the slow way), never fewer.

A model gets a trusted reader only when that is sound: an attrs slotted class with no
post-init hook and no factory default, whose every validator has its twin in `VALIDATOR_SQL`,
and whose converted fields hold enum members, declared values, Decimals or facts (what the
codec's decoders already produce). Otherwise `reader` returns the validated ``codec.decode``.
tests/test_stored.py reads every row of a demo year both ways and compares them.
"""

from __future__ import annotations

import typing
from collections.abc import Mapping
from decimal import Decimal
from typing import Callable, Sequence

import attrs

from .models import (
    EMPTY_FACTS,
    FIRST_YEAR,
    MAPPING_FIELDS,
    LAST_YEAR,
    LabelledEnum,
    _Declared,
    _activity_year,
    _code,
    _nonempty,
    _nonneg,
)

VALIDATOR_SQL: dict[Callable, str] = {
    # model validator -> an SQL condition on its column ({c}) true wherever the validator might refuse
    _nonempty: "typeof({c}) <> 'text' OR {c} = ''",
    _nonneg: "{c} < 0",
    _code: "{c} IS NOT NULL AND (typeof({c}) <> 'text' OR length({c}) <> 6 OR {c} GLOB '*[^0-9]*')",
    _activity_year: f"typeof({{c}}) <> 'integer' OR {{c}} NOT BETWEEN {FIRST_YEAR} AND {LAST_YEAR}",
}


def _converted_by_decoder(tp) -> bool:
    """Whether the codec's decoder of a field of type ``tp`` already gives what its converter would."""
    from .storage import base_type

    tp = base_type(tp)
    if tp is Decimal:
        return True
    origin = typing.get_origin(tp) or tp
    return isinstance(origin, type) and (issubclass(origin, (LabelledEnum, _Declared)) or origin is Mapping)


def trustable(codec) -> str | None:
    """Why ``codec``'s model cannot be read without its constructor (None: it can)."""
    cls = codec.cls
    if "__slots__" not in cls.__dict__ or not attrs.has(cls):
        return "not an attrs slotted class"
    if hasattr(cls, "__attrs_post_init__") or hasattr(cls, "__attrs_pre_init__"):
        return "it has a post-init hook"
    if codec._presence:
        return "it has nested parts (a project's application and execution)"
    names = {c.field for c in codec.columns if c.part is None}
    for a in attrs.fields(cls):
        if a.name not in names and a.name != "facts":  # an activity's facts come from the fact columns
            return f"field {a.name} has no column"
        if not a.init or isinstance(a.default, attrs.Factory):  # type: ignore[arg-type]
            return f"field {a.name} is not set by value"
        if a.validator is not None and a.validator not in VALIDATOR_SQL:
            return f"field {a.name}'s validator has no SQL twin in VALIDATOR_SQL"
        if a.converter is not None and not _converted_by_decoder(a.type):
            return f"field {a.name}'s converter is not one the decoders stand in for"
    return None


def guard_sql(codec) -> str:
    """The SQL condition true for a stored row that the model's validators might refuse."""
    tests = [
        VALIDATOR_SQL[a.validator].format(c=f"[{a.name}]")
        for a in attrs.fields(codec.cls)
        if a.validator is not None and a.validator in VALIDATOR_SQL
    ]
    return " OR ".join(f"({t})" for t in tests) or "0"


def select_sql(codec, table: str) -> str:
    """The codec's columns, then the guard's verdict (1: read this row through the constructor)."""
    columns = ", ".join(f"[{c}]" for c in codec.names)
    return f"SELECT {columns}, coalesce({guard_sql(codec)}, 0) FROM [{table}]"


def reader(codec) -> Callable[[Sequence], object]:
    """A function from a row of `select_sql` to the model: without the constructor for the rows
    the guard passes, through it (``codec.decode``) for the others and for a missing required
    value. The validated ``codec.decode`` itself where the model cannot be trusted. Built once
    per codec."""
    found = getattr(codec, "_stored_reader", None)
    if found is None:
        found = codec._stored_reader = _compiled_reader(codec) if trustable(codec) is None else codec.decode
    return found


def _compiled_reader(codec) -> Callable[[Sequence], object]:
    cls = codec.cls
    fields = [a for a in attrs.fields(cls) if a.name not in MAPPING_FIELDS]  # in column order, as codec._own
    flag = len(codec.columns)
    required = " or ".join(f"row[{i}] is None" for i in codec._required)
    namespace: dict[str, object] = {"_new": object.__new__, "_cls": cls, "_validated": codec.decode, "_EMPTY": EMPTY_FACTS}
    lines = ["def read(row):", f"    if row[{flag}]{' or ' + required if required else ''}:", "        return _validated(row)",
             "    self = _new(_cls)"]
    for index, (a, (decode, default)) in enumerate(zip(fields, codec._own)):
        namespace[f"_set_{index}"] = cls.__dict__[a.name].__set__
        value = "v" if decode is None else f"_decode_{index}(v)"
        if decode is not None:
            namespace[f"_decode_{index}"] = decode
        if index in codec._required:
            lines.append(f"    v = row[{index}]; _set_{index}(self, {value})")
        else:
            namespace[f"_default_{index}"] = default
            lines.append(f"    v = row[{index}]; _set_{index}(self, _default_{index} if v is None else {value})")
    if "facts" in attrs.fields_dict(cls):
        namespace["_set_facts"] = cls.__dict__["facts"].__set__
        lines.append("    facts = {}")
        for index, name, decode in codec._facts:
            value = "v" if decode is None else f"_fact_{index}(v)"
            if decode is not None:
                namespace[f"_fact_{index}"] = decode
            lines.append(f"    v = row[{index}]")
            lines.append(f"    if v is not None: facts[{name!r}] = {value}")
        lines.append("    _set_facts(self, facts or _EMPTY)")
    lines.append("    return self")
    source = "\n".join(lines) + "\n"
    exec(compile(source, f"<jijiao.stored reader of {cls.__name__}>", "exec"), namespace)  # noqa: S102
    read = namespace["read"]
    read.source = source  # for the curious reader (and the test)
    return read
