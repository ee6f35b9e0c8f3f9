"""Datasette metadata generated from the models and the Registry, never written twice.

Column titles come from the models' ``zh(...)`` metadata through `storage.column_label_rows`
(input tables) and `storage.RESULT_LABELS` (result tables); the source documents from the
installed plugins' `Document` values. What is written here is only what no model knows: a
sentence saying what each table is for, which facets and searches suit it, and the units of the
result tables' numbers.
"""

from __future__ import annotations

from html import escape

import attrs

from .. import storage
from ..models import Jurisdiction, LabelledEnum, _Declared
from ..plugins import Registry, default_registry
from ..publish import FTS_COLUMNS, fts_table
from . import DATABASE
from .queries import QUERIES, with_categories

LICENSE = "政府公开文件；示例数据为虚构"
LICENSE_NOTE = (
    "条款原文摘自各级卫生健康委公开发布的文件。依《中华人民共和国著作权法》第五条，法律、法规，国家机关的决议、"
    "决定、命令和其他具有立法、行政、司法性质的文件不适用该法，可自由引用；引用以核对为目的，以发文机关公布的"
    "文本为准。演示数据库中的人员、单位、项目均为随机生成的虚构数据，身份证号与电话在浏览副本中已遮蔽。"
)

# What each table is for, in the words of the people who read it: (title, description).
TABLES: dict[str, tuple[str, str]] = {
    "annual_results": ("年度结果", "每人每年一行：应修与已获学分、差额、年度结论（合格 / 不合格 / 无法判定）及其依据。"),
    "credit_awards": ("学分授予", "每项活动一行：授予结果、学分、类别、依据条款和逐步计算说明。点开一行可看条款原文。"),
    "requirement_results": ("学分要求达成情况", "每人每项要求一行（如Ⅰ类学分、公共科目学时）：要求、已获、差额、依据。"),
    "cap_applications": ("上限削减", "某类活动超过年度上限、或一个项目的各条记录合计超过每个项目的上限时被削减的学分：上限、削减前后、被削减的记录。"),
    "findings": ("问题", "规则发现的问题：人员或项目、性质（违规、不予受理、提醒……）、依据条款、后果。"),
    "deadlines": ("截止事项", "项目与年度日历的截止时间（北京时间）、责任方、状态。可订阅日历：/-/jijiao/deadlines.ics"),
    "recognitions": ("学分认可", "跨地区项目学分和各级规则作出认可决定的活动：认可结果、理由、依据。"),
    "comparisons": ("运行对比", "jijiao compare 写入：两次运行之间年度结论不同的人员。"),
    "runs": ("运行", "每次年度判定一行：年度、参数调整（what-if）、用时、合格率。"),
    "run_parameters": ("运行参数", "每次运行使用的每个政策参数及其默认值，是否调整。"),
    "run_reads": ("运行所读参数", "每次运行中每人各评定阶段（判定活动、年度评定、年度要求）所读的参数与理解（集合编号见所读参数集合）；假设分析据此只重新评定受影响的人。"),
    "read_sets": ("所读参数集合", "评定中读取的参数与理解的集合，每个集合存一次，由运行所读参数引用。"),
    "practitioners": ("人员", "卫生专业技术人员。身份证号和联系电话已遮蔽。"),
    "projects": ("继续医学教育项目", "项目的基本信息、申报信息（application_）与执行信息（execution_）。负责人电话已遮蔽。"),
    "activities": ("学习活动", "人员的每一项继续医学教育活动及其事实（学时、考核、级别……）。"),
    "import_batches": ("导入批次", "每个导入文件一行：格式、编码、读入与出错行数，与上一版本相比新增、修改、撤回的行数。"),
    "import_changes": ("导入差异", "每次导入相对同一来源上一版本的变化：新增、修改（及修改前的值）、撤回、恢复、冲突。"),
    "import_errors": ("导入错误", "无法读入的行：行号、字段、原因；原始数据中的身份证号与电话已遮蔽。"),
    "jurisdictions": ("地区", "已安装规则的行政区划（GB/T 2260 代码）及其插件版本。"),
    "documents": ("政策文件", "规则所依据的文件：标题、文号、发文机关、状态、原文出处。"),
    "clauses": ("条款", "各文件的条款原文。编号形如 文件/条款，如 nhc-2019-702/三(视为合格)。"),
    "parameters": ("政策参数", "规则使用的每个政策数字（学分、学时、比例、日期）及其出处；assumed 为假定值。"),
    "readings": ("条款的理解", "文件未写明之处各插件所取的理解、另一种理解，以及能否在假设分析中切换（--reading 键=alternative）。"),
    "missing_documents": ("缺失的文件", "规则依赖但我们没有原文的文件：结果中会注明，不作猜测。"),
    "column_labels": ("字段中文名", "每个表每一列的中文名和单位；personal=1 为个人信息。"),
    "labels": ("代码中文名", "代码（如 county）对应的中文（县级）。"),
    "pass_rates": ("各地区合格率", "每次运行、每个地区的人数、合格、不合格、无法判定和合格率。"),
    "latest_runs": ("最近的运行", "每个年度最近完成的运行。"),
    "places": ("行政区划", "GB/T 2260 省、市、县（区）代码与名称，用于按市、县统计。"),
    "result_summary": ("合格情况汇总", "浏览副本按运行、地区、单位、单位级别、职称汇总的人数与结论，供首页使用。"),
    "clause_costs": ("条款的学分影响", "每次运行中每一条款不予授予（按证书所载学分）或上限削减的学分。"),
    "run_changes": ("结论变化的人员", "每次假设运行与同年度基准运行相比，年度结论不同的人员。"),
}

