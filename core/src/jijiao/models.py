"""The domain of continuing medical education (继续医学教育), as immutable attrs values.

Every model is frozen and validated on construction: a value that exists is a valid value.
Each field carries Chinese metadata (``zh``: its label, ``unit`` where it has one); together
with what the plugins declare (`ActivityKind`, `Category`, `Fact`), that is where the Chinese
vocabulary lives: the Gherkin step tables, the importers and the Datasette metadata all read
their labels from here and from the registry.

Core holds the shared domain only. A jurisdiction's own kinds of activity, credit categories,
facts of an activity and fields of a project's application or execution are declared by its
plugin (see "What a plugin declares" below and `hookspecs`).

Reading guide:
- where rules come from: `Jurisdiction`, `Document`, `Clause`, `ClauseRef`, `Parameter`,
  `ParameterSet`;
- what a plugin declares: `ActivityKind`, `Category`, `Fact`, `RequirementKind`;
- what people do: `Practitioner`, `Project`, `Teacher`, `Activity`;
- what the rules say about it: `CreditAward`, `Recognition`, `Cap`, `CapApplication`,
  `Requirement`, `RequirementResult`, `DeemedComplete`, `Finding`, `Deadline`, `AnnualResult`.
"""

from __future__ import annotations

import enum
import types
from collections.abc import Mapping
from datetime import date, datetime, timezone, timedelta
from decimal import ROUND_DOWN, Decimal

import attrs
from attrs import field, frozen, validators as v

CHINA_TZ = timezone(timedelta(hours=8), "CST")
"""China Standard Time (UTC+8, no daylight saving): every deadline in the policies is Beijing time."""


def zh(label: str, unit: str | None = None, **extra) -> dict:
    """Field metadata: the Chinese label (and unit) shown to policy staff and analysts."""
    return {"zh": label, "unit": unit, **extra}


# --------------------------------------------------------------------------------------------
# Texts of results
# --------------------------------------------------------------------------------------------


class Composed(str):
    """A text of a result (a step, a cap's name) made of pieces, where one piece is a
    practitioner's own and the rest is wording everyone's results share: 辽宁 三(一)'s step
    "项目 X当年 3 条记录（A1、A2、A3）合计 12 学分，……" names the person's records, and so does the
    cap that cut them. It *is* the whole text (a ``str``): whoever reads, compares or formats it
    sees the text and nothing else. Only the result writer looks at ``pieces``: it stores each
    piece once (result_texts.py), so the records' piece is stored once for the project's steps
    and its cap, and the wording once for everybody, instead of a whole text per record.

    Compose where a text would otherwise be one per activity; ``Composed(records, wording)``.
    (An f-string of a Composed is a plain str again: compose the finished pieces.)"""

    pieces: tuple[str, ...]

    def __new__(cls, *pieces: str) -> "Composed":
        text = super().__new__(cls, "".join(pieces))
        text.pieces = pieces
        return text

    def __getnewargs__(self) -> tuple[str, ...]:  # pickled to a worker and back with its pieces
        return self.pieces


def numbered_steps(steps: "tuple[str, ...]") -> str:
    """Steps as the explanation reads them, "1. …\n2. …"; composed (`Composed`) where a step is,
    its number a piece of its own so the step's pieces stay whole."""
    if not any(isinstance(step, Composed) for step in steps):
        return "\n".join(f"{i}. {step}" for i, step in enumerate(steps, 1))
    pieces: list[str] = []
    for i, step in enumerate(steps, 1):
        if i > 1:
            pieces.append("\n")
        pieces += [f"{i}. ", *step.pieces] if isinstance(step, Composed) else [f"{i}. {step}"]
    return Composed(*pieces)


# --------------------------------------------------------------------------------------------
# Credits
# --------------------------------------------------------------------------------------------

CREDIT_QUANTUM = Decimal("0.1")


def credits(value) -> Decimal:
    """Round a computed credit amount the way a regulator would: down to 0.1 credit.

    The policies state rates ("每3小时授予1学分") and one-decimal limits ("5.0学分") but no
    rounding rule. Rounding down never grants more than the rate supports (over-granting, 超发,
    is itself a violation in 辽卫办发〔2026〕56号 四(五)), so that is the reading we take.
    """
    return Decimal(value).quantize(CREDIT_QUANTUM, rounding=ROUND_DOWN)


def _nonneg(instance, attribute, value):
    if value is not None and value < 0:
        raise ValueError(f"{attribute.name} must not be negative, got {value}")


def _percent(instance, attribute, value):
    if value is not None and not (0 <= value <= 100):
        raise ValueError(f"{attribute.name} must be a percentage from 0 to 100, got {value}")


def _to_decimal(value):
    if value is None or isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise TypeError("expected a number, got a boolean")
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


def _opt_decimal(label, unit=None, **kw):
    return field(default=None, converter=_to_decimal, validator=_nonneg, metadata=zh(label, unit), **kw)


def _member(enum_cls):
    """Converter: a member of ``enum_cls``, as ``enum_cls.parse`` gives it, in one call for a member."""
    parse = enum_cls.parse

    def convert(value):
        return value if value.__class__ is enum_cls else parse(value)

    return convert


def _optional_member(enum_cls):
    """Converter: None, or a member of ``enum_cls`` parsed from its code or label.

    The same as ``attrs.converters.optional(enum_cls.parse)``, in one call: a province's year
    builds millions of activities whose stored values are already members."""
    parse = enum_cls.parse

    def convert(value):
        return value if value is None or value.__class__ is enum_cls else parse(value)

    return convert


def _facts(value) -> Mapping:
    """A plugin-declared facts mapping, without the facts that are not recorded (None)."""
    if value is EMPTY_FACTS or value.__class__ is dict and None not in value.values():
        return value or EMPTY_FACTS
    return {k: v for k, v in dict(value).items() if v is not None} or EMPTY_FACTS


def _facts_or_none(value) -> Mapping | None:
    return None if value is None else dict(_facts(value))


_AT_LEAST_ONE_CHARACTER = v.min_len(1)


def _nonempty(instance, attribute, value):
    """``validators.min_len(1)`` (its message on failure), with the common case -- a non-empty
    string -- decided without a call."""
    if value.__class__ is not str or not value:
        _AT_LEAST_ONE_CHARACTER(instance, attribute, value)


