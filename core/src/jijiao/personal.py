"""Personal data (ID numbers, phone numbers, any field the models mark ``personal=True``),
masked by field wherever it occurs: in its own columns, and inside the raw rows that
``import_errors`` keeps for correction.

Masking is by *field*, not by pattern: a value is masked because of the column or key it is
in, whatever it looks like (``2101 0219 9001 0112 34``, ``138-0000-0002``, a 7-digit landline).
A raw row that cannot be read field by field (a line that is not JSON, a CSV line kept whole)
is masked as a whole. Pattern matching only adds to that, for free-text keys that happen to
carry an ID or mobile number.

Used by the browse copy (publish.py) and by ``jijiao export`` (export.py), which masks unless
the office asks for the values with ``--include-personal-data``.
"""

from __future__ import annotations

import functools
import json
import re

import attrs

ID_NUMBER_PATTERN = re.compile(r"(?<![0-9])(?:[0-9][ -]?){17}[0-9Xx](?![0-9])|(?<![0-9])[0-9]{15}(?![0-9])")
MOBILE_PATTERN = re.compile(r"(?<![0-9])1[3-9][0-9](?:[ -]?[0-9]{4}){2}(?![0-9])")
SEPARATORS = re.compile(r"[\s\-－—.()（）+]")
WHOLE_ROW_KEYS = {"line"}
"""Raw-row keys holding a line that could not be read into fields: masked whole."""
MASKED_ROW = "（原始行无法按字段读取，已整体隐去：{} 个字符）"


def _digits(value) -> str:
    return SEPARATORS.sub("", str(value).strip())


def _keep_last_two(text: str) -> str:
    return "*" * len(text) if len(text) < 6 else "*" * (len(text) - 2) + text[-2:]


def mask_id_number(value):
    """``210102199001011234`` -> ``2101**********1234``: the region and the last four digits are
    what an office uses to tell two people apart on screen; the birth date is hidden. Spaces
    and dashes are dropped first; anything that is not an ID number's 18 (or old 15) characters
    keeps at most its last two."""
    if value is None or value == "":
        return value
    text = _digits(value)
    if len(text) in (15, 18):
        return text[:4] + "*" * (len(text) - 8) + text[-4:]
    return _keep_last_two(text)


def mask_phone(value):
    """``13812345678`` -> ``138****5678``, the usual Chinese way of showing a mobile number; any
    other phone (a landline, a 7-digit number, an extension) keeps at most its last two digits."""
    if value is None or value == "":
        return value
    text = _digits(value)
    if len(text) == 11 and text.startswith("1"):
        return text[:3] + "****" + text[-4:]
    return _keep_last_two(text)


def mask_personal(column: str, value):
    """Mask a personal value by what its column (or key) holds: an ID number, else a phone."""
    if value is None or value == "":
        return value
    return mask_id_number(value) if "id_number" in column or "身份证" in column else mask_phone(value)


def scrub_text(text):
    """Mask whatever in free text looks like an ID number or a mobile number."""
    if not text or not isinstance(text, str):
        return text
    text = ID_NUMBER_PATTERN.sub(lambda m: mask_id_number(m.group()), text)
    return MOBILE_PATTERN.sub(lambda m: mask_phone(m.group()), text)


@functools.cache
def personal_fields() -> dict[str, str]:
    """Every key an input may use for a personal value -> the column name that says what it is:
    each model field and each plugin-declared fact marked ``personal=True``, by its name, its
    Chinese label, and for a project's application / execution facts their column names and
    prefixed labels too."""
    from .importing import NESTED_PREFIXES
    from .models import Activity, Practitioner, Project, Teacher
    from .plugins import default_registry

    found: dict[str, str] = {}
    for cls in (Practitioner, Project, Activity, Teacher):
        attrs.resolve_types(cls)
        for attribute in attrs.fields(cls):
            if not attribute.metadata.get("personal"):
                continue
            name, label = attribute.name, attribute.metadata.get("zh") or attribute.name
            kind = "id_number" if "id_number" in name else name
            found[name] = found[label] = kind
    for record, facts in default_registry().facts.items():
        for fact in facts.values():
            if not fact.personal:
                continue
            kind = "id_number" if "id_number" in fact.name else fact.name
            found[fact.name] = found[fact.zh] = kind
            if record in NESTED_PREFIXES:
                column_prefix, label_prefix = NESTED_PREFIXES[record]
                found[column_prefix + fact.name] = found[label_prefix + fact.zh] = kind
    return found


def mask_raw_row(raw, keys: dict[str, str] | None = None):
    """An import error's raw row (JSON text) with its personal values masked by key, nested
    objects included; a row that is not a JSON object, or a line kept whole, masked entirely."""
    if raw is None or raw == "":
        return raw
    keys = personal_fields() if keys is None else keys
    try:
        row = json.loads(raw)
    except (ValueError, RecursionError):
        return MASKED_ROW.format(len(raw))
    if not isinstance(row, dict):
        return MASKED_ROW.format(len(raw))

    def clean(value, key=None):
        if key in WHOLE_ROW_KEYS and isinstance(value, str):
            return MASKED_ROW.format(len(value))
        if key in keys and value not in (None, ""):
            return mask_personal(keys[key], value if isinstance(value, str) else json.dumps(value))
        if isinstance(value, dict):
            return {k: clean(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [clean(v) for v in value]
        return scrub_text(value)

    return json.dumps(clean(row), ensure_ascii=False)
