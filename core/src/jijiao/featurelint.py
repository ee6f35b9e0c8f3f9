"""The scenario lint: every slip in a feature file named in Chinese, with its file, line and fix.

Policy staff write the scenarios; the Gherkin parser and pytest-bdd answer their typing slips
in English, obscurely ("Step definition is not found", "Unknown pytest.mark") or not at all (a
tag with a colon used to pass silently). This lint reads the files first and says what to
change: tags that are not ``@文件/条款`` (checked against the clauses the installed plugins
register), full-width colons, spaces and quotes, a step that matches no step of the vocabulary
(with the closest ones), a column a table does not accept (with the ones it does), an outline
placeholder with no column in 例子.

It runs as ``jijiao check-features`` and in the test suite: a slip that makes a file unreadable
stops the run before anything is collected (``tests/test_features.py``); any other slip fails the
scenarios it affects, with the same message (``tests/conftest.py``).
"""

from __future__ import annotations

import difflib
import functools
import re
from pathlib import Path

import attrs
import parse
from gherkin.errors import CompositeParserException
from gherkin.parser import Parser

from .models import ClauseRef
from .steptables import ONE, StepTable, table_of

LANGUAGE_LINE = "# language: zh-CN"
KEYWORD_WITH_WIDE_COLON = re.compile(r"^\s*(功能|背景|场景大纲|场景|剧本大纲|剧本|例子|规则)\s*：")
KEYWORD_SPACED = re.compile(r"^\s*(功能|背景|场景大纲|场景|剧本大纲|剧本|例子|规则)[ \t\u3000]+[:：]")
HEADER = re.compile(r"^\s*(场景大纲|场景|剧本大纲|剧本|Scenario Outline|Scenario Template|Scenario|Example)\s*[:：]")
FEATURE = re.compile(r"^\s*(功能|Feature)\s*[:：]")
EXAMPLES = re.compile(r"^\s*(例子|Examples)\s*[:：]")
STEP_KEYWORD = re.compile(r"^\s*(假如|假设|假定|当|那么|而且|并且|同时|但是)\s")
WIDE_QUOTES = re.compile(r"[“”]")
PLACEHOLDER = re.compile(r"<([^<>\s]+)>")
STRAY_PLACEHOLDER = re.compile(r"[‹＜〈]\s*([^<>‹›＜＞〈〉\s]+)\s*[>›＞〉]|<([^<>‹›＜＞〈〉\s]+)[›＞〉]")
PLAIN_TAG = re.compile(r"^[a-z][a-z0-9_-]*$")
WIDE_BRACKETS = str.maketrans({"（": "(", "）": ")"})
KEYWORD_OF_TYPE = {"Context": "假如", "Action": "当", "Outcome": "那么"}
TABLE_HEADER_WORDS = ("字段", "field")


@attrs.frozen(order=True)
class Slip:
    """One slip: where, what to change, and the scenarios it stops (by their line).

    ``unreadable``: the file cannot be read at all, so none of its scenarios runs.
    """

    file: str
    line: int
    message: str = attrs.field(order=False)
    scenarios: tuple[int, ...] = attrs.field(default=(), order=False)
    kind: str = attrs.field(default="", order=False)
    unreadable: bool = attrs.field(default=False, order=False)
    """"标签" for a tag slip (``jijiao coverage`` reports those too)."""

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


def _quoted(items, limit: int | None = None) -> str:
    items = list(items)
    shown = items if limit is None else items[:limit]
    return "、".join(shown) + ("……" if limit is not None and len(items) > limit else "")


def _close(word: str, candidates, n: int = 3, cutoff: float = 0.4) -> list[str]:
    return difflib.get_close_matches(word, list(candidates), n=n, cutoff=cutoff)


@attrs.frozen
class _Step:
    keyword: str
    pattern: str
    readable: str
    example: str
    compiled: parse.Parser
    table: StepTable | None