# --------------------------------------------------------------------------------------------
# Enumerations: each member's value is its stable code, `.zh` its Chinese label.
# --------------------------------------------------------------------------------------------


class LabelledEnum(str, enum.Enum):
    """A str enum whose members also carry a Chinese label; parse accepts either."""

    def __new__(cls, code: str, label: str):
        member = str.__new__(cls, code)
        member._value_ = code
        member.zh = label
        return member

    def __str__(self) -> str:
        return self.value

    @classmethod
    def parse(cls, text: str):
        if isinstance(text, cls):  # already a member: the common case when reading stored rows
            return text
        for member in cls:
            if text in (member.value, member.zh, member.name):
                return member
        allowed = "、".join(m.zh for m in cls)
        raise ValueError(f"unknown {cls.__name__} {text!r}; expected one of: {allowed}")


class Level(LabelledEnum):
    """Administrative level of a jurisdiction, project, exam, grant, award or competition."""

    NATIONAL = "national", "国家级"
    PROVINCIAL = "provincial", "省级"
    CITY = "city", "市级"
    COUNTY = "county", "县级"
    HOSPITAL = "hospital", "院级"
    DEPARTMENT = "department", "科级"

    def at_least(self, other: "Level") -> bool:
        """True if this level is ``other`` or higher (国家级 is the highest)."""
        order = list(Level)
        return order.index(self) <= order.index(other)


class DocumentStatus(LabelledEnum):
    IN_FORCE = "in_force", "现行有效"
    TRIAL = "trial", "试行"
    DRAFT_FOR_COMMENT = "draft_for_comment", "征求意见稿"


class Mode(LabelledEnum):
    """How a project is delivered: 面授/线下 (face to face) or 远程/线上 (remote)."""

    FACE_TO_FACE = "face_to_face", "面授"
    REMOTE = "remote", "远程"

    @classmethod
    def parse(cls, text: str):
        aliases = {"线下": cls.FACE_TO_FACE, "线上": cls.REMOTE}
        return aliases.get(text) or super().parse(text)


class Medicine(LabelledEnum):
    WESTERN = "western", "西医"
    TCM = "tcm", "中医"


class Role(LabelledEnum):
    PARTICIPANT = "participant", "参加者"
    LECTURER = "lecturer", "主讲人"


class Title(LabelledEnum):
    """Professional title ladder (专业技术职务)."""

    NONE = "none", "无职称"
    JUNIOR = "junior", "初级"
    INTERMEDIATE = "intermediate", "中级"
    ASSOCIATE_SENIOR = "associate_senior", "副高级"
    SENIOR = "senior", "正高级"

    @property
    def rank(self) -> int:
        return list(Title).index(self)


class Severity(LabelledEnum):
    """How serious a finding is, most serious first."""

    ERROR = "error", "规则出错"
    REFUSED = "refused", "不予受理"
    VIOLATION = "violation", "违规"
    WARNING = "warning", "提醒"
    NOTE = "note", "说明"


class AwardStatus(LabelledEnum):
    """What became of an activity's credit. UNDETERMINED: the rule that would decide it is in a
    document we do not have (the award names it, and its ``bound`` where one is known)."""

    AWARDED = "awarded", "授予"
    REFUSED = "refused", "不予授予"
    PENDING = "pending", "待审核"
    UNDETERMINED = "undetermined", "无法判定"


class RecognitionStatus(LabelledEnum):
    RECOGNISED = "recognised", "认可"
    REFUSED = "refused", "不予认可"
    PENDING = "pending", "待审核"


class Review(LabelledEnum):
    """The outcome of a review (审核): one three-state fact everywhere a credit waits on one.

    Not recorded is 待审核 -- a review nobody recorded has not happened for us, and grants
    nothing. A region's process may have several reviewing levels (长沙 第二十条: 所在单位, then
    市卫生健康委): each is a fact of this type its plugin declares; `combined` reads them
    together. The old yes/no column 已审核通过 (`Activity.approved`) keeps importing: 是 is
    通过, and what 否 means is the region's (`Review.of`: 长沙 不通过, 辽宁 待审核)."""

    PASSED = "passed", "通过"
    PENDING = "pending", "待审核"
    REJECTED = "rejected", "不通过"

    @classmethod
    def of(cls, activity, *, no: "Review") -> "Review":
        """An activity's review (`Activity.review`), else what its old yes/no 已审核通过 says,
        reading 否 as ``no`` (the region's documented meaning); absent: 待审核."""
        if activity.review is not None:
            return activity.review
        review = cls.from_yes_no(activity.approved, no=no)
        return cls.PENDING if review is None else review

    @classmethod
    def from_yes_no(cls, value: bool | None, *, no: "Review") -> "Review | None":
        """An old yes/no column read as a review: 是 is 通过, 否 is ``no`` (the region's documented
        meaning); None where not recorded (the caller says what that means)."""
        return None if value is None else (cls.PASSED if value else no)

    @classmethod
    def combined(cls, levels) -> "Review":
        """Several levels' reviews of one record: 不通过 where any level refused it, 通过 where
        every level passed it, else 待审核 (absent levels are 待审核)."""
        levels = [cls.PENDING if level is None else level for level in levels]
        if cls.REJECTED in levels:
            return cls.REJECTED
        return cls.PASSED if levels and all(level is cls.PASSED for level in levels) else cls.PENDING


# --------------------------------------------------------------------------------------------
# Where rules come from
# --------------------------------------------------------------------------------------------


def _code(instance, attribute, value):
    if value is not None and not (len(value) == 6 and value.isdigit()):
        raise ValueError(f"{attribute.name} must be a six-digit GB/T 2260 code, got {value!r}")


NATIONAL_CODE = "000000"
"""GB/T 2260 has no code for the country as a whole; we use 000000 for the national layer."""


