"""Turning outside data (JSON, CSV cells, Excel cells, Gherkin tables) into validated models.

One converter for every way data comes in: `build(Model, mapping)` accepts each field by its
English name or its Chinese label (from the model's metadata), parses text where text is given,
and raises `InputError` naming the field -- never a bare traceback.
"""

from __future__ import annotations

import functools
import json
import types
import typing
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

import attrs

from .models import LabelledEnum, in_china

TRUE_WORDS = {"true", "yes", "y", "1", "是", "有", "已", "合格", "通过", "√"}
FALSE_WORDS = {"false", "no", "n", "0", "否", "无", "未", "不合格", "未通过", "×"}


class InputError(ValueError):
    """Bad input: says which field (and, when known, which file and row) and why."""

    def __init__(self, field: str, reason: str, *, source: str = "", row: int | None = None):
        self.field = field
        self.reason = reason
        self.source = source
        self.row = row
        super().__init__(self.describe())

    def describe(self) -> str:
        where = []
        if self.source:
            where.append(self.source)
        if self.row is not None:
            where.append(f"row {self.row}")
        prefix = ":".join(where)
        return f"{prefix + ': ' if prefix else ''}field {self.field!r}: {self.reason}"

    def at(self, *, source: str = "", row: int | None = None) -> "InputError":
        return InputError(self.field, self.reason, source=source or self.source, row=row if row is not None else self.row)


def _unwrap_optional(tp):
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return args[0], True
    return tp, False


def parse_value(tp, value):
    """Convert ``value`` (text or JSON value) to type ``tp``; raise ValueError with the reason."""
    tp, optional = _unwrap_optional(tp)
    if value is None or (isinstance(value, str) and value.strip() == ""):
        if optional:
            return None
        if tp is str:
            return ""
        raise ValueError("a value is required")
    if isinstance(value, str):
        value = value.strip()
    if tp is str:
        if not isinstance(value, str):
            return str(value)
        return value
    if tp is bool:
        if isinstance(value, bool):
            return value
        word = str(value).strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise ValueError(f"expected yes/no (是/否), got {value!r}")
    if tp is int:
        if isinstance(value, bool):
            raise ValueError("expected a whole number, got a yes/no")
        if isinstance(value, int):
            return value
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            raise ValueError(f"expected a whole number, got {value!r}") from None
        if number != number.to_integral_value():
            raise ValueError(f"expected a whole number, got {value!r}")
        return int(number)
    if tp is Decimal:
        if isinstance(value, bool):
            raise ValueError("expected a number, got a yes/no")
        text = str(value).rstrip("%") if isinstance(value, str) else repr(value) if isinstance(value, float) else str(value)
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"expected a number, got {value!r}") from None
        if not number.is_finite():
            raise ValueError(f"expected a finite number, got {value!r}")
        return number
    if tp is datetime:
        if isinstance(value, datetime):
            return in_china(value)
        try:
            return in_china(datetime.fromisoformat(str(value)))
        except ValueError:
            raise ValueError(f"expected a date and time such as 2026-03-30T18:00, got {value!r}") from None
    if tp is date:
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            raise ValueError(f"expected a date such as 2026-03-30, got {value!r}") from None
    if isinstance(tp, type) and issubclass(tp, LabelledEnum):
        return tp.parse(str(value))
    origin = typing.get_origin(tp)
    if origin is tuple:
        (item_type, *_rest) = typing.get_args(tp)
        if isinstance(value, str):
            value = json.loads(value) if value.startswith("[") else [p for p in value.replace("；", ";").split(";") if p.strip()]
        return tuple(parse_value(item_type, item) for item in value)
    if attrs.has(tp):
        if isinstance(value, str):
            value = json.loads(value)
        if isinstance(value, tp):
            return value
        return build(tp, value)
    raise ValueError(f"cannot read a value of type {tp!r}")


@functools.cache
def field_index(cls) -> dict[str, attrs.Attribute]:
    """Each field of an attrs model under its name and under its Chinese label."""
    attrs.resolve_types(cls)
    index = {}
    for attribute in attrs.fields(cls):
        index[attribute.name] = attribute
        label = attribute.metadata.get("zh")
        if label:
            index.setdefault(label, attribute)
    return index


def build(cls, mapping, *, defaults: dict | None = None, places=None):
    """Build a ``cls`` model from a mapping of field names or Chinese labels to values.

    Unknown keys, unparsable values and values the model's validators refuse all raise
    `InputError` naming the field. ``places`` (e.g. ``Registry.find_jurisdiction``) turns a
    jurisdiction given by name (长沙市) into its GB/T 2260 code in the fields that hold one.
    """
    if not isinstance(mapping, dict):
        raise InputError(cls.__name__, f"expected an object with fields, got {type(mapping).__name__}")
    index = field_index(cls)
    kwargs = dict(defaults or {})
    for key, raw in mapping.items():
        attribute = index.get(str(key).strip())
        if attribute is None:
            raise InputError(str(key), f"{cls.__name__} has no such field (`jijiao steps --fields` lists them)")
        try:
            if places is not None and attribute.metadata.get("place") and isinstance(raw, str) and not raw.strip().isdigit():
                raw = places(raw.strip())
            kwargs[attribute.name] = parse_value(attribute.type, raw)
        except InputError as error:
            raise InputError(f"{attribute.name}.{error.field}", error.reason) from None
        except (ValueError, TypeError, json.JSONDecodeError) as error:
            raise InputError(attribute.name, str(error)) from None
    try:
        return cls(**kwargs)
    except TypeError as error:
        missing = [a.name for a in attrs.fields(cls) if a.default is attrs.NOTHING and a.name not in kwargs]
        if missing:
            raise InputError(missing[0], "is required") from None
        raise InputError(cls.__name__, str(error)) from None
    except ValueError as error:
        text = str(error)
        named = [a.name for a in attrs.fields(cls) if text.startswith(a.name) or f"'{a.name}'" in text]
        field_name = max(named, key=len) if named else cls.__name__  # project_jurisdiction, not project
        raise InputError(field_name, str(error)) from None


def to_jsonable(value):
    """Models to plain JSON values (Decimal as numbers, dates as ISO text, enums as codes)."""
    if attrs.has(type(value)):
        return {a.name: to_jsonable(getattr(value, a.name)) for a in attrs.fields(type(value)) if not a.name.startswith("_")}
    if isinstance(value, LabelledEnum):
        return value.value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    return value
