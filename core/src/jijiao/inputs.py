"""Turning outside data (JSON, CSV cells, Excel cells, Gherkin tables) into validated models.

One converter for every way data comes in: `build(Model, mapping)` accepts each field by its
English name or its Chinese label (from the model's metadata), parses text where text is given,
and raises `InputError` naming the field -- never a bare traceback.
"""

from __future__ import annotations

import functools
import json
import re
import types
import typing
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

import attrs
from collections.abc import Mapping

from . import regions
from .models import MAPPING_FIELDS, LabelledEnum, _Declared, in_china

TRUE_WORDS = {"true", "yes", "y", "1", "是", "有", "已", "合格", "通过", "√"}
FALSE_WORDS = {"false", "no", "n", "0", "否", "无", "未", "不合格", "未通过", "×"}

# What a number can mean, by the field's unit (models' ``unit`` metadata); docs/data-format.md
# lists these. A value outside is a typing slip (1e28 学时, an ID number in a count column),
# refused where it enters rather than left to overflow a sum or an SQLite INTEGER later.
HOURS_IN_A_YEAR = 366 * 24
UPPER_BOUNDS = {
    "小时": Decimal(HOURS_IN_A_YEAR),  # one activity (or project) of one year: at most a leap year's hours
    "月": Decimal(12),  # an activity of one year lasts at most 12 months in it
    "学分": Decimal(100),  # credits on one certificate or one project: no rule we hold comes near (a year needs 25)
    "%": Decimal(100),  # a percentage
    "字": Decimal(100_000_000),  # words of one publication
}
MAX_COUNT = 1_000_000
"""Any other whole number (sessions, enrolment, trainees, applications, a rank): at most a million."""
MAX_NUMBER = Decimal(1_000_000)
"""Any other number without a unit."""

ID_NUMBER_FIELDS = {"id_number"}
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
ID_PATTERN = re.compile(r"[0-9]{17}[0-9X]")


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
        if not number.is_finite() or number != number.to_integral_value():
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
    if isinstance(tp, type) and issubclass(tp, (LabelledEnum, _Declared)):
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


def region_code(raw, places=None):
    """A place field's value: NFKC-normalised (２１００００ -> 210000), a name turned into its
    code by ``places`` where given, and the code checked against GB/T 2260 (`regions`)."""
    if raw is None or (isinstance(raw, str) and raw.strip() == ""):
        return raw
    if isinstance(raw, bool) or not isinstance(raw, (str, int)):
        raise ValueError(f"expected a six-digit GB/T 2260 code, got {raw!r}")
    code = regions.normalise(raw)
    if places is not None and not code.isdigit():
        code = places(code)
    if not regions.is_valid(code):
        raise ValueError(regions.refusal(code))
    return code


def id_number(raw, *, check_digit: bool = True):
    """A resident ID number (GB 11643): 18 characters, the last its check digit. Never a number:
    Excel keeps 15 significant digits, so an ID typed as a number has already lost its last
    ones, and no check digit can tell which. The messages never repeat the number (they are
    stored and shown beside the masked row)."""
    if raw is None or (isinstance(raw, str) and raw.strip() == ""):
        return raw
    if not isinstance(raw, str):
        raise ValueError("an ID number must be text, got a number (Excel keeps only 15 digits of a number: "
                         "format the column as text and type the ID number again)")
    text = regions.normalise(raw).upper()
    if re.fullmatch(r"[0-9.]+E\+?[0-9]+", text):
        raise ValueError("an ID number that Excel turned into a number (like 1.10105E+17): its last digits are lost "
                         "(format the column as text and type it again)")
    if not check_digit:
        return raw
    if not ID_PATTERN.fullmatch(text):
        raise ValueError(f"expected an 18-character resident ID number (17 digits and a check digit), got {len(text)} characters")
    expected = ID_CHECK[sum(int(d) * w for d, w in zip(text, ID_WEIGHTS)) % 11]
    if text[-1] != expected:
        raise ValueError("the check digit (GB 11643) does not match: the ID number is mistyped")
    return text


def _unit(field) -> str | None:
    """The unit of a model field (its metadata) or of a plugin-declared `Fact`."""
    return field.unit if hasattr(field, "record") else field.metadata.get("unit")


def no_stray_percent(field, raw):
    """Only a percentage may be written with %: ``50%`` in an hours column is not 50 hours."""
    if isinstance(raw, str) and ("%" in raw or "％" in raw or "‰" in raw) and _unit(field) != "%":
        raise ValueError(f"expected a number of {_unit(field) or 'units'}, got the percentage {raw!r}")
    return raw


def checked_number(field, value):
    """A number within what its field (a model field or a declared fact) can mean (`UPPER_BOUNDS`);
    other values pass unchanged."""
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        return value
    unit = _unit(field)
    bound = UPPER_BOUNDS.get(unit, MAX_COUNT if isinstance(value, int) else MAX_NUMBER)
    if value > bound or value < -bound:
        what = f"{bound:,} {unit}" if unit else f"{bound:,}"
        raise ValueError(f"{value} is out of range: at most {what} (see docs/data-format.md, 数值范围)")
    return value


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