@frozen
class Jurisdiction:
    """A level of government whose health commission makes CME rules.

    Attributes:
        code: GB/T 2260 administrative division code (Liaoning 210000, Wenzhou 330300);
            `NATIONAL_CODE` for the country.
        name: Official name, e.g. 温州市.
        level: national, provincial or city.
        parent: Code of the jurisdiction above, None for the national level.
    """

    code: str = field(validator=_code, metadata=zh("行政区划代码"))
    name: str = field(validator=v.min_len(1), metadata=zh("名称"))
    level: Level = field(converter=Level.parse, metadata=zh("层级"))
    parent: str | None = field(default=None, validator=_code, metadata=zh("上级行政区划代码"))

    @level.validator
    def _level(self, attribute, value):
        if value not in (Level.NATIONAL, Level.PROVINCIAL, Level.CITY):
            raise ValueError(f"a jurisdiction is national, provincial or city, not {value.zh}")
        if (value is Level.NATIONAL) != (self.parent is None):
            raise ValueError("only the national jurisdiction has no parent")


@frozen
class ClauseRef:
    """A pointer to one clause: the document's id and the clause's number within it.

    Clause ids follow the document's own numbering: 一, 三(一), 四(一)3, 第十二条.
    Written as a scenario tag: ``@<document>/<clause>``, e.g. ``@nhc-2019-702/三``.
    """

    document: str = field(validator=v.min_len(1))
    clause: str = field(validator=v.min_len(1))

    def __str__(self) -> str:
        return f"{self.document}/{self.clause}"

    @classmethod
    def parse(cls, text: str) -> "ClauseRef":
        document, sep, clause = text.partition("/")
        if not sep:
            raise ValueError(f"a clause reference is <document>/<clause>, got {text!r}")
        return cls(document, clause)


@frozen
class Clause:
    """One clause of a source document, with its text as published.

    Attributes:
        ref: Document id and clause id.
        text: The clause's wording, quoted from the document (may be an excerpt).
        computable: Whether the clause states something a rule can compute or check; exhortations
            ("提高思想重视程度") are not, and coverage reports leave them out.
        summary: A one-line description in Chinese.
    """

    ref: ClauseRef
    text: str = field(validator=v.min_len(1))
    computable: bool = True
    summary: str = ""


@frozen
class Document:
    """A published policy document.

    Attributes:
        id: Short stable id used in clause references and tags, e.g. ``nhc-2019-702``.
        title: Full title.
        number: 文号 such as 辽卫办发〔2026〕56号, or "" where the document has none.
        issuer: The issuing office.
        issued: Date of issue.
        status: In force, trial or draft for comment.
        jurisdiction: Code of the jurisdiction it rules.
        effective_from / effective_until: The period it governs: from its date of effect (its
            date of issue where it says 自印发/发布之日起施行), until the day before another
            document takes its place (None: open).
        effect_unknown: True where the date of effect is in a part of the text we do not hold
            (20号): `in_force` answers None instead of guessing.
        repeals: The numbers (or titles) of the documents it repeals or replaces, as it names them.
        source: The file of the published text under shared/policies/.
        clauses: Its clauses.
    """

    id: str = field(validator=v.min_len(1))
    title: str = field(validator=v.min_len(1))
    number: str
    issuer: str
    issued: date
    status: DocumentStatus = field(converter=DocumentStatus.parse)
    jurisdiction: str = field(validator=_code)
    source: str = ""
    effective_from: date | None = None
    effective_until: date | None = None
    clauses: tuple[Clause, ...] = field(default=(), converter=tuple)
    effect_unknown: bool = False
    repeals: tuple[str, ...] = field(default=(), converter=tuple)

    def in_force(self, on: date) -> bool | None:
        """Whether it governs the given day; None where its date of effect is not known."""
        if self.effective_until is not None and on > self.effective_until:
            return False
        if on < (self.effective_from or self.issued):
            return False  # nothing takes effect before it is issued
        return None if self.effective_from is None and self.effect_unknown else True

    def governs_year(self, year: int) -> bool | None:
        """Whether its rules judge the given year: those in force on the year's last day
        (the day the year's credits are counted; see hookspecs, "Rules in force by date")."""
        return self.in_force(year_end(year))

    def clause(self, clause_id: str) -> Clause:
        # Rules cite clauses for every award of a year: look them up by id, indexed once.
        entry = _CLAUSE_INDEX.get(id(self))
        if entry is None or entry[0] is not self:
            index: dict[str, Clause] = {}
            for clause in self.clauses:
                index.setdefault(clause.ref.clause, clause)  # the first listed, as a scan would find
            entry = _CLAUSE_INDEX[id(self)] = (self, index)
        try:
            return entry[1][clause_id]
        except KeyError:
            raise KeyError(f"{self.id} has no clause {clause_id!r}") from None

    def ref(self, clause_id: str) -> ClauseRef:
        """The reference to one of this document's clauses; fails if the clause is not listed."""
        entry = _CLAUSE_INDEX.get(id(self))  # the common case, once indexed: no further call
        if entry is not None and entry[0] is self and clause_id in entry[1]:
            return entry[1][clause_id].ref
        return self.clause(clause_id).ref


def year_end(year: int) -> date:
    """The day that decides which annual rules judge a year."""
    return date(year, 12, 31)


_CLAUSE_INDEX: dict[int, tuple[Document, dict[str, Clause]]] = {}  # id(document) -> (document, clauses by id)


@frozen
class MissingDocument:
    """A document a rule depends on that we do not have: results name it instead of guessing."""

    title: str
    number: str
    needed_for: str
    owner: str | None = field(default=None, validator=_code)
    """The jurisdiction expected to supply it (浙江省 for Zhejiang's provincial rules). Where that
    jurisdiction's plugin is installed on the chain, it speaks for its own documents and the host
    drops this entry (a layer below cannot know what an installed province holds)."""
    issued_year: int | None = None
    """The year it was issued, where known (the 〔2024〕 of its number): it governs no year
    before, so results of earlier years do not name it (engine.missing_documents)."""

    @property
    def citation(self) -> str:
        return cite_document(self.title, self.number)


def cite_document(title: str, number: str) -> str:
    """How results cite a document: 《title》（number）, or 《title》 alone where it has no number
    (never an empty "（）")."""
    return f"《{title}》（{number}）" if number else f"《{title}》"


