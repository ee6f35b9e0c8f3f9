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

A finding that rests on one of the plugin's readings (`readings`) says so: ``reading=`` appends
its "按本插件的理解：…" to the message. Checks across records (one application per leader, the
unit's quota) see the batch of applications judged together through `Review.batch_group`.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

import attrs

from jijiao.models import Fact, Finding, Level, Mode, Project, Reading, Severity
from jijiao.plugins import ParameterValues

from .documents import WENZHOU
from .documents import WZ_2026_17 as DOC
from .vocabulary import Application

REFUSED = "不予受理"

# Reading (readings.OFFICE_RECORDS): 一(二)6 is about the 申报书 the unit fills in. Whether the
# leader left a 2024–2025 city project unexecuted (一(二)1), has an integrity or falsification
# record (一(二)2、3), how many applications the leader (counted across all units, 一(一) 每人一项)
# and the unit (二(一) 限额, the office tallies what it receives) made this year, and whether the
# form is true and complete (一(二)6: the office's own finding on review, the form cannot attest
# it) are known from the city office's records, not from the form; their absence does not make
# the form incomplete. Absent, the rule is named as not checked: never as passed.
OFFICE_RECORDS = frozenset({
    Application.LEADER_UNEXECUTED_RECENT, Application.INTEGRITY_RECORD, Application.FALSIFICATION_RECORD,
    Application.LEADER_APPLICATIONS, Application.UNIT_APPLICATIONS, Application.FORM_COMPLETE,
})


def unit_of(project: Project) -> str:
    """The applying unit: the 申报单位, or the 主办单位 where the application does not name it (the
    two must be one, 一(一))."""
    return (Application.APPLICANT.of(project.application) or project.host or "").strip()


def listing(projects) -> str:
    """Other applications named in a finding: 编号《名称》（单位）."""
    return "、".join(f"{q.id}《{q.name}》（{unit_of(q) or '单位不详'}）" for q in projects)


def in_this_round(project: Project) -> bool:
    """A city project of Wenzhou (or of one of its counties): the applications the notice rules.
    A batch may hold other regions' projects too (`jijiao assess` passes the year's)."""
    return project.level is Level.CITY and project.jurisdiction[:4] == WENZHOU.code[:4]


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
    ctx: object = None  # the run's RuleContext: readings taken and the batch (``ctx.projects``)
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

    def reading(self, reading: Reading) -> bool:
        """True while the reading taken applies (False where a what-if took its alternative)."""
        ask = getattr(self.ctx, "reading", None)
        return True if ask is None else ask(reading)

    def said(self, reading: Reading) -> str:
        """The step that says which reading a finding rests on."""
        return reading.step(taken=self.reading(reading))

    def batch_group(self, key) -> list[Project]:
        """The other applications of this round in the batch with the same ``key`` as this one
        (``key`` a module-level function of a project, None where it cannot tell)."""
        mine = key(self.project)
        if mine is None:
            return []
        batch = getattr(self.ctx, "projects", ()) or ()
        group_by = getattr(self.ctx, "projects_by", None)
        if group_by is not None:
            group = group_by(key).get(mine, ())
        else:
            group = [q for q in batch if key(q) == mine]
        return [q for q in group if q.id != self.project.id]

    def lacks(self, what: str, clause_id: str) -> None:
        self.missing.setdefault(what, clause_id)

    def add(self, severity: Severity, clause_id: str, message: str, consequence: str = "",
            reading: Reading | None = None) -> None:
        if reading is not None:
            message = f"{message}；{self.said(reading)}"
        self.findings.append(
            Finding(self.project.id, self.jurisdiction, severity, DOC.ref(clause_id), message, consequence)
        )

    def refuse(self, clause_id: str, message: str, reading: Reading | None = None) -> None:
        self.add(Severity.REFUSED, clause_id, message, REFUSED, reading)

    def warn(self, clause_id: str, message: str, reading: Reading | None = None) -> None:
        self.add(Severity.WARNING, clause_id, message, reading=reading)

    def note(self, clause_id: str, message: str, reading: Reading | None = None) -> None:
        self.add(Severity.NOTE, clause_id, message, reading=reading)


def words_in(text: str, words) -> list[str]:
    return [word for word in words if word in text]