# Labels for columns of tables whose models carry none (reference and bookkeeping tables).
EXTRA_COLUMNS: dict[str, dict[str, str]] = {
    "documents": {
        "id": "文件编号", "title": "标题", "number": "文号", "issuer": "发文机关", "issued": "发文日期", "status": "状态",
        "jurisdiction": "地区", "source": "原文文件", "effective_from": "施行日期", "effective_until": "失效日期",
        "clauses": "条款数",
    },
    "missing_documents": {"jurisdiction": "地区", "number": "文号", "title": "标题", "needed_for": "用于"},
    "run_parameters": {"run": "运行编号", "parameter": "参数", "value": "使用值", "default_value": "默认值", "overridden": "已调整"},
    "import_batches": {
        "id": "批次", "file": "文件", "kind": "数据类型", "format": "格式", "encoding": "编码", "sha256": "文件校验值（SHA-256）",
        "rows_read": "读入行数", "rows_loaded": "载入行数", "rows_bad": "出错行数", "started_at": "开始时间",
        "finished_at": "结束时间", "notes": "说明", "source": "数据来源", "added": "新增行数", "changed": "修改行数",
        "withdrawn": "撤回行数", "restored": "恢复行数", "conflicts": "冲突行数", "kept": "保留旧版本行数",
    },
    "column_labels": {"table_name": "表", "column_name": "列", "zh": "中文名", "unit": "单位", "personal": "个人信息"},
    "labels": {"enum": "代码类别", "code": "代码", "zh": "中文"},
    "places": {"code": "代码", "name": "名称", "level": "级别", "parent": "上级代码"},
    "result_summary": {
        "run": "运行编号", "year": "年度", "province": "省", "city": "市", "district": "县（区）", "unit": "工作单位",
        "unit_level": "单位级别", "title": "职称", "practitioners": "人数", "passed": "合格", "failed": "不合格",
        "undetermined": "无法判定", "shortfall": "差额学分合计",
    },
    "clause_costs": {
        "run": "运行编号", "clause": "依据条款", "how": "方式", "credits": "学分", "activities": "活动数",
        "unknown_credits": "学分未知的活动数", "practitioners": "涉及人数",
    },
    "run_changes": {
        "other_run": "对比运行", "base_run": "基准运行", "practitioner": "人员编号", "province": "省", "city": "市",
        "district": "县（区）", "unit": "工作单位", "unit_level": "单位级别", "title": "职称", "base_verdict": "基准结论",
        "other_verdict": "对比结论", "change": "变化", "base_earned": "基准已获学分", "other_earned": "对比已获学分",
        "base_required": "基准应修学分", "other_required": "对比应修学分",
    },
    "pass_rates": {
        "run": "运行编号", "run_name": "运行名称", "year": "年度", "jurisdiction": "地区", "practitioners": "人数",
        "passed": "合格", "failed": "不合格", "undetermined": "无法判定", "pass_rate": "合格率（%）",
    },
}

