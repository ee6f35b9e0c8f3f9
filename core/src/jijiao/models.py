"""The domain of continuing medical education (继续医学教育), as immutable attrs values.

Every model is frozen and validated on construction: a value that exists is a valid value.
Each field carries Chinese metadata (``zh``: its label, ``unit`` where it has one), which is
the one place the Chinese vocabulary lives: the Gherkin step tables, the importers and the
Datasette metadata all read their labels from here.

Reading guide:
- where rules come from: `Jurisdiction`, `Document`, `Clause`, `ClauseRef`, `Parameter`;
- what people do: `Practitioner`, `Project` (with `ProjectApplication`, `ProjectExecution`),
  `Activity`;
- what the rules say about it: `CreditAward`, `Recognition`, `Cap`, `CapApplication`,
  `Requirement`, `RequirementResult`, `DeemedComplete`, `Finding`, `Deadline`, `AnnualResult`.
"""

from __future__ import annotations

import enum
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


class ActivityKind(LabelledEnum):
    """Every kind of activity the policies name (辽宁方案 二、三; 国卫办科教函〔2019〕702号 三; 长沙 第九条)."""

    PROJECT = "project", "继续医学教育项目"
    FURTHER_STUDY = "further_study", "进修学习"
    DEGREE_STUDY = "degree_study", "在职学历（学位）教育"
    PRACTICE = "practice", "有组织的继续医学教育实践活动"
    GOVERNMENT_TASK = "government_task", "政府指令性医疗卫生任务"
    RESIDENCY_TRAINING = "residency_training", "住院医师规范化培训"
    SPECIALIST_TRAINING = "specialist_training", "专科医师规范化培训"
    ASSISTANT_GP_TRAINING = "assistant_gp_training", "助理全科医生培训"
    AWARD_PROJECT_LEADER = "award_project_leader", "担任科技成果奖励项目负责人"
    # 有计划的自学, the fourteen kinds of 辽宁方案 三(六)
    SELF_SUPERVISION = "self_supervision", "住培带教"
    SELF_TEACHING = "self_teaching", "授课或带教"
    SELF_EXAM_SETTING = "self_exam_setting", "考试命题或考官"
    SELF_GUIDELINE = "self_guideline", "临床指南或专家共识编撰"
    SELF_BOOK = "self_book", "出版医学著作"
    SELF_REPORT = "self_report", "专题研究报告被采纳"
    SELF_TRANSLATION = "self_translation", "发表医学译文"
    SELF_PAPER = "self_paper", "发表论文或综述"
    SELF_GRANT = "self_grant", "科研课题获批"
    SELF_AWARD = "self_award", "获科技奖励"
    SELF_PATENT = "self_patent", "获得专利"
    SELF_HEALTH_EDUCATION = "self_health_education", "健康宣教或科普"
    SELF_PLAN = "self_plan", "自学计划"
    SELF_COMPETITION = "self_competition", "技能竞赛获奖"
    SELF_OTHER = "self_other", "其他可验证的自学"
    PUBLIC_SUBJECT = "public_subject", "公共科目培训"
    OTHER = "other", "符合规定的其他方式"

    @property
    def is_self_study(self) -> bool:
        return self._value_.startswith("self_")  # _value_: the code, without enum's slower `value` property


class Category(LabelledEnum):
    """What an award counts towards."""

    CLASS_I = "class_i", "Ⅰ类学分"
    CLASS_II = "class_ii", "Ⅱ类学分"
    PUBLIC_HOURS = "public_hours", "公共科目学时"


class JournalTier(LabelledEnum):
    SCI = "sci", "SCI期刊"
    CORE = "core", "核心期刊"
    ORDINARY = "ordinary", "普通期刊"


class PatentKind(LabelledEnum):
    DESIGN = "design", "外观设计专利"
    UTILITY = "utility", "实用新型专利"
    INVENTION = "invention", "发明专利"


class Severity(LabelledEnum):
    """How serious a finding is, most serious first."""

    ERROR = "error", "规则出错"
    REFUSED = "refused", "不予受理"
    VIOLATION = "violation", "违规"
    WARNING = "warning", "提醒"
    NOTE = "note", "说明"


class AwardStatus(LabelledEnum):
    AWARDED = "awarded", "授予"
    REFUSED = "refused", "不予授予"
    PENDING = "pending", "待审核"


class RecognitionStatus(LabelledEnum):
    RECOGNISED = "recognised", "认可"
    REFUSED = "refused", "不予认可"
    PENDING = "pending", "待审核"


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
        effective_from / effective_until: The period it governs, where known.
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


_CLAUSE_INDEX: dict[int, tuple[Document, dict[str, Clause]]] = {}  # id(document) -> (document, clauses by id)