@frozen
class Parameter:
    """A number (or date) from a policy, with the clause it comes from.

    Attributes:
        key: Name within its plugin, e.g. ``annual_credits``; addressed as
            ``<plugin>.<key>`` for what-if runs (``liaoning.annual_credits``).
        value: The policy's value (Decimal, int, date, datetime or str); None for a number that
            only a document we do not have states (a what-if run may supply it as a Decimal).
        unit: 学分, 小时, %, 天 ...
        clause: Where the value is stated.
        description: What it means, in Chinese.
        assumed: True where no document we hold states the value (see `MissingDocument`).
        since: The day this value takes effect (None: as long as the plugin's rules apply). A
            `ParameterSet` may list one key several times with different ``since``: its
            history, each value with its own clause; rules read the value in force on the judged
            day (`RuleContext.params`), and before the first ``since`` the key has no value (None).
    """

    key: str = field(validator=v.matches_re(r"[a-z][a-z0-9_]*"))
    value: object
    unit: str
    clause: ClauseRef | None
    description: str
    assumed: bool = False
    since: date | None = None


def in_force_version(history: "tuple[Parameter, ...]", on: date | None) -> "Parameter | None":
    """The version of a parameter in force on ``on`` (the latest when ``on`` is None), from its
    history ordered by ``since``; None where no version has taken effect yet."""
    if on is None:
        return history[-1]
    found = None
    for version in history:
        if version.since is None or version.since <= on:
            found = version
    return found


@frozen
class ParameterSet:
    """A plugin's policy numbers under the name it declares (what-if keys are ``<namespace>.<key>``).

    Rules read them with ``p = ctx.params(PARAMETERS)``, passing this very object, so that the
    namespace is never a string that must match an entry point's name.
    """

    namespace: str = field(validator=v.matches_re(r"[a-z][a-z0-9_]*"))
    parameters: tuple[Parameter, ...] = field(converter=tuple)


# --------------------------------------------------------------------------------------------
# What a plugin declares: its vocabulary
# --------------------------------------------------------------------------------------------
#
# Core knows no jurisdiction's kinds of activity, credit categories or facts: each plugin
# declares its own through the registration hooks (`hookspecs.jijiao_activity_kinds`,
# `jijiao_categories`, `jijiao_facts`, `jijiao_requirement_kinds`), and the importers, the
# tables, the Datasette labels and the step tables are made from those declarations. A declared
# value is known by its code from the moment its module is imported (like an enum member), so
# that a stored code reads back as the very object the plugin compares with (``kind is PROJECT``).


class _Declared:
    """Interning for declared vocabulary: one object per code, found by code or Chinese label."""

    _known: dict  # set per subclass

    def __attrs_post_init__(self):
        self._known.setdefault(self.code, self)

    def __str__(self) -> str:
        return self.code

    @property
    def value(self) -> str:
        """The stable code (the name an enum would give it), as stored in the database."""
        return self.code

    @classmethod
    def parse(cls, text):
        if isinstance(text, cls):
            return text
        found = cls._known.get(text)
        if found is not None:
            return found
        for item in cls._known.values():
            if text == item.zh:
                return item
        allowed = "、".join(item.zh for item in cls._known.values()) or "（未安装声明它们的插件）"
        raise ValueError(f"unknown {cls.__name__} {text!r}; expected one of: {allowed}")

    @classmethod
    def known(cls) -> tuple:
        return tuple(cls._known.values())


@frozen(eq=False)
class ActivityKind(_Declared):
    """A kind of CME activity a jurisdiction's documents name, e.g. 继续医学教育项目 (国卫办科教发
    〔2024〕20号 二) or 发表论文或综述 (辽宁方案 三(六)7).

    Attributes:
        code: Stable code, stored in the database and accepted in files (``self_paper``).
        zh: Chinese label, as the document words it; also accepted in files.
        clause: Where the document names it.
        parent: The broader kind it is a case of (the 14 kinds of planned self-study are cases of
            有计划的自学), or None.
        description: One line for `jijiao steps --fields` and docs/data-format.md.
    """

    _known = {}
    code: str = field(validator=v.matches_re(r"[a-z][a-z0-9_]*"))
    zh: str = field(validator=v.min_len(1))
    clause: ClauseRef | None = None
    parent: "ActivityKind | None" = None
    description: str = ""

    def is_a(self, other: "ActivityKind") -> bool:
        """True if this kind is ``other`` or one of its cases."""
        kind = self
        while kind is not None:
            if kind is other:
                return True
            kind = kind.parent
        return False


@frozen(eq=False)
class Category(_Declared):
    """What an award counts towards: Ⅰ类学分 (国卫办科教函〔2019〕702号 三), 公共科目学时 (长沙 第九条).

    Attributes:
        code / zh: Stable code and Chinese label.
        unit: 学分 for credit categories (they add up to the year's credits) or 学时 for hours.
        clause: Where the category is named.
    """

    _known = {}
    code: str = field(validator=v.matches_re(r"[a-z][a-z0-9_]*"))
    zh: str = field(validator=v.min_len(1))
    unit: str = "学分"
    clause: ClauseRef | None = None

    @property
    def counts_as_credits(self) -> bool:
        return self.unit == "学分"


RECORDS = ("activity", "application", "execution")
"""What a declared fact describes: an activity, or a project's application or execution."""


@frozen(eq=False)
class Fact:
    """A fact a plugin's rules read, declared by the plugin: a column of the input files and tables.

    Attributes:
        name: Column name in files and tables (``journal_tier``); unique per record, except that
            two plugins may declare the same fact identically (both Wenzhou and Changsha read an
            application's 网上申报时间).
        zh: Chinese label (also accepted as a column name).
        type: bool, int, Decimal, str, date, datetime, a `LabelledEnum` subclass, or tuple[str, ...].
        record: ``activity``, ``application`` or ``execution`` (see `RECORDS`).
        unit: 小时, %, 字 ... or None.
        personal: Personal data (masked wherever it is shown).
        clause: The clause whose rule reads it.
        description: One line for the docs and the step tables.
    """

    name: str = field(validator=v.matches_re(r"[a-z][a-z0-9_]*"))
    zh: str = field(validator=v.min_len(1))
    type: object
    record: str = field(default="activity", validator=v.in_(RECORDS))
    unit: str | None = None
    personal: bool = False
    clause: ClauseRef | None = None
    description: str = ""
    minimum: object = None
    """The smallest value that means something (a rank starts at 1), checked where data enters."""
    maximum: object = None
    """The largest (a percentage: 100), checked where data enters."""

    def of(self, record):
        """This fact's value on ``record`` (an Activity, or a project's application or execution
        facts), None where it is not recorded."""
        # Rules ask this for every activity: an attribute lookup, not an isinstance(Mapping) check.
        facts = getattr(record, "facts", record)
        return None if facts is None else facts.get(self.name)

    def same_as(self, other: "Fact") -> bool:
        return (self.name, self.zh, self.type, self.record, self.unit, self.personal) == (
            other.name, other.zh, other.type, other.record, other.unit, other.personal)