# Units of the result tables' numbers (the input tables' units come from the models).
RESULT_UNITS = {
    "annual_results": {"required": "学分", "earned": "学分", "shortfall": "学分"},  # categories: their own unit
    "credit_awards": {"credits": "学分，公共科目为学时"},
    "cap_applications": {"cap_limit": "学分", "before_credits": "学分", "after_credits": "学分"},
    "requirement_results": {"required": "见单位列", "earned": "见单位列", "shortfall": "见单位列"},
    "runs": {"seconds": "秒", "pass_rate": "%"},
    "pass_rates": {"pass_rate": "%"},
}

COUNTED = "jijiao_counted"  # facets.TYPE (not imported: that module imports Datasette)
COUNTED_TABLES = {"annual_results", "credit_awards", "findings", "deadlines", "recognitions", "requirement_results",
                  "cap_applications"}
"""Run tables whose default facets the copy counts per run (summaries.build_facet_counts)."""

FACETS = {
    "annual_results": ["verdict", "city", "unit_level", "title"],
    "run_changes": ["change", "city"],
    "result_summary": ["city", "unit_level", "title"],
    # one run's awards are millions of rows in a province: one facet (counted per run by the copy;
    # filtered pages count it over the (run, status) index); kinds and clauses are on the dashboard
    # and the 达标 page, and ?_facet=kind still works on a filtered view
    "credit_awards": ["status"],
    "findings": ["severity", "jurisdiction", "subject_kind"],
    "deadlines": ["state", "jurisdiction", "subject_kind"],
    "recognitions": ["status", "cross_region", "jurisdiction"],
    "requirement_results": ["label", "met", "jurisdiction"],
    "cap_applications": ["cap"],
    "practitioners": ["jurisdiction", "unit_level", "title", "withdrawn"],
    "projects": ["jurisdiction", "level", "mode", "withdrawn"],
    "activities": [],  # 8 million rows in a province: no facet answers in a second
    "clauses": ["document"],
    "parameters": ["plugin", "assumed"],
    "import_errors": ["kind", "field"],
    "import_changes": ["kind", "change", "source"],
}

SORT = {
    "annual_results": "practitioner", "credit_awards": "practitioner", "findings": "subject",
    "deadlines": "due", "practitioners": "id", "projects": "id",
}

LABEL_COLUMNS = {"jurisdictions": "name", "practitioners": "name", "projects": "name", "clauses": "summary",
                 "documents": "title", "runs": "name", "places": "name"}

HIDDEN = {"schema_migrations", "_browse_copy", "_browse_objects", "_browse_runs", "_browse_step_lists", "facet_counts",
          "unit_clause_costs", "sqlite_stat1", "sqlite_stat4"}


def column_titles(registry: Registry) -> dict[str, dict[str, str]]:
    """table -> column -> Chinese title with its unit, e.g. ``教学学时（小时）``; the plugins'
    declared facts and categories included."""
    titles: dict[str, dict[str, str]] = {}
    for table, column, zh, unit, personal in storage.column_label_rows(storage.schema(registry)):
        text = f"{zh}（{unit}）" if unit else zh
        titles.setdefault(table, {})[column] = text + ("，已遮蔽" if personal else "")
    titles["jurisdictions"] = {a.name: a.metadata["zh"] for a in attrs.fields(Jurisdiction)}
    titles["jurisdictions"].update(plugin="插件", distribution="发行包", version="版本")
    for table, columns in EXTRA_COLUMNS.items():
        titles.setdefault(table, {}).update(columns)
    for table, units in RESULT_UNITS.items():
        for column, unit in units.items():
            label = titles.get(table, {}).get(column)
            if label:
                titles[table][column] = f"{label}（{unit}）"
    titles["latest_runs"] = dict(titles["runs"])  # the view is runs.*
    titles["annual_results"].update(province="省", city="市", district="县（区）")  # added by the browse copy
    return titles