@frozen
class MissingDocument:
    """A document a rule depends on that we do not have: results name it instead of guessing."""

    title: str
    number: str
    needed_for: str


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
    """

    key: str = field(validator=v.matches_re(r"[a-z][a-z0-9_]*"))
    value: object
    unit: str
    clause: ClauseRef | None
    description: str
    assumed: bool = False


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
class ProjectApplication:
    """Facts of an application for a project (项目申报), as the reviewing office sees them.

    Every field is optional: a rule whose fact is missing reports the form as incomplete.
    """

    submitted_at: datetime | None = field(default=None, metadata=zh("网上申报时间"))
    paper_submitted_at: datetime | None = field(default=None, metadata=zh("纸质材料提交时间"))
    applicant: str = field(default="", metadata=zh("申报单位"))
    leader_employed_by_unit: bool | None = field(default=None, metadata=zh("负责人为申报单位在职人员"))
    leader_teaches_theory: bool | None = field(default=None, metadata=zh("负责人参与理论授课"))
    leader_applications: int | None = field(default=None, validator=_nonneg, metadata=zh("负责人本年申报项目数"))
    leader_unexecuted_recent: bool | None = field(default=None, metadata=zh("负责人近两年无正当理由未执行项目"))
    leader_completed_last_year: int | None = field(default=None, validator=_nonneg, metadata=zh("负责人上年完成举办项目数"))
    integrity_record: bool | None = field(default=None, metadata=zh("近三年科研诚信不良记录"))
    falsification_record: bool | None = field(default=None, metadata=zh("近三年弄虚作假或不良反馈"))
    theme_is_academic_event: bool | None = field(default=None, metadata=zh("以学术会议论坛讲座为主题"))
    form_complete: bool | None = field(default=None, metadata=zh("申报书完整真实"))
    sessions_planned: bool | None = field(default=None, metadata=zh("多期举办已按计划申报"))
    attendance_unit_hours: Decimal | None = _opt_decimal("考勤单元时长", "小时")
    online_assessment: bool | None = field(default=None, metadata=zh("线上课程设置考核和评价环节"))
    outside_trainees: int | None = field(default=None, validator=_nonneg, metadata=zh("外单位学员数"))
    unit_completed_last_year: int | None = field(default=None, validator=_nonneg, metadata=zh("单位上年完成项目数"))
    unit_first_time: bool | None = field(default=None, metadata=zh("单位首次申报"))
    unit_applications: int | None = field(default=None, validator=_nonneg, metadata=zh("单位本年申报项目数"))
    code: str = field(default="", metadata=zh("申请代码"))
    leader_phone: str = field(default="", metadata=zh("项目负责人联系电话", personal=True))
    discipline: str = field(default="", metadata=zh("所属学科"))


@frozen
class ProjectExecution:
    """What happened when a project was held (执行情况), for the execution checks."""

    held: bool | None = field(default=None, metadata=zh("已举办"))
    registered_at: datetime | None = field(default=None, metadata=zh("开班信息登记时间"))
    filed_with_city_at: datetime | None = field(default=None, metadata=zh("报市卫生健康委备案时间"))
    records_at: datetime | None = field(default=None, metadata=zh("执行情况录入时间"))
    actual_enrolment: int | None = field(default=None, validator=_nonneg, metadata=zh("实际参培人数"))
    grassroots_trainees: int | None = field(default=None, validator=_nonneg, metadata=zh("基层学员数"))
    content_change_pct: Decimal | None = field(
        default=None, converter=_to_decimal, validator=_percent, metadata=zh("课程内容变更幅度", "%")
    )
    teacher_change_pct: Decimal | None = field(
        default=None, converter=_to_decimal, validator=_percent, metadata=zh("授课教师变更幅度", "%")
    )
    hours_change_pct: Decimal | None = field(
        default=None, converter=_to_decimal, validator=_percent, metadata=zh("总学时变更幅度", "%")
    )
    longest_theory_lecture_hours: Decimal | None = _opt_decimal("理论单次授课最长时长", "小时")
    attendance_checks_per_day: int | None = field(default=None, validator=_nonneg, metadata=zh("每日考勤次数"))
    credit_irregularities: tuple[str, ...] = field(default=(), converter=tuple, metadata=zh("学分发放违规"))
    other_violations: tuple[str, ...] = field(default=(), converter=tuple, metadata=zh("其他违规情形"))


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
        application / execution: Facts for the application and execution checks.
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
    application: ProjectApplication | None = None
    execution: ProjectExecution | None = None

    @end.validator
    def _dates(self, attribute, value):
        if value is not None and self.start is not None and value < self.start:
            raise ValueError(f"end {value} is before start {self.start}")


FIRST_YEAR, LAST_YEAR = 1990, 2100
_YEAR_RANGE = v.and_(v.ge(FIRST_YEAR), v.le(LAST_YEAR))
_RANK = v.optional(v.ge(1))


def _activity_year(instance, attribute, value):
    """A year from 1990 to 2100 (``_YEAR_RANGE`` decides, and words the error, unless plainly so)."""
    if value.__class__ is not int or not FIRST_YEAR <= value <= LAST_YEAR:
        _YEAR_RANGE(instance, attribute, value)


def _optional_rank(instance, attribute, value):
    """None or a rank from 1 (``_RANK`` decides, and words the error, unless plainly so)."""
    if value is not None and (value.__class__ is not int or value < 1):
        _RANK(instance, attribute, value)


@frozen
class Activity:
    """One CME activity of one practitioner, with the facts the credit rules read.

    Only the facts the activity's kind needs are given; the rest stay None. Project facts are
    copied onto the activity (level, mode, where held) so that an activity can be judged on its own.
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
    sessions: int | None = field(default=None, validator=_nonneg, metadata=zh("次数"))
    words: int | None = field(default=None, validator=_nonneg, metadata=zh("字数", "字"))
    # Completion conditions
    passed: bool | None = field(default=None, metadata=zh("考核合格"))
    exam_score_pct: Decimal | None = field(
        default=None, converter=_to_decimal, validator=_percent, metadata=zh("考试成绩", "%")
    )
    attendance_per_day: int | None = field(default=None, validator=_nonneg, metadata=zh("每日考勤次数"))
    evaluation_done: bool | None = field(default=None, metadata=zh("完成满意度评价"))
    # Self-study details
    level: Level | None = field(
        default=None, converter=_optional_member(Level), metadata=zh("级别")
    )
    rank: int | None = field(default=None, validator=_optional_rank, metadata=zh("排名或等级"))
    journal_tier: JournalTier | None = field(
        default=None, converter=_optional_member(JournalTier), metadata=zh("期刊类别")
    )
    patent_kind: PatentKind | None = field(
        default=None, converter=_optional_member(PatentKind), metadata=zh("专利类型")
    )
    plan_submitted_on: date | None = field(default=None, metadata=zh("学习计划提交日期"))
    evidence_submitted_on: date | None = field(default=None, metadata=zh("佐证材料提交日期"))
    # Certificates, approval and registration
    certified_credits: Decimal | None = _opt_decimal("证书学分", "学分")
    category: Category | None = field(
        default=None, converter=_optional_member(Category), metadata=zh("学分类别")
    )
    certificate_uploaded: bool | None = field(default=None, metadata=zh("已上传学分证书"))
    approved: bool | None = field(default=None, metadata=zh("已审核通过"))
    remote_body: str = field(default="", metadata=zh("远程教育机构"))
    remote_body_filed: bool | None = field(default=None, metadata=zh("远程机构及课程已备案"))
    verified_by_province: bool | None = field(default=None, metadata=zh("经省级继教委核实"))
    registered_on: date | None = field(default=None, metadata=zh("学分登记日期"))
    falsified: bool = field(default=False, metadata=zh("弄虚作假"))


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

    @credits.validator
    def _only_awarded_counts(self, attribute, value):
        # Not negative, then only if awarded: one validator, not two (a year builds millions of awards).
        _nonneg(self, attribute, value)
        if self.status is not AwardStatus.AWARDED and value != 0:
            raise ValueError("only an awarded activity carries credits")

    @property
    def explanation(self) -> str:
        return "\n".join(f"{i}. {step}" for i, step in enumerate(self.steps, 1))


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
class Requirement:
    """An annual requirement: so many credits (or hours) in given categories.

    ``required`` is None where the number comes from a document we do not have; then
    ``missing`` names it and the requirement cannot be judged.
    A requirement's ``name`` identifies it across layers: a more specific jurisdiction's
    requirement of the same name replaces the one above.
    """

    name: str
    label: str
    categories: tuple[Category, ...] = field(converter=tuple)
    required: Decimal | None = field(converter=_to_decimal)
    unit: str
    clause: ClauseRef | None
    jurisdiction: str
    missing: MissingDocument | None = None
    assumed: bool = False

    def __attrs_post_init__(self):
        if self.required is None and self.missing is None:
            raise ValueError("a requirement without a number must name the missing document")


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

    ``covers`` are the categories whose requirements it satisfies: by default the CME credits
    (Ⅰ类, Ⅱ类). Requirements of other categories -- Changsha's public-subject hours, set by the
    human-resources department (长沙 第九条) -- are still judged on their own.
    """

    jurisdiction: str
    clause: ClauseRef
    reason: str
    activities: tuple[str, ...] = field(default=(), converter=tuple)
    covers: tuple[Category, ...] = field(default=(Category.CLASS_I, Category.CLASS_II), converter=tuple)


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

    ``passed`` is None where a requirement's number comes from a document we do not have
    (and nothing deems the year complete).
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

    @property
    def total_credits(self) -> Decimal:
        counted = (Category.CLASS_I, Category.CLASS_II)
        return sum((a.credits for a in self.awards if a.category in counted), Decimal(0))

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