@frozen(eq=False)
class RequirementKind:
    """A kind of annual requirement, declared once (`hookspecs.jijiao_requirement_kinds`).

    A lower layer's requirement of the same kind replaces the one above (Liaoning's 25 credits
    replace the national number); a kind that ``replaces`` another replaces that one too
    (Changsha's professional credits replace the national total). A rule that gives a
    requirement of an undeclared kind, or a kind that replaces an undeclared one, is a
    registration error, never a silent second requirement.

    Attributes:
        name: Stable name, stored in ``requirement_results.requirement`` (``annual_credits``).
        label: Chinese label (年度学分).
        replaces: The declared kind it replaces, or None.
    """

    name: str = field(validator=v.matches_re(r"[a-z][a-z0-9_]*"))
    label: str = field(validator=v.min_len(1))
    replaces: "RequirementKind | None" = None

    def lineage(self) -> tuple["RequirementKind", ...]:
        """This kind and every kind it replaces, directly or through another."""
        found, kind = [], self
        while kind is not None and kind not in found:
            found.append(kind)
            kind = kind.replaces
        return tuple(found)


@frozen(eq=False)
class Reading:
    """How a plugin reads a clause the document leaves open, declared so that it is said out loud.

    Every award or result that depends on it carries `step` ("按本插件的理解：…"); ``jijiao
    plugins`` and the ``readings`` table list them; where the other reading can be computed too
    (``switchable``) a what-if may take it (``--reading liaoning.remote_three_steps=alternative``).

    Attributes:
        key: ``<namespace>.<name>``, unique (``liaoning.remote_three_steps``).
        clause: The clause read.
        taken: The reading the plugin takes, in Chinese.
        alternative: The other reading a regulator might take.
        switchable: Whether the plugin's rules can compute the alternative.
    """

    key: str = field(validator=v.matches_re(r"[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*"))
    clause: ClauseRef
    taken: str = field(validator=v.min_len(1))
    alternative: str = field(validator=v.min_len(1))
    switchable: bool = False

    def step(self, taken: bool = True) -> str:
        """The explanation step that says which reading a result rests on."""
        if taken:
            return f"按本插件的理解：{self.taken}（{self.clause}）"
        return f"按假设分析所选的另一种理解：{self.alternative}（{self.clause}）"


EMPTY_FACTS: Mapping = types.MappingProxyType({})

MAPPING_FIELDS = frozenset({"facts", "application", "execution"})
"""The model fields that hold plugin-declared facts (`Activity.facts`, `Project.application`,
`Project.execution`): their columns and labels come from the declarations, not the model."""


# --------------------------------------------------------------------------------------------
# What people do
# --------------------------------------------------------------------------------------------


@frozen
class Practitioner:
    """A health professional (卫生专业技术人员) who must earn CME credits.

    Attributes:
        id: Stable key, e.g. the platform's person number.
        name: Name.
        jurisdiction: Code of the jurisdiction whose rules apply (where they practise).
        unit: Employing unit (用人单位).
        unit_level: Level of the unit (e.g. 县级 for county and below, which 702号 三 lets
            provinces treat differently).
        grassroots: Whether the unit is a grassroots (基层) institution.
        title: Professional title.
        profession: 医师, 护士, 药师, 技师, 乡村医生 ...
        medicine: Western medicine or TCM.
        id_number: Resident ID number (personal data: never shown unmasked).
        phone: Phone number (personal data).
    """

    id: str = field(validator=_nonempty, metadata=zh("人员编号"))
    name: str = field(default="", metadata=zh("姓名"))
    jurisdiction: str = field(default="000000", validator=_code, metadata=zh("执业地区", place=True))
    unit: str = field(default="", metadata=zh("工作单位"))
    unit_level: Level | None = field(
        default=None, converter=_optional_member(Level), metadata=zh("单位级别")
    )
    grassroots: bool = field(default=False, metadata=zh("基层单位"))
    title: Title = field(default=Title.JUNIOR, converter=Title.parse, metadata=zh("职称"))
    profession: str = field(default="医师", metadata=zh("专业类别"))
    medicine: Medicine = field(default=Medicine.WESTERN, converter=Medicine.parse, metadata=zh("医学类别"))
    id_number: str = field(default="", metadata=zh("身份证号", personal=True))
    phone: str = field(default="", metadata=zh("联系电话", personal=True))


@frozen
class Teacher:
    """A teacher of a project (授课教师)."""

    name: str = field(metadata=zh("姓名"))
    title: Title = field(converter=Title.parse, metadata=zh("职称"))
    unit: str = field(default="", metadata=zh("工作单位"))
    specialty: str = field(default="", metadata=zh("专业"))
    practical: bool = field(default=False, metadata=zh("实验或技术示范教师"))