class Vocabulary:
    """What the lint checks against: the installed plugins' clauses and the step catalogue."""

    def __init__(self, registry=None, catalogue=None):
        from .plugins import Registry
        from .steps import PLACEHOLDERS, load_catalogue, readable

        registry = registry if registry is not None else Registry()
        self.registry = registry
        self.documents = dict(registry.documents)
        self.clauses = set(registry.clauses)
        self.choices = {name: text.split("|") for name, text in PLACEHOLDERS.items() if "|" in text}
        self.choices["category"] = [c.zh for c in registry.categories.values()]
        self.steps = [
            _Step(e.keyword, e.pattern, readable(e.pattern), e.example.splitlines()[0].strip(), parse.compile(e.pattern), table_of(e.pattern, registry))
            for e in (catalogue if catalogue is not None else load_catalogue())
        ]

    # --- tags -----------------------------------------------------------------------------------

    def clause_problem(self, text: str) -> str | None:
        """Why ``document/clause`` names no registered clause (with the nearest ones), or None."""
        document, _, clause = text.partition("/")
        if document not in self.documents:
            near = _close(document, self.documents, cutoff=0.5)
            hint = f"您是否想写“{near[0]}”？" if near else ""
            return f"没有代号为“{document}”的文件。{hint}已有文件：{_quoted(sorted(self.documents))}"
        if not clause:
            return f"缺少条款编号：写成“{document}/条款”（`jijiao coverage` 列出 {document} 的全部条款）"
        if ClauseRef(document, clause) not in self.clauses:
            near = _close(clause, [c.clause for c in self.clauses if c.document == document], cutoff=0.5)
            hint = "您是否想写：" + "、".join(f"{document}/{n}" for n in near) + "？" if near else ""
            return f"文件 {document} 中没有条款“{clause}”。{hint}（`jijiao coverage` 列出该文件的全部条款）"
        return None

    def tag_problem(self, tag: str) -> str | None:
        """Why a tag (without its @) is not a good tag, and what to write instead; None if it is."""
        if PLAIN_TAG.match(tag) and tag not in self.documents:
            return None  # @liaoning, @missing-document: marks, not clauses
        fixed, fixes = tag, []
        if re.search("[:：]", fixed):
            if "/" in fixed:
                fixed = re.sub("[:：]", "", fixed)
                fixes.append("标签中不能有冒号")
            else:
                fixed = re.sub("[:：]", "/", fixed, count=1)
                fixes.append("文件与条款之间用“/”，不用冒号")
        if fixed != fixed.translate(WIDE_BRACKETS):
            fixed = fixed.translate(WIDE_BRACKETS)
            fixes.append("条款编号中的括号用半角“( )”，不用全角“（ ）”")
        if "/" not in fixed:
            if fixed in self.documents:
                return f"标签“@{tag}”只写了文件，缺少条款：条款标签写成“@{fixed}/条款”"
            return f"标签“@{tag}”不是条款标签：条款标签写成“@文件/条款”，例如“@ln-credit-scheme/三(四)”"
        unknown = self.clause_problem(fixed)
        if fixes:
            return f"标签“@{tag}”写法有误：{'；'.join(fixes)}，应写成“@{fixed}”" + (f"；但{unknown}" if unknown else "")
        return f"标签“@{tag}”不是已登记的条款：{unknown}" if unknown else None

    def place_problem(self, text: str) -> str | None:
        """Why ``text`` names no jurisdiction (by name or six-digit code), with the likely one; or None."""
        from .plugins import province_names

        try:
            self.registry.find_jurisdiction(text.strip())
            return None
        except (ValueError, KeyError):
            names = [j.name for j in self.registry.jurisdictions.values()] + list(province_names().values())
            near = list(dict.fromkeys(n for n in names if n.startswith(text.strip())))[:2] or _close(text.strip(), names, n=2)
            hint = f"您是否想写“{'”或“'.join(near)}”？" if near else ""
            return f"“{text}”不是地区名称：写全称（如 辽宁省、温州市、长沙市、浙江省、全国）或六位行政区划代码。{hint}"

    # --- steps ------------------------------------------------------------------------------------

    def match(self, keyword: str, text: str) -> tuple[_Step | None, dict]:
        for step in self.steps:
            if step.keyword == keyword and (found := step.compiled.parse(text)) is not None:
                return step, found.named
        return None, {}

    def any_keyword(self, text: str) -> _Step | None:
        for step in self.steps:
            if step.compiled.parse(text) is not None:
                return step
        return None

    def nearest(self, keyword: str, text: str, n: int = 3) -> list[_Step]:
        """The steps closest to ``text`` by string distance, those of the same keyword first."""

        def distance(step):
            literal = step.example.split(None, 1)[-1]
            similar = max(
                difflib.SequenceMatcher(None, text, literal).ratio(),
                difflib.SequenceMatcher(None, text, step.readable).ratio(),
            )
            return (step.keyword == keyword, similar)

        return sorted(self.steps, key=distance, reverse=True)[:n]