def fact_index(facts: dict) -> dict:
    """Declared facts (`models.Fact`) under their names and their Chinese labels."""
    found = _FACT_INDEX.get(id(facts))
    if found is None or found[0] is not facts:
        index = dict(facts)
        for fact in facts.values():
            index.setdefault(fact.zh, fact)
        found = _FACT_INDEX[id(facts)] = (facts, index)
    return found[1]


_FACT_INDEX: dict[int, tuple[dict, dict]] = {}


def parse_fact(fact, raw):
    """One declared fact's value, parsed to its type and checked against its ``minimum``."""
    value = checked_number(fact, parse_value(typing.Optional[fact.type], no_stray_percent(fact, raw)))
    if value is not None and fact.minimum is not None and value < fact.minimum:
        raise ValueError(f"must be at least {fact.minimum}, got {value}")
    if value is not None and fact.maximum is not None and value > fact.maximum:
        raise ValueError(f"must be at most {fact.maximum}, got {value}")
    return value


def build_facts(facts: dict, mapping: dict) -> dict:
    """A mapping of declared facts (by name or label) to their parsed values; InputError names the fact."""
    index = fact_index(facts)
    values = {}
    for key, raw in mapping.items():
        fact = index.get(str(key).strip())
        if fact is None:
            known = "、".join(f.zh for f in facts.values()) or "（无）"
            raise InputError(str(key), f"no such field; the installed plugins declare: {known}")
        try:
            value = parse_fact(fact, raw)
        except (ValueError, TypeError, json.JSONDecodeError) as error:
            raise InputError(fact.name, str(error)) from None
        if value is not None:
            values[fact.name] = value
    return values


def build(cls, mapping, *, defaults: dict | None = None, places=None, facts: dict | None = None,
          check_ids: bool = False):
    """Build a ``cls`` model from a mapping of field names or Chinese labels to values.

    Unknown keys, unparsable values and values the model's validators refuse all raise
    `InputError` naming the field. ``places`` (e.g. ``Registry.find_jurisdiction``) turns a
    jurisdiction given by name (长沙市) into its GB/T 2260 code in the fields that hold one.
    ``facts`` gives, for each of the model's fields of plugin-declared facts, the facts
    declared for it (``{"facts": registry.facts["activity"]}`` for an Activity,
    ``{"application": ..., "execution": ...}`` for a Project): a key naming one of an
    activity's declared facts goes into its ``facts``; a project's part is given as an object.
    Every region code is checked against GB/T 2260 and every number against its field's bounds;
    ``check_ids`` also checks an ID number's check digit (files an office imports; a scenario's
    made-up ID numbers need not be real).
    """
    if not isinstance(mapping, dict):
        raise InputError(cls.__name__, f"expected an object with fields, got {type(mapping).__name__}")
    index = field_index(cls)
    facts = facts or {}
    flat = fact_index(facts["facts"]) if "facts" in facts else {}
    kwargs = dict(defaults or {})
    parts: dict[str, dict] = {}
    for key, raw in mapping.items():
        name = str(key).strip()
        attribute = index.get(name)
        if attribute is None and name in flat:
            parts.setdefault("facts", {})[key] = raw
            continue
        if attribute is not None and attribute.name in MAPPING_FIELDS:
            if isinstance(raw, str) and raw.strip().startswith("{"):
                try:
                    raw = json.loads(raw)
                except json.JSONDecodeError as error:
                    raise InputError(attribute.name, f"not a JSON object ({error.msg})") from None
            if raw is None or raw == "":
                continue
            if not isinstance(raw, dict):
                raise InputError(attribute.name, f"expected an object of facts, got {type(raw).__name__}")
            parts.setdefault(attribute.name, {}).update(raw)
            continue
        if attribute is None:
            raise InputError(name, f"{cls.__name__} has no such field (`jijiao steps --fields` lists them)")
        try:
            if attribute.metadata.get("place"):
                raw = region_code(raw, places)
            elif attribute.name in ID_NUMBER_FIELDS:
                raw = id_number(raw, check_digit=check_ids)
            kwargs[attribute.name] = checked_number(attribute, parse_value(attribute.type, no_stray_percent(attribute, raw)))
        except InputError as error:
            raise InputError(f"{attribute.name}.{error.field}", error.reason) from None
        except (ValueError, TypeError, json.JSONDecodeError) as error:
            raise InputError(attribute.name, str(error)) from None
    for part, given in parts.items():
        try:
            kwargs[part] = build_facts(facts.get(part, {}), given)
        except InputError as error:
            raise InputError(error.field if part == "facts" else f"{part}.{error.field}", error.reason) from None
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
    if isinstance(value, _Declared):
        return value.code
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
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    return value