@frozen
class Project:
    """A CME project (继续医学教育项目), as applied for, approved and held.

    Attributes:
        id: Project number (项目编号).
        name: Project name.
        jurisdiction: Code of the jurisdiction whose rules govern it (where it is held/approved).
        level: national, provincial or city project.
        mode: face to face or remote.
        medicine: Western medicine or TCM.
        host: Host unit (主办单位); co_host: co-host (协办单位), needed for out-of-province hosts.
        host_province: Code of the host's province, where it differs from the jurisdiction.
        leader: Project leader (项目负责人).
        teachers: The teachers.
        hours: Teaching hours (60 minutes each, teaching time only).
        requested_credits: Credits applied for.
        planned_enrolment: Planned trainees per session.
        sessions: Number of sessions (期数) a year.
        start / end: Dates held.
        application / execution: The facts of its application (申报) and of its execution
            (执行情况) that the plugins declare (`Fact` with record ``application`` or
            ``execution``), by fact name; None where the project has no such part.
    """

    id: str = field(validator=v.min_len(1), metadata=zh("项目编号"))
    name: str = field(default="", metadata=zh("项目名称"))
    jurisdiction: str = field(default="000000", validator=_code, metadata=zh("项目所属地区", place=True))
    level: Level = field(default=Level.PROVINCIAL, converter=Level.parse, metadata=zh("项目级别"))
    mode: Mode = field(default=Mode.FACE_TO_FACE, converter=Mode.parse, metadata=zh("举办形式"))
    medicine: Medicine = field(default=Medicine.WESTERN, converter=Medicine.parse, metadata=zh("医学类别"))
    host: str = field(default="", metadata=zh("主办单位"))
    venue: str = field(default="", metadata=zh("举办地点"))
    content: str = field(default="", metadata=zh("培训内容"))
    audience: str = field(default="", metadata=zh("培训对象"))
    co_host: str = field(default="", metadata=zh("协办单位"))
    host_province: str | None = field(default=None, validator=_code, metadata=zh("主办单位所在省", place=True))
    leader: str = field(default="", metadata=zh("项目负责人"))
    teachers: tuple[Teacher, ...] = field(default=(), converter=tuple, metadata=zh("授课教师"))
    hours: Decimal | None = _opt_decimal("教学学时", "小时")
    requested_credits: Decimal | None = _opt_decimal("申请学分", "学分")
    planned_enrolment: int | None = field(default=None, validator=_nonneg, metadata=zh("拟招生人数"))
    sessions: int = field(default=1, validator=v.ge(1), metadata=zh("举办期数"))
    start: date | None = field(default=None, metadata=zh("开始日期"))
    end: date | None = field(default=None, metadata=zh("结束日期"))
    application: Mapping | None = field(default=None, converter=_facts_or_none, metadata=zh("申报信息"))
    execution: Mapping | None = field(default=None, converter=_facts_or_none, metadata=zh("执行信息"))

    @end.validator
    def _dates(self, attribute, value):
        if value is not None and self.start is not None and value < self.start:
            raise ValueError(f"end {value} is before start {self.start}")


FIRST_YEAR, LAST_YEAR = 1990, 2100
_YEAR_RANGE = v.and_(v.ge(FIRST_YEAR), v.le(LAST_YEAR))


def _activity_year(instance, attribute, value):
    """A year from 1990 to 2100 (``_YEAR_RANGE`` decides, and words the error, unless plainly so)."""
    if value.__class__ is not int or not FIRST_YEAR <= value <= LAST_YEAR:
        _YEAR_RANGE(instance, attribute, value)


@frozen
class Activity:
    """One CME activity of one practitioner, with the facts the credit rules read.

    The fields here are the ones every jurisdiction's rules share; a plugin's own facts (a
    journal's tier, attendance checks per day ...) are in ``facts``, by the name the plugin
    declared (`Fact`). Only the facts the activity's kind needs are given; the rest stay None
    (not recorded: unknown, never "done"). Project facts are copied onto the activity (level,
    mode, where published) so that an activity can be judged on its own.
    """

    id: str = field(validator=_nonempty, metadata=zh("活动编号"))
    practitioner: str = field(validator=_nonempty, metadata=zh("人员编号"))
    kind: ActivityKind = field(converter=_member(ActivityKind), metadata=zh("活动类型"))
    year: int = field(validator=_activity_year, metadata=zh("年度"))
    role: Role = field(default=Role.PARTICIPANT, converter=_member(Role), metadata=zh("角色"))
    date: date | None = field(default=None, metadata=zh("日期"))
    # Project attendance
    project: str | None = field(default=None, metadata=zh("项目编号"))
    project_level: Level | None = field(
        default=None, converter=_optional_member(Level), metadata=zh("项目级别")
    )
    project_mode: Mode | None = field(
        default=None, converter=_optional_member(Mode), metadata=zh("举办形式")
    )
    project_jurisdiction: str | None = field(default=None, validator=_code, metadata=zh("项目公布地区", place=True))
    medicine: Medicine | None = field(
        default=None, converter=_optional_member(Medicine), metadata=zh("医学类别")
    )
    # Quantities
    hours: Decimal | None = _opt_decimal("学时", "小时")
    months: Decimal | None = _opt_decimal("累计时间", "月")
    # Outcome and the level of what was done (an exam set, a grant, an award)
    passed: bool | None = field(default=None, metadata=zh("考核合格"))
    level: Level | None = field(
        default=None, converter=_optional_member(Level), metadata=zh("级别")
    )
    # Certificates, approval and registration
    certified_credits: Decimal | None = _opt_decimal("证书学分", "学分")
    category: Category | None = field(
        default=None, converter=_optional_member(Category), metadata=zh("学分类别")
    )
    certificate_uploaded: bool | None = field(default=None, metadata=zh("已上传学分证书"))
    approved: bool | None = field(default=None, metadata=zh("已审核通过"))
    """The old yes/no review column, kept importing: read it through `Review.of` (是: 通过; 否: the
    region's meaning), never directly; ``review`` wins where both are given."""
    review: "Review | None" = field(default=None, converter=_optional_member(Review), metadata=zh("审核结果"))
    """通过 / 待审核 / 不通过: the review the activity's credit waits on (absent: 待审核)."""
    registered_on: date | None = field(default=None, metadata=zh("学分登记日期"))
    falsified: bool = field(default=False, metadata=zh("弄虚作假"))
    facts: Mapping = field(default=EMPTY_FACTS, converter=_facts, metadata=zh("其他事实"))


# --------------------------------------------------------------------------------------------
# What the rules say
# --------------------------------------------------------------------------------------------