# --- one file ----------------------------------------------------------------------------------------


def _scenario_lines(lines: list[str]) -> list[int]:
    return [n for n, line in enumerate(lines, 1) if HEADER.match(line)]


def _owner(number: int, lines: list[str], headers: list[int]) -> tuple[int, ...]:
    """The scenarios a line belongs to: its scenario, or all of them for the feature's own lines."""
    before = [h for h in headers if h <= number]
    if not before:
        return tuple(headers)
    return (before[-1],)


def _tag_owner(number: int, lines: list[str], headers: list[int]) -> tuple[int, ...]:
    """The scenarios a tag line applies to: the next 场景 (or the outline of the next 例子), or all."""
    for n in range(number + 1, len(lines) + 1):
        line = lines[n - 1]
        if FEATURE.match(line):
            return tuple(headers)
        if HEADER.match(line):
            return (n,)
        if EXAMPLES.match(line):
            return _owner(n, lines, headers)
    return tuple(headers)


def _line_slips(path: str, lines: list[str], vocabulary: Vocabulary) -> list[Slip]:
    slips = []
    headers = _scenario_lines(lines)
    if not lines or lines[0].strip() != LANGUAGE_LINE:
        slips.append(Slip(path, 1, f"第一行必须是“{LANGUAGE_LINE}”（否则中文关键字功能、场景、假如……都无法识别）"))
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if spaced := KEYWORD_SPACED.match(line):
            slips.append(Slip(path, number, f"关键字与冒号之间不能有空格，应写成“{spaced.group(1)}:”（半角冒号）：{stripped}"))
        elif KEYWORD_WITH_WIDE_COLON.match(line):
            slips.append(Slip(path, number, f"关键字后应为半角冒号“:”，不是全角“：”：{stripped}"))
        elif STEP_KEYWORD.match(line) and WIDE_QUOTES.search(line) and '"' not in line:
            slips.append(Slip(path, number, f'步骤中的取值应使用半角引号 "..."，不是 “...”：{stripped}', _owner(number, lines, headers)))
        elif stripped.startswith(("@", "＠")):
            for token in stripped.split():
                if token.startswith("＠"):
                    problem = f"标签“{token}”应以半角“@”开头"
                elif not token.startswith("@"):
                    problem = f"标签行中的“{token}”不是标签：每个标签以“@”开头，标签之间用空格隔开"
                else:
                    problem = vocabulary.tag_problem(token[1:])
                if problem:
                    slips.append(Slip(path, number, problem, _tag_owner(number, lines, headers), kind="标签"))
    return slips


def normalised(text: str) -> str:
    """A step's text with the full-width characters that break it made half-width."""
    return WIDE_QUOTES.sub('"', text.replace("：", ":").replace("\u3000", " ")).rstrip()


def _render(text: str, row: dict[str, str] | None) -> str:
    if row is None:
        return text
    return PLACEHOLDER.sub(lambda m: row.get(m.group(1), m.group(0)), text)