def code_columns(registry: Registry) -> dict[str, dict[str, str]]:
    """table -> column -> enum name, for input-table columns that store a code (``county``,
    ``self_paper``); the plugin shows each code's Chinese label from the ``labels`` table."""
    found: dict[str, dict[str, str]] = {}
    for table, columns in storage.schema(registry).columns.items():
        for column in columns:
            tp = storage.base_type(column.type)
            if isinstance(tp, type) and issubclass(tp, (LabelledEnum, _Declared)) and not column.presence:
                found.setdefault(table, {})[column.name] = tp.__name__
    return found


def sources_html(registry: Registry) -> str:
    items = []
    for document in sorted(registry.documents.values(), key=lambda d: (d.jurisdiction, d.issued)):
        number = f"，{document.number}" if document.number else ""
        items.append(
            f"<li>{registry.name_of(document.jurisdiction)}：《{document.title}》{number}"
            f"（{document.issuer}，{document.issued.isoformat()}，{document.status.zh}）</li>"
        )
    return "<ul>" + "".join(items) + "</ul>"


def table_metadata(table: str, titles: dict[str, dict[str, str]]) -> dict:
    title, description = TABLES.get(table, (table, ""))
    meta: dict = {"title": f"{title}（{table}）", "description": description}
    if table in titles:
        meta["columns"] = dict(titles[table])
    if table in FACETS:
        # a run table's facets are counted once per run by the copy (facets.py, summaries.build_facet_counts)
        meta["facets"] = [{COUNTED: c} for c in FACETS[table]] if table in COUNTED_TABLES else FACETS[table]
    if table in SORT:
        meta["sort"] = SORT[table]
    if table in LABEL_COLUMNS:
        meta["label_column"] = LABEL_COLUMNS[table]
    if table in FTS_COLUMNS:
        meta["fts_table"] = fts_table(table)
        meta["fts_pk"] = "rowid"
        # The trigram index needs three characters; say where shorter searches go.
        searched = "、".join(titles.get(table, {}).get(c, c) for c in FTS_COLUMNS[table])
        meta["description_html"] = (
            f"<p>{escape(description)}</p><p>搜索框检索{escape(searched)}；"
            '一两个字（如 张伟）会转到 <a href="/-/jijiao/search">查找</a>页。</p>'
        )
        del meta["description"]
    return meta


def build_metadata(registry: Registry | None = None) -> dict:
    """The whole metadata document for `jijiao serve` (Datasette 0.65's metadata format)."""
    registry = registry or default_registry()
    titles = column_titles(registry)
    tables = {name: table_metadata(name, titles) for name in TABLES}
    for name in HIDDEN:
        tables[name] = {"hidden": True}
    for table in FTS_COLUMNS:
        tables[fts_table(table)] = {"hidden": True, "title": f"{TABLES[table][0]}全文索引"}
    # The SQL is one click away ("show"); a policy reader sees the title, the form and the answer.
    queries = {name: {**query, "sql": with_categories(query["sql"], registry).strip(), "hide_sql": True}
               for name, query in QUERIES.items()}
    return {
        "title": "继教 · 继续医学教育学分结果",
        "description_html": (
            "<p>每位卫生专业技术人员的年度学分结果、每项活动的授予依据和计算说明、项目问题与截止事项，"
            "全部引用政策条款原文。</p>"
            '<p><a href="/-/jijiao/charts">图表</a> · <a href="/-/jijiao/search">查找（一两个字也可以）</a> · '
            '<a href="/-/jijiao/deadlines.ics">截止事项日历（.ics）</a></p>'
        ),
        "license": LICENSE,
        "license_url": "/-/jijiao/about",
        "source": "各级卫生健康委公开文件（见“政策文件”表）",
        "source_url": f"/{DATABASE}/documents",
        "databases": {
            DATABASE: {
                "title": "继续医学教育学分结果",
                "description_html": "<p>数据来源文件：</p>" + sources_html(registry) + f"<p>{LICENSE_NOTE}</p>",
                "tables": tables,
                "queries": queries,
            }
        },
        "plugins": {"jijiao": {"database": DATABASE, "code_columns": code_columns(registry)}},
    }