@frozen
class CreditAward:
    """The credit one activity earns under one jurisdiction's rules.

    Attributes:
        activity / practitioner: Ids of what was judged.
        jurisdiction: Code of the jurisdiction whose rule decided.
        status: Awarded, refused (with reasons) or pending review.
        credits: Credits counted (0 unless awarded).
        category: What they count towards.
        clauses: Every clause that produced the result.
        steps: The reasoning, step by step, in Chinese, each step naming its numbers.
        deems_complete: The activity alone completes the year (e.g. 3 months' further study).
        cap_group: Name of the annual cap this award falls under, if any.
        recognition: The recognition that decided whether the activity counts at all (set by the
            host from the chain's answers; None where no layer answered).
        binding: A higher level's mandate on the credit itself: no layer below may replace this
            award (see `hookspecs.jijiao_credit`).
        missing: For an undetermined award, the document whose rule would decide it.
        bound: For an undetermined award, the most it can earn where that is known (the credits
            on its certificate); None: no bound is known.
    """

    activity: str
    practitioner: str
    jurisdiction: str
    status: AwardStatus = field(converter=_member(AwardStatus))
    credits: Decimal = field(converter=_to_decimal)
    category: Category | None = None
    clauses: tuple[ClauseRef, ...] = field(default=(), converter=tuple)
    steps: tuple[str, ...] = field(default=(), converter=tuple)
    deems_complete: bool = False
    cap_group: str | None = None
    recognition: Recognition | None = None
    binding: bool = False
    missing: MissingDocument | None = None
    bound: Decimal | None = field(default=None, converter=_to_decimal, validator=_nonneg)

    @credits.validator
    def _only_awarded_counts(self, attribute, value):
        # Not negative, then only if awarded: one validator, not two (a year builds millions of awards).
        _nonneg(self, attribute, value)
        if self.status is not AwardStatus.AWARDED and value != 0:
            raise ValueError("only an awarded activity carries credits")

    @property
    def explanation(self) -> str:
        return numbered_steps(self.steps)


@frozen
class Recognition:
    """Whether an activity counts in a jurisdiction at all (before any credit is computed).

    ``binding`` marks a higher level's mandate: no layer below may decide otherwise
    (702号 一: national remote projects count everywhere, "各地不得直接或变相设置区域准入条件").
    """

    activity: str
    jurisdiction: str
    status: RecognitionStatus = field(converter=_member(RecognitionStatus))
    clause: ClauseRef
    reason: str
    binding: bool = False


@frozen
class Cap:
    """An annual ceiling on the credits of a group of awards (e.g. 有计划的自学 at most 10 a year).

    Awards belong to a cap by their ``cap_group`` (or, where ``groups`` lists several, by any).
    """

    name: str
    limit: Decimal = field(converter=_to_decimal, validator=_nonneg)
    groups: tuple[str, ...] = field(converter=tuple)
    clause: ClauseRef
    jurisdiction: str
    description: str = ""


@frozen
class CapApplication:
    """What one cap cut in one practitioner's year."""

    cap: str
    clause: ClauseRef
    limit: Decimal
    before: Decimal
    after: Decimal
    activities: tuple[str, ...] = field(converter=tuple)


@frozen
class RestatedAwards:
    """What `hookspecs.jijiao_year_awards` returns where its restatement applied a ceiling across
    records (辽宁 三(一): one project's credits across all of its records): the restated awards,
    and a `CapApplication` for each ceiling that cut, its ``cap`` naming the project and its
    records and its ``activities`` the records cut -- as an annual cap's does."""

    awards: tuple["CreditAward", ...] = field(converter=tuple)
    caps: tuple[CapApplication, ...] = field(default=(), converter=tuple)


@frozen
class Requirement:
    """An annual requirement: so many credits (or hours) in given categories.

    ``kind`` is the declared `RequirementKind`: a more specific layer's requirement of the same
    kind (or of a kind that replaces it) replaces the one above; requirements of unrelated kinds
    all apply. ``required`` is None where the number comes from a document we do not have; then
    ``missing`` names it and the requirement cannot be judged.
    """

    kind: RequirementKind
    categories: tuple[Category, ...] = field(converter=tuple)
    required: Decimal | None = field(converter=_to_decimal)
    unit: str
    clause: ClauseRef | None
    jurisdiction: str
    missing: MissingDocument | None = None
    assumed: bool = False
    wording: str | None = None
    """The layer's own name for it, where its document words the same requirement differently
    (长沙 calls the CME credits 专业科目学分); default: the kind's label."""
    readings: tuple = field(default=(), converter=tuple)
    """The `Reading` values its number or its standing rests on (national: 20号 governs from
    2025). Stored with each result by key; said once per run in full (a run-level finding)."""

    def __attrs_post_init__(self):
        if self.required is None and self.missing is None:
            raise ValueError("a requirement without a number must name the missing document")

    @property
    def name(self) -> str:
        return self.kind.name

    @property
    def label(self) -> str:
        return self.wording or self.kind.label


@frozen
class RequirementResult:
    """How far a requirement is met.

    ``earned`` includes ``made_up``: credits of another category counted towards this one
    under a `CategoryMakeup` rule (702号 三(相互补充)); ``note`` explains the make-up.
    """

    requirement: Requirement
    earned: Decimal
    met: bool | None
    made_up: Decimal = Decimal(0)
    note: str = ""
    makeup_clause: ClauseRef | None = None
    undetermined: Decimal | None = Decimal(0)
    """Credits still undetermined towards it: the sum of the undetermined awards' bounds (None
    where one of them has no bound, so nothing limits what they could add)."""

    @property
    def shortfall(self) -> Decimal | None:
        if self.requirement.required is None:
            return None
        return max(Decimal(0), self.requirement.required - self.earned)


@frozen
class CategoryMakeup:
    """Credits of one category may make up another's shortfall, up to a share of its requirement.

    Attributes:
        categories: The categories that may make up for each other (Ⅰ类, Ⅱ类).
        share_pct: At most this percentage of the receiving category's required total.
        clause: Where the rule is stated.
        jurisdiction: Whose rule it is.
    """

    categories: tuple[Category, ...] = field(converter=tuple)
    share_pct: Decimal = field(converter=_to_decimal, validator=_percent)
    clause: ClauseRef
    jurisdiction: str