class _FileLint:
    def __init__(self, path: str, lines: list[str], vocabulary: Vocabulary, document: dict):
        self.path, self.lines, self.vocabulary, self.document = path, lines, vocabulary, document
        self.slips: list[Slip] = []
        self.flagged = set()  # lines already reported by the line checks
        self.all_scenarios = tuple(_scenario_lines(lines))

    def add(self, line: int, message: str, scenarios: tuple[int, ...], unreadable: bool = False) -> None:
        if not any(s.line == line and s.message == message for s in self.slips):
            self.slips.append(Slip(self.path, line, message, scenarios, unreadable=unreadable))

    def run(self) -> list[Slip]:
        feature = self.document.get("feature") or {}
        children = list(feature.get("children", []))
        for child in list(children):
            if "rule" in child:
                children += child["rule"].get("children", [])
        background = None
        for child in children:
            if "background" in child:
                background = child["background"]
                self.steps(background["steps"], None, self.all_scenarios)
        for child in children:
            if "scenario" in child:
                self.scenario(child["scenario"], background)
        self.orphan_steps(background, children)
        return self.slips

    def orphan_steps(self, background, children) -> None:
        """A step line the parser read as description text: the 场景 line above it is misspelt
        (场景纲要, 情景), so the scenario does not exist and nothing says so."""
        parsed = {s["location"]["line"] for s in (background or {}).get("steps", [])}
        parsed |= {s["location"]["line"] for c in children if "scenario" in c for s in c["scenario"]["steps"]}
        for number, line in enumerate(self.lines, 1):
            if STEP_KEYWORD.match(line) and number not in parsed:
                above = next(
                    (self.lines[n - 1].strip() for n in range(number - 1, 0, -1) if re.match(r"^\s*[^\s#|@]+\s*[:：]", self.lines[n - 1])),
                    "",
                )
                cause = f"上面的“{above}”不是关键字（应为 功能、背景、场景、场景大纲、例子 之一）" if above else "它不在任何“场景:”之下"
                # The file reads, but not as written: stop the run as for a file that does not read.
                self.add(number, f"这一步不属于任何场景，不会运行：{cause}", self.all_scenarios, unreadable=True)

    def scenario(self, scenario: dict, background: dict | None) -> None:
        line = scenario["location"]["line"]
        examples = scenario.get("examples") or []
        if not examples:
            rows = [None]
        else:
            rows = []
            for table in examples:
                header = [c["value"] for c in (table.get("tableHeader") or {}).get("cells", [])]
                rows += [dict(zip(header, (c["value"] for c in r["cells"]))) for r in table.get("tableBody", [])]
                self.placeholders(scenario, header, table["location"]["line"])
            if not rows:
                self.add(examples[0]["location"]["line"], "例子表中没有数据行：场景大纲的每一行例子是一个场景", (line,))
        if not examples:
            self.placeholders(scenario, None, None)
        start = None
        if background and background["steps"]:
            start = self.keyword_type(background["steps"])
        self.action_before_outcome(scenario, background)
        for row in rows:
            self.steps(scenario["steps"], row, (line,), start)

    @staticmethod
    def texts(scenario: dict) -> list[tuple[str, int]]:
        """Each step's text and table cells of ``scenario``, with their lines."""
        found = []
        for step in scenario["steps"]:
            found.append((step["text"], step["location"]["line"]))
            found += [(c["value"], r["location"]["line"]) for r in (step.get("dataTable") or {}).get("rows", []) for c in r["cells"]]
        return found

    def placeholders(self, scenario: dict, header: list[str] | None, examples_line: int | None) -> None:
        """``<名称>`` with no column in 例子 stays as written; ‹名称> is never filled."""
        owner = (scenario["location"]["line"],)
        for text, line in self.texts(scenario):
            for m in STRAY_PLACEHOLDER.finditer(text):
                name = m.group(1) or m.group(2)
                self.add(line, f"占位符“{m.group(0)}”应写成半角尖括号“<{name}>”（英文输入法的 < 和 >）", owner)
            for m in PLACEHOLDER.finditer(text):
                name = m.group(1)
                if header is None:
                    self.add(line, f"“<{name}>”只在场景大纲中按例子替换：把“场景:”改为“场景大纲:”并在“例子:”中加一列“{name}”，或直接写出数值", owner)
                elif name not in header:
                    # A column no placeholder uses is the likelier one meant.
                    used = {n for t, _ in self.texts(scenario) for m in (*PLACEHOLDER.finditer(t), *STRAY_PLACEHOLDER.finditer(t)) for n in m.groups() if n}
                    unused = [h for h in header if h not in used]
                    near = _close(name, unused, n=1) or _close(name, header, n=1)
                    hint = f"（您是否想写“<{near[0]}>”？）" if near else ""
                    self.add(line, f"例子中没有“{name}”一列{hint}：第 {examples_line} 行的例子有 {_quoted(header)}；名称须一字不差", owner)

    def action_before_outcome(self, scenario: dict, background: dict | None) -> None:
        """A 那么 needs a 当 before it: without one there is no result to check."""
        previous = None
        for step in [*(background or {}).get("steps", []), *scenario["steps"]]:
            previous = KEYWORD_OF_TYPE.get(step["keywordType"], previous)
            if previous == "当":
                return
            if previous == "那么":
                self.add(
                    step["location"]["line"],
                    "“那么”之前没有“当”步骤，没有结果可查：先写“当 计算该活动的学分”“当 评定该人员的年度学分”或“当 审查该项目”等",
                    (scenario["location"]["line"],),
                )
                return

    def keyword_type(self, steps: list[dict], previous: str | None = None) -> str | None:
        for step in steps:
            previous = KEYWORD_OF_TYPE.get(step["keywordType"], previous)
        return previous

    def steps(self, steps: list[dict], row: dict | None, owner: tuple[int, ...], previous: str | None = None) -> None:
        for step in steps:
            keyword = KEYWORD_OF_TYPE.get(step["keywordType"], previous) or "假如"
            previous = keyword
            line = step["location"]["line"]
            text = _render(step["text"], row)
            if PLACEHOLDER.search(text) or STRAY_PLACEHOLDER.search(text):
                continue  # reported as a placeholder, with its own fix
            said = f"{step['keyword'].strip()} {text}"
            found, arguments = self.vocabulary.match(keyword, text)
            if found is None:
                if line not in self.flagged:  # a line check (full-width quotes) has said why
                    self.add(line, self.unmatched(keyword, text, said), owner)
                # Check its table all the same where the fix is plain (a full-width colon ...).
                found, arguments = self.vocabulary.match(keyword, normalised(text))
                if found is None:
                    continue
            self.arguments(found, arguments, line, owner)
            self.table(found, step, row, line, owner)

    def unmatched(self, keyword: str, text: str, said: str) -> str | None:
        v = self.vocabulary
        fixes = []
        normal = text
        if "：" in normal:
            normal = normal.replace("：", ":")
            fixes.append("全角冒号“：”应为半角“:”" + ("（步骤末尾的冒号表示下面跟一张表格）" if text.endswith("：") else ""))
        if "\u3000" in normal:
            normal = normal.replace("\u3000", " ")
            fixes.append("全角空格应为半角空格")
        if WIDE_QUOTES.search(normal):
            normal = WIDE_QUOTES.sub('"', normal)
            fixes.append("中文引号“ ”应为半角引号 \"")
        if normal.rstrip() != normal:
            normal = normal.rstrip()
            fixes.append("去掉行末的空格")
        if fixes and (found := v.match(keyword, normal)[0] or v.any_keyword(normal)):
            return f"步骤“{said}”：{'；'.join(fixes)}，即写成“{found.keyword if found.keyword != keyword else said.split()[0]} {normal}”"
        if other := v.any_keyword(normal):
            return (
                f"步骤“{said}”是“{other.keyword}”类步骤，这里按“{keyword}”读：把关键字改为“{other.keyword}”"
                f"（或接在“{other.keyword}”句之后的“而且”）"
            )
        nearest = v.nearest(keyword, normal)
        suggestions = "；".join(f"“{s.keyword} {s.readable}”（例：{s.example}）" for s in nearest)
        return f"找不到步骤“{said}”（`jijiao steps` 列出全部步骤，须一字不差）。您是否想写：{suggestions}"

    def arguments(self, found: _Step, arguments: dict, line: int, owner) -> None:
        for name, value in arguments.items():
            if name == "clause" and (problem := self.vocabulary.clause_problem(str(value))):
                self.add(line, f"条款“{value}”：{problem}", owner)
            elif name == "region" and (problem := self.vocabulary.place_problem(str(value))):
                self.add(line, problem, owner)
            elif name in self.vocabulary.choices and value not in self.vocabulary.choices[name]:
                self.add(line, f"“{value}”不是可写的值：这里只能写 {_quoted(self.vocabulary.choices[name])}", owner)

    def table(self, found: _Step, step: dict, row: dict | None, line: int, owner) -> None:
        table = found.table
        found_rows = (step.get("dataTable") or {}).get("rows", [])
        rows = [[_render(c["value"], row) for c in r["cells"]] for r in found_rows]
        row_lines = [r["location"]["line"] for r in found_rows]
        if table is None:
            if rows:
                self.add(line, f"步骤“{found.readable}”不带表格：去掉下面的表格，或换用以“:”结尾的步骤", owner)
            return
        if not rows:
            self.add(line, f"步骤末尾的“:”表示下面跟一张表格，但这里没有表格（例：{found.example} 及其下的表格，见 `jijiao steps`）", owner)
            return
        if table.shape == ONE:
            if any(len(r) != 2 for r in rows):
                many = next((t for t in _tables_named(table.name) if t.shape != ONE), None)
                hint = f"；给多项请用“{many.patterns[0]}”，首行为字段名" if many else ""
                self.add(line, f"这张表格应为“字段 | 值”两列，每行一个字段{hint}", owner)
                return
            columns = [(r[0], n) for r, n in zip(rows, row_lines) if r[0].strip() not in TABLE_HEADER_WORDS]
        else:
            columns = [(c, row_lines[0]) for c in rows[0]]
        if not table.checked:
            return
        for column, column_line in columns:
            if not table.accepts(column):
                self.add(column_line, unknown_column(table, column), owner)
        if table.shape == ONE:
            values = [(r[0], r[1], n) for r, n in zip(rows, row_lines) if r[0].strip() not in TABLE_HEADER_WORDS]
        else:
            values = [(c, v, n) for r, n in zip(rows[1:], row_lines[1:]) for c, v in zip(rows[0], r)]
        for column, value, value_line in values:
            if problem := value_problem(table, column, value, self.vocabulary):
                self.add(value_line, problem, owner)


