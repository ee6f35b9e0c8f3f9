"""The machinery of one application's review, shared by the check modules.

Each check reads the facts it needs through `Review.fact` (a declared fact of the application,
`vocabulary.Application`) or `Review.field` (one of the project's own fields), which note a
missing fact instead of guessing: the notice refuses an application whose form is not completely
filled in (一(二)6), so every fact a rule needs and the form lacks becomes one 不予受理 finding
naming the field. Facts the city office holds in its own records (`OFFICE_RECORDS`) are not on
the unit's form: where they are not given, the rule is named as not checked (说明) instead.

Severities follow the wording: the 一(二) list and the "必须 / 须 / 要 / 不超过 / 不低于" rules refuse
the application (不予受理); "原则上" and "一般应" rules are warnings (提醒), since the reviewing
office may accept a justified exception; information is a note (说明).
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

import attrs

from jijiao.models import Fact, Finding, Mode, Project, Severity
from jijiao.plugins import ParameterValues

from .documents import WZ_2026_17 as DOC
from .vocabulary import Application

REFUSED = "不予受理"

# Reading: 一(二)6 is about the 申报书 the unit fills in. Whether the leader left a 2024–2025 city
# project unexecuted (一(二)1), has an integrity or falsification record (一(二)2、3), or leads
# another application this year (一(一) 每人一项, counted across all units) is known from the city
# office's records, not from the form; their absence does not make the form incomplete.
OFFICE_RECORDS = frozenset({
    Application.LEADER_UNEXECUTED_RECENT, Application.INTEGRITY_RECORD, Application.FALSIFICATION_RECORD,
    Application.LEADER_APPLICATIONS,
})


def share(text: str) -> Fraction:
    """A share as the notice writes it ("1/3"), exactly."""
    try:
        return Fraction(str(text))
    except (ValueError, ZeroDivisionError):
        raise ValueError(f"a share is written like 1/3, got {text!r}") from None


def label(record: object, name: str) -> str:
    """The Chinese label of one of a model's fields (a `Project`'s 授课教师)."""
    return attrs.fields_dict(type(record))[name].metadata.get("zh", name)


@attrs.define
class Review:
    """One application under review: its facts, the policy numbers, and what was found so far."""

    project: Project
    application: Mapping | None  # the project's declared application facts (`vocabulary.Application`)
    p: ParameterValues
    jurisdiction: str
    findings: list[Finding] = attrs.field(factory=list)
    missing: dict[str, str] = attrs.field(factory=dict)
    unchecked: dict[str, str] = attrs.field(factory=dict)

    @property
    def online(self) -> bool:
        return self.project.mode is Mode.REMOTE

    def fact(self, fact: Fact, clause_id: str):
        """The application's value of a declared fact, or None -- then we say which rule needed
        it: the form lacks it, or, for the office's own records, the rule could not be checked."""
        value = fact.of(self.application)
        if value is None or value == "":
            if fact in OFFICE_RECORDS:
                self.unchecked.setdefault(fact.zh, clause_id)
            else:
                self.lacks(fact.zh, clause_id)
            return None
        return value

    def field(self, name: str, clause_id: str):
        """The value of one of the project's own fields, or None -- then the form lacks it."""
        value = getattr(self.project, name)
        if value is None or value == "":
            self.lacks(label(self.project, name), clause_id)
            return None
        return value

    def lacks(self, what: str, clause_id: str) -> None:
        self.missing.setdefault(what, clause_id)

    def add(self, severity: Severity, clause_id: str, message: str, consequence: str = "") -> None:
        self.findings.append(
            Finding(self.project.id, self.jurisdiction, severity, DOC.ref(clause_id), message, consequence)
        )

    def refuse(self, clause_id: str, message: str) -> None:
        self.add(Severity.REFUSED, clause_id, message, REFUSED)

    def warn(self, clause_id: str, message: str) -> None:
        self.add(Severity.WARNING, clause_id, message)

    def note(self, clause_id: str, message: str) -> None:
        self.add(Severity.NOTE, clause_id, message)


def words_in(text: str, words) -> list[str]:
    return [word for word in words if word in text]