@frozen
class DeemedComplete:
    """The year's CME counts as complete whatever the credits (702号 三; 辽宁方案 三(二)(三)(五)).

    ``covers`` are the categories whose requirements it satisfies: by default (None) every credit
    category (unit 学分). Requirements of other categories -- Changsha's public-subject hours, set
    by the human-resources department (长沙 第九条) -- are still judged on their own.
    """

    jurisdiction: str
    clause: ClauseRef
    reason: str
    activities: tuple[str, ...] = field(default=(), converter=tuple)
    covers: tuple[Category, ...] | None = field(default=None, converter=attrs.converters.optional(tuple))

    def covers_category(self, category: Category) -> bool:
        return category.counts_as_credits if self.covers is None else category in self.covers


@frozen
class Finding:
    """Something a rule found: a refusal, a violation, a warning or a note.

    Attributes:
        subject: Id of what it is about (project, activity, practitioner, unit).
        jurisdiction: Whose rule found it.
        severity: refused / violation / warning / note.
        clause: The clause it rests on (None only for a plugin error or a missing layer).
        message: What was found, in Chinese, with the numbers.
        consequence: What the document says follows (e.g. 1—3年内不予受理项目申报).
        voids: Ids of activities whose credits this finding makes void (作废); the host refuses
            their awards before the year's requirements are judged (长沙 第二十六条).
    """

    subject: str
    jurisdiction: str
    severity: Severity = field(converter=Severity.parse)
    clause: ClauseRef | None
    message: str
    consequence: str = ""
    voids: tuple[str, ...] = field(default=(), converter=tuple)


@frozen
class Deadline:
    """Something that must be done by a time.

    ``due`` is Beijing time. ``done_at`` is when it was done, where the record says. When it was
    done late the host reports one finding of ``late_severity`` (an application after its window
    is 不予受理, a late filing a 违规) naming ``consequence``, what the document says follows.
    """

    subject: str
    what: str
    who: str
    due: datetime = field()
    clause: ClauseRef
    jurisdiction: str
    done_at: datetime | None = None
    late_severity: Severity = field(default=Severity.VIOLATION, converter=Severity.parse)
    consequence: str = ""

    @due.validator
    def _aware(self, attribute, value):
        if value.tzinfo is None:
            raise ValueError("a deadline's due time must carry its time zone (CHINA_TZ)")

    @property
    def late(self) -> bool | None:
        if self.done_at is None:
            return None
        return self.done_at > self.due


@frozen
class AnnualResult:
    """One practitioner's year: credits by category, caps, requirements and the verdict.

    ``passed`` is three-valued (see `hookspecs` "The verdict"): False where a requirement is
    definitely unmet and nothing deems the year complete, True where every requirement is met
    (or the year is deemed complete), None (无法判定) otherwise. ``reason`` is the one reason
    that decides it, shown first wherever the verdict is.
    """

    practitioner: str
    year: int
    chain: tuple[str, ...]
    missing_layers: tuple[str, ...]
    missing_documents: tuple[MissingDocument, ...]
    awards: tuple[CreditAward, ...]
    caps: tuple[CapApplication, ...]
    requirements: tuple[RequirementResult, ...]
    deemed_complete: tuple[DeemedComplete, ...]
    findings: tuple[Finding, ...]
    passed: bool | None
    reason: str = ""

    @property
    def total_credits(self) -> Decimal:
        """The year's credits: every awarded category counted in 学分 (not hours)."""
        return sum((a.credits for a in self.awards if a.category is not None and a.category.counts_as_credits), Decimal(0))

    def by_category(self) -> dict[Category, Decimal]:
        totals: dict[Category, Decimal] = {}
        awarded = AwardStatus.AWARDED
        for award in self.awards:
            if award.category is not None and award.status is awarded:
                totals[award.category] = totals.get(award.category, Decimal(0)) + award.credits
        return totals


def in_china(moment: datetime) -> datetime:
    """A datetime in China Standard Time; a naive one is taken to be Beijing time already."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=CHINA_TZ)
    return moment.astimezone(CHINA_TZ)


@frozen
class SpotCheck:
    """One project drawn for a spot check (抽查), with who checks it and on which form."""

    project: str
    checker: str
    form: str
    clause: ClauseRef
    jurisdiction: str
    reason: str = ""


def amend(instance, **changes):
    """A copy of a frozen model with ``changes``, without running its converters and validators
    again: for the host's own changes to fields that have neither (the recognition it attaches
    to an award a plugin built, and so validated; the clauses and steps it puts first). A field
    whose converter is ``tuple`` takes a tuple as it is (what the converter would give). ``attrs.
    evolve`` builds the whole model anew for each change, which a province's year would do for
    most of its millions of awards; a change to a field with a validator or another converter,
    or a non-tuple for a tuple field, raises here (use ``attrs.evolve``)."""
    cls = instance.__class__
    copy = _AMENDERS.get(cls) or _amender(cls)
    return copy(instance, changes)


_AMENDERS: dict[type, object] = {}


def _amender(cls):
    """The copying function of an attrs slotted class: one line per field, set through its slot."""
    fields = attrs.fields(cls)
    tuples = frozenset(a.name for a in fields if a.converter is tuple and a.validator is None and a.init)
    free = tuples | frozenset(a.name for a in fields if a.converter is None and a.validator is None and a.init)
    if "__slots__" not in cls.__dict__ or hasattr(cls, "__attrs_post_init__"):
        raise TypeError(f"{cls.__name__}: amend copies attrs slotted classes without a post-init hook")
    namespace = {"_new": object.__new__, "_cls": cls, "_free": free, "_tuples": tuples}
    lines = ["def copy(src, changes):",
             "    if not _free.issuperset(changes) or any(changes[n].__class__ is not tuple for n in _tuples.intersection(changes)):",
             "        raise ValueError(f'{_cls.__name__}: amend changes only fields without validator or converter (tuples given as"
             " tuples), not {sorted(changes)}')",
             "    new = _new(_cls)"]
    for index, a in enumerate(fields):
        namespace[f"_set_{index}"] = cls.__dict__[a.name].__set__
        if a.name in free:
            lines.append(f"    _set_{index}(new, changes[{a.name!r}] if {a.name!r} in changes else src.{a.name})")
        else:
            lines.append(f"    _set_{index}(new, src.{a.name})")
    lines.append("    return new")
    exec(compile("\n".join(lines) + "\n", f"<jijiao.models amend of {cls.__name__}>", "exec"), namespace)  # noqa: S102
    _AMENDERS[cls] = namespace["copy"]
    return namespace["copy"]