def _tables_named(name: str) -> list[StepTable]:
    from .steptables import step_tables

    return [t for t in step_tables() if t.name == name]


def unknown_column(table: StepTable, column: str) -> str:
    """The message for a column ``table`` does not accept, with the columns it does."""
    # A label, or what people call it by its unit ("月数" for 累计时间, in 月) or in English.
    names = {}
    for part in table.parts:
        for label, (_name, unit, _owner) in part.labels().items():
            names.setdefault(label, label)
            if unit:
                names.setdefault(f"{unit}数", label)
    near = list(dict.fromkeys(names[n] for n in _close(column.strip(), names, n=3)))[:2]
    hint = f"您是否想写“{'”或“'.join(near)}”？" if near else ""
    if len(table.parts) > 1:
        accepted = "；".join(f"{p.name}：{_quoted(p.labels())}" for p in table.parts)
    else:
        accepted = _quoted(table.labels())
    return f"“{column.strip()}”不是{table.name}表格的字段。{hint}{table.name}表格可写的字段（`jijiao steps --fields`）——{accepted}"


def value_problem(table: StepTable, column: str, value: str, vocabulary: Vocabulary | None = None) -> str | None:
    """Why ``value`` cannot be read for ``column`` (a number, yes/no, date, one of a list), or None.

    Only reading is checked here, as `jijiao.inputs.parse_value` reads it; the models' own rules
    (a month count above zero ...) are the rules' business and answered when the scenario runs.
    """
    from .inputs import fact_index, field_index, parse_fact, parse_value
    from .steps._messages import reason_zh

    if not value.strip() or PLACEHOLDER.search(value) or STRAY_PLACEHOLDER.search(value):
        return None  # empty means "not recorded"; placeholders are checked on their own
    for part in table.parts:
        attribute = field_index(part.model).get(column.strip()) if part.model is not None else None
        fact = fact_index(part.facts).get(column.strip())
        if attribute is None and fact is not None:
            try:
                parse_fact(fact, value)
            except (ValueError, TypeError) as error:
                return f"“{column.strip()}”{reason_zh(str(error))}"
            return None
        if attribute is None:
            continue
        if attribute.metadata.get("place"):
            problem = vocabulary.place_problem(value) if vocabulary is not None else None
            return f"“{column.strip()}”：{problem}" if problem else None
        try:
            parse_value(attribute.type, value)
        except (ValueError, TypeError) as error:
            return f"“{column.strip()}”{reason_zh(str(error))}"
        return None
    return None


def lint_file(path: Path, vocabulary: Vocabulary, shown: str | None = None) -> list[Slip]:
    shown = shown or str(path)
    text = path.read_text("utf-8")
    lines = text.splitlines()
    slips = _line_slips(shown, lines, vocabulary)
    try:
        document = Parser().parse(text)
    except CompositeParserException as error:
        # The file cannot be read: nothing in it runs. Name the first line the parser stumbled on,
        # unless a slip found above (a full-width colon, no language line) already explains it.
        if not slips:
            first = error.errors[0].location.get("line") or 1
            content = lines[first - 1].strip() if 0 < first <= len(lines) else ""
            if "inconsistent cell count" in str(error):
                slips.append(Slip(shown, first, f"表格各行的格子数不一致：“{content}”与上一行的“|”个数不同；空格子也要写出两边的“|”"))
                return [attrs.evolve(s, unreadable=True) for s in slips]
            slips.append(Slip(shown, first, (
                f"文件格式有误，本文件的场景都无法运行：“{content}”不合场景文件的写法。常见原因：关键字写错（如“场景纲要”应为“场景大纲”）、"
                "全角冒号“：”、步骤写在“场景:”之前、表格的“|”缺了一个"
            )))
        return [attrs.evolve(s, unreadable=True) for s in slips]
    checks = _FileLint(shown, lines, vocabulary, document)
    checks.flagged = {s.line for s in slips}
    return sorted(slips + checks.run())


def feature_files(paths) -> list[Path]:
    found = []
    for path in map(Path, paths):
        found += sorted(path.rglob("*.feature")) if path.is_dir() else [path]
    return found


def lint(paths, vocabulary: Vocabulary | None = None) -> list[Slip]:
    """Every slip in the feature files under ``paths`` (files or folders)."""
    vocabulary = vocabulary or default_vocabulary()
    return [slip for path in feature_files(paths) for slip in lint_file(path, vocabulary)]


@functools.cache
def default_vocabulary() -> Vocabulary:
    return Vocabulary()


@functools.cache
def _slips_of(filename: str) -> tuple[Slip, ...]:
    return tuple(lint_file(Path(filename), default_vocabulary()))


def slips_for(filename: str, scenario_line: int) -> list[Slip]:
    """The slips that stop the scenario starting at ``scenario_line`` of ``filename`` (for pytest)."""
    return [s for s in _slips_of(str(Path(filename).resolve())) if s.unreadable or scenario_line in s.scenarios]
