"""Finding plugins, learning what they bring, and building each jurisdiction's chain of layers.

Every jurisdiction -- the four that ship with jijiao included -- is a separate distribution
announced by an entry point in the ``jijiao`` group; there is no special path for ours.
``JIJIAO_PLUGINS`` (a comma-separated list of entry-point names) limits which are loaded.

`Registry` is the host's view of the loaded plugins: jurisdictions, documents, clauses and
parameters, plus the problems found while loading (reported by plugin name, never raised).
`Registry.chain(code)` gives the national → province → city `Chain` of a jurisdiction, with
each hook's implementations on that chain looked up once and cached, so a rule call costs the
same whether 4 or 300 jurisdictions are installed.
"""

from __future__ import annotations

import functools
import importlib.metadata
import importlib.resources
import os
from datetime import date
from decimal import Decimal
from typing import Any, Iterator

import attrs
import pluggy

from . import hookspecs, regions
from pathlib import Path

from .models import (
    NATIONAL_CODE,
    Activity,
    ActivityKind,
    Category,
    Clause,
    ClauseRef,
    Document,
    Fact,
    Jurisdiction,
    Level,
    Parameter,
    ParameterSet,
    Project,
    Reading,
    RequirementKind,
    in_force_version,
    year_end,
)

ENTRY_POINT_GROUP = hookspecs.PROJECT_NAME


def get_plugin_manager(*, load_entry_points: bool = True) -> pluggy.PluginManager:
    """A new plugin manager with the hook specifications and (by default) the installed plugins."""
    pm = pluggy.PluginManager(hookspecs.PROJECT_NAME)
    pm.add_hookspecs(hookspecs)
    pm.jijiao_load_problems = []
    if load_entry_points:
        wanted = os.environ.get("JIJIAO_PLUGINS")
        names = None if wanted is None else {n.strip() for n in wanted.split(",") if n.strip()}
        for entry_point in sorted(importlib.metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
            if names is not None and entry_point.name not in names or pm.has_plugin(entry_point.name):
                continue
            try:  # a plugin that cannot even be imported is reported by name, never fatal to the others
                pm.register(entry_point.load(), name=entry_point.name)
            except Exception as error:
                pm.jijiao_load_problems.append(str(PluginFailure(entry_point.name, "import", error)))
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as error:
        pm.jijiao_load_problems.append(f"plugin {getattr(error, 'plugin', '?')!r}: {error}")
    return pm


def plugin_name(pm: pluggy.PluginManager, plugin: object) -> str:
    return pm.get_name(plugin) or getattr(plugin, "__name__", repr(plugin))


@functools.cache
def province_names() -> dict[str, str]:
    text = importlib.resources.files("jijiao").joinpath("data/gbt2260_provinces.tsv").read_text("utf-8")
    rows = (line.split("\t") for line in text.splitlines() if line and not line.startswith("#"))
    return {code: name for code, name in rows}


@attrs.frozen
class Layer:
    """One level of a chain that a plugin provides."""

    jurisdiction: Jurisdiction
    plugin_name: str
    plugin: object = attrs.field(repr=False, eq=False)


@attrs.frozen
class MissingLayer:
    """One level of a chain that no installed plugin provides."""

    code: str
    name: str
    reason: str
    governed_by: str | None = None
    """The installed level above whose rules govern this one (沈阳市 under 辽宁省: a province's
    scheme is written for all its units; a city adds rules only by a document of its own, which a
    plugin would bring). Such a level is no gap in the year's verdict (`engine.unspoken_levels`)."""
    out_of_force: bool = False
    """True where the level has a plugin but no document of it governs the judged year: its
    rules do not exist for that year, so the year cannot be 合格 on that level (see
    hookspecs, "Rules in force by date")."""

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）：{self.reason}"


@attrs.define
class Chain:
    """The layers whose rules apply to one jurisdiction, national first.

    Attributes:
        code: The jurisdiction this chain is for (the most specific level).
        layers: The levels that have a plugin, top-down.
        missing: The levels that have none -- or, for a year, none of whose documents is in
            force in it: their rules are not applied, and results say so.
        year: The year the chain is built for (None: every installed layer, whatever the date).
    """

    code: str
    layers: tuple[Layer, ...]
    missing: tuple[MissingLayer, ...]
    _pm: pluggy.PluginManager = attrs.field(repr=False)
    _impls: dict[str, tuple] = attrs.field(factory=dict, repr=False)
    year: int | None = None
    plans: dict[str, Any] = attrs.field(factory=dict, repr=False, eq=False)
    """The host's plan of each hook's calls on this chain (`engine.plan`), made once."""
    silences: dict[Any, tuple] = attrs.field(factory=dict, repr=False, eq=False)
    """Per kind of activity no layer grants credit for, what the chain says of it (`engine.no_credit_rule`), made once."""

    @property
    def key(self) -> tuple[str, int | None]:
        return (self.code, self.year)

    @property
    def out_of_force(self) -> tuple[MissingLayer, ...]:
        """The levels that have a plugin but no document in force in the chain's year."""
        return tuple(m for m in self.missing if m.out_of_force)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(layer.jurisdiction.code for layer in self.layers)

    def implementations(self, hook_name: str) -> tuple[tuple[Layer, Any, tuple[str, ...]], ...]:
        """(layer, function, argument names) for each layer implementing ``hook_name``, top-down."""
        found = self._impls.get(hook_name)
        if found is None:
            impls = getattr(self._pm.hook, hook_name).get_hookimpls()
            found = tuple(
                (layer, impl.function, tuple(impl.argnames))
                for layer in self.layers
                for impl in impls
                if impl.plugin is layer.plugin
            )
            self._impls[hook_name] = found
        return found


class PluginFailure(Exception):
    """A plugin's hook raised: carries the plugin's name so the failure can be reported."""

    def __init__(self, plugin: str, hook: str, error: BaseException):
        super().__init__(f"plugin {plugin!r} failed in {hook}: {type(error).__name__}: {error}")
        self.plugin = plugin
        self.hook = hook
        self.error = error


class Registry:
    """What the loaded plugins bring, gathered once; the host's single source for rule lookups.

    Attributes:
        problems: Registration problems, each naming its plugin (never raised).
        jurisdictions / owners: Jurisdiction by code, and the plugin that provides it.
        documents / clauses: The documents the plugins hold and their clauses.
        parameters: Every policy number by ``<namespace>.<key>``.
        kinds / categories: Declared kinds of activity and credit categories, by code.
        facts: Declared facts by record (activity, application, execution), then by name.
        requirement_kinds: Declared kinds of annual requirement, by name.
        feature_paths: The plugins' folders of .feature files, by plugin name.
        step_modules: The plugins' step modules, by plugin name.
    """

    def __init__(self, pm: pluggy.PluginManager | None = None):
        self.pm = pm if pm is not None else get_plugin_manager()
        self.problems: list[str] = list(getattr(self.pm, "jijiao_load_problems", ()))
        self.jurisdictions: dict[str, Jurisdiction] = {}
        self.owners: dict[str, str] = {}
        self._plugins: dict[str, object] = {}
        self.documents: dict[str, Document] = {}
        self.clauses: dict[ClauseRef, Clause] = {}
        self.parameters: dict[str, Parameter] = {}  # the latest version of each
        self.parameter_history: dict[str, tuple[Parameter, ...]] = {}  # every version, oldest first
        self.namespaces: dict[str, str] = {}  # parameter namespace -> plugin name
        self.kinds: dict[str, ActivityKind] = {}
        self.categories: dict[str, Category] = {}
        self.facts: dict[str, dict[str, Fact]] = {record: {} for record in ("activity", "application", "execution")}
        self.requirement_kinds: dict[str, RequirementKind] = {}
        self.fact_owners: dict[tuple[str, str], list[str]] = {}  # (record, name) -> declaring plugins
        self.readings: dict[str, Reading] = {}
        self.feature_paths: dict[str, tuple[Path, ...]] = {}
        self.step_modules: dict[str, tuple[str, ...]] = {}
        self._chains: dict[str, Chain] = {}
        self._gather()

    # -- gathering ---------------------------------------------------------------------------

    def _each(self, hook_name: str) -> Iterator[tuple[str, object, Any]]:
        """Call a registration hook on every plugin, one by one, reporting failures by name.

        Plugins are asked from the highest level down (by the codes they provide: the national
        000000 first), then by name: what they declare is listed in that order, never in the
        order they happened to be installed."""
        highest: dict[int, str] = {}  # id(plugin) -> the smallest (highest-level) code it provides
        for code, plugin in self._plugins.items():
            highest[id(plugin)] = min(code, highest.get(id(plugin), code))
        impls = getattr(self.pm.hook, hook_name).get_hookimpls()
        for impl in sorted(impls, key=lambda i: (highest.get(id(i.plugin), "999999"), plugin_name(self.pm, i.plugin))):
            name = plugin_name(self.pm, impl.plugin)
            try:
                yield name, impl.plugin, impl.function()
            except Exception as error:  # a faulty plugin must not stop the others
                self.problems.append(str(PluginFailure(name, hook_name, error)))

    def _declared(self, hook_name: str, cls) -> Iterator[tuple[str, object, Any]]:
        """Each item a registration hook returns, checked to be a ``cls``; a wrong one is reported."""
        for name, plugin, result in self._each(hook_name):
            if result is None:
                continue
            items = [result] if isinstance(result, cls) else result
            try:
                items = list(items)
            except TypeError:
                self.problems.append(f"plugin {name!r}: {hook_name} returned {type(result).__name__}, not a list of {cls.__name__}")
                continue
            for item in items:
                if isinstance(item, cls):
                    yield name, plugin, item
                else:
                    self.problems.append(f"plugin {name!r}: {hook_name} returned a {type(item).__name__}, not a {cls.__name__}; ignored")

    def _gather(self) -> None:
        claims: dict[str, list[tuple[str, object, Jurisdiction]]] = {}
        for name, plugin, jurisdiction in self._declared("jijiao_jurisdictions", Jurisdiction):
            claims.setdefault(jurisdiction.code, []).append((name, plugin, jurisdiction))
        for code, claimants in sorted(claims.items()):
            if len(claimants) > 1:
                names = "、".join(sorted(c[0] for c in claimants))
                self.problems.append(f"jurisdiction {code} is claimed by several plugins ({names}); none is used")
                continue
            name, plugin, jurisdiction = claimants[0]
            self.jurisdictions[code] = jurisdiction
            self.owners[code] = name
            self._plugins[code] = plugin

        for name, _plugin, document in self._declared("jijiao_documents", Document):
            if document.id in self.documents:
                self.problems.append(f"document {document.id} is registered twice (again by {name})")
                continue
            self.documents[document.id] = document
            for clause in document.clauses:
                self.clauses[clause.ref] = clause

        self._gather_vocabulary()

        sets: dict[str, list[tuple[str, ParameterSet]]] = {}
        for name, _plugin, parameter_set in self._declared("jijiao_parameters", ParameterSet):
            sets.setdefault(parameter_set.namespace, []).append((name, parameter_set))
        for namespace, declared in sorted(sets.items()):
            if len(declared) > 1:
                names = "、".join(sorted(n for n, _s in declared))
                self.problems.append(f"parameter namespace {namespace!r} is declared by several plugins ({names}); none is used")
                continue
            name, parameter_set = declared[0]
            self.namespaces[namespace] = name
            versions: dict[str, list[Parameter]] = {}
            for parameter in parameter_set.parameters:
                versions.setdefault(parameter.key, []).append(parameter)
            for key, history in versions.items():
                history.sort(key=lambda p: p.since or date.min)
                if len({p.since for p in history}) < len(history):
                    self.problems.append(f"parameter {namespace}.{key} (plugin {name!r}) has two values from the same date")
                self.parameter_history[f"{namespace}.{key}"] = tuple(history)
                self.parameters[f"{namespace}.{key}"] = history[-1]
            for parameter in parameter_set.parameters:
                if parameter.clause is not None and parameter.clause not in self.clauses:
                    self.problems.append(f"parameter {namespace}.{parameter.key} (plugin {name!r}) cites unknown clause {parameter.clause}")

        for name, _plugin, result in self._each("jijiao_feature_paths"):
            self.feature_paths[name] = tuple(Path(p) for p in result or ())
        for name, _plugin, result in self._each("jijiao_step_modules"):
            self.step_modules[name] = tuple(result or ())

    def _gather_vocabulary(self) -> None:
        """Kinds, categories, facts and requirement kinds, each checked against the others'."""
        for table, hook, cls, key in (
            (self.kinds, "jijiao_activity_kinds", ActivityKind, "code"),
            (self.categories, "jijiao_categories", Category, "code"),
            (self.requirement_kinds, "jijiao_requirement_kinds", RequirementKind, "name"),
        ):
            declared_by: dict[str, str] = {}
            for name, _plugin, item in self._declared(hook, cls):
                code = getattr(item, key)
                if code in table and table[code] is not item:
                    self.problems.append(f"{cls.__name__} {code!r} is declared by {declared_by[code]!r} and again by {name!r}; the first stands")
                    continue
                table[code] = item
                declared_by[code] = name
                if getattr(item, "clause", None) is not None and item.clause not in self.clauses:
                    self.problems.append(f"{cls.__name__} {code!r} (plugin {name!r}) cites unknown clause {item.clause}")
        for name, _plugin, reading in self._declared("jijiao_readings", Reading):
            if reading.key in self.readings:
                self.problems.append(f"reading {reading.key!r} is declared twice (again by {name!r}); the first stands")
                continue
            self.readings[reading.key] = reading
            if reading.clause not in self.clauses:
                self.problems.append(f"reading {reading.key!r} (plugin {name!r}) cites unknown clause {reading.clause}")
        for kind in self.kinds.values():
            if kind.parent is not None and kind.parent.code not in self.kinds:
                self.problems.append(f"ActivityKind {kind.code!r} is a case of {kind.parent.code!r}, which no plugin declares")
        for requirement_kind in self.requirement_kinds.values():
            replaced = requirement_kind.replaces
            if replaced is not None and self.requirement_kinds.get(replaced.name) is not replaced:
                self.problems.append(f"RequirementKind {requirement_kind.name!r} replaces {replaced.name!r}, which no plugin declares")
        declared_by = {}
        for name, _plugin, fact in self._declared("jijiao_facts", Fact):
            facts = self.facts[fact.record]
            earlier = facts.get(fact.name)
            if earlier is not None and not earlier.same_as(fact):
                self.problems.append(
                    f"fact {fact.record}.{fact.name} is declared by {declared_by[(fact.record, fact.name)]!r} and "
                    f"differently by {name!r}; the first stands"
                )
                continue
            if earlier is None:
                facts[fact.name] = fact
                declared_by[(fact.record, fact.name)] = name
            self.fact_owners.setdefault((fact.record, fact.name), []).append(name)
            if fact.clause is not None and fact.clause not in self.clauses:
                self.problems.append(f"fact {fact.record}.{fact.name} (plugin {name!r}) cites unknown clause {fact.clause}")

    # -- lookups -----------------------------------------------------------------------------

    def clause(self, ref: ClauseRef) -> Clause:
        try:
            return self.clauses[ref]
        except KeyError:
            raise KeyError(f"no plugin lists clause {ref}") from None

    def find_jurisdiction(self, text: str) -> str:
        """The code of a jurisdiction given by code or by name (辽宁省, 温州市, 沈阳市: any GB/T 2260 name that is unique)."""
        if text in self.jurisdictions or (len(text) == 6 and text.isdigit()):
            return text
        for code, jurisdiction in self.jurisdictions.items():
            if jurisdiction.name == text:
                return code
        for code, name in province_names().items():
            if name == text:
                return code
        named = [code for code, name, _parent in regions.divisions() if name == text]  # a city or county (沈阳市)
        if len(named) == 1:
            return named[0]
        if named:
            raise ValueError(f"{text!r} names several divisions ({'、'.join(named)}): give the code")
        known = "、".join(j.name for j in self.jurisdictions.values())
        raise ValueError(f"unknown jurisdiction {text!r}; installed: {known}")

    def name_of(self, code: str) -> str:
        if code in self.jurisdictions:
            return self.jurisdictions[code].name
        if code == NATIONAL_CODE:
            return "全国"
        return province_names().get(code) or regions.name_of(code) or code  # a city no plugin covers: 丹东市

    def lineage(self, code: str) -> tuple[str, ...]:
        """The codes from the national level down to ``code``.

        Follows declared parents; for a code no plugin declares, derives the levels from the
        GB/T 2260 structure (province = first two digits, city = first four).
        """
        codes: list[str] = []
        current: str | None = code
        while current is not None and current not in codes:
            if current in self.jurisdictions or current.endswith("00"):
                # A county (县、县级市、区) without a plugin of its own is no layer of rules: the
                # policies we hold are national, provincial and city documents, and a county
                # practitioner is governed by its city's (长沙 第十三条: 区县 organise and inspect).
                codes.append(current)
            if current in self.jurisdictions:
                current = self.jurisdictions[current].parent
            elif current == NATIONAL_CODE:
                current = None
            elif current.endswith("0000"):
                current = NATIONAL_CODE
            elif current.endswith("00"):
                current = current[:2] + "0000"
            else:
                current = current[:4] + "00"
        return tuple(reversed(codes))

    def chain(self, code: str, year: int | None = None) -> Chain:
        """The chain of layers for a jurisdiction code, built once and cached.

        With a ``year``, a level whose documents are none of them in force in that year
        (`Document.governs_year`) is a missing level too: the host calls none of its rules for
        that year, and every result names the gap (`out_of_force_reason`)."""
        chain = self._chains.get((code, year))
        if chain is None:
            layers, missing = [], []
            for level_code in self.lineage(code):
                above = next((layer for layer in reversed(layers) if layer.jurisdiction.code != NATIONAL_CODE), None)
                if level_code not in self._plugins and above is not None:
                    missing.append(MissingLayer(level_code, self.name_of(level_code),
                                                f"未安装该地区的规则插件，按{above.jurisdiction.name}的规则评定",
                                                governed_by=above.jurisdiction.code))
                elif level_code not in self._plugins:
                    missing.append(MissingLayer(level_code, self.name_of(level_code), "未安装该地区的规则插件，其规则未适用"))
                elif year is not None and self.documents_of(level_code) and not self.in_force_documents(level_code, year):
                    # (a plugin that registers no document has nothing to date its rules by)
                    missing.append(MissingLayer(level_code, self.name_of(level_code),
                                                self.out_of_force_reason(level_code, year), out_of_force=True))
                else:
                    layers.append(Layer(self.jurisdictions[level_code], self.owners[level_code], self._plugins[level_code]))
            chain = Chain(code, tuple(layers), tuple(missing), self.pm, year=year)
            self._chains[(code, year)] = chain
        return chain

    def chain_on(self, chain: Chain, day: date) -> Chain:
        """The chain an activity of ``day`` is judged by: ``chain`` (its year's) less the levels
        none of whose documents is in force on that day -- an activity before its layer's
        earliest document took effect was done under rules we do not hold (hookspecs, "Rules
        in force by date"). Only a level with rules for activities (credit, recognition) is
        dated so: 温州's 17号 rules project applications, and an activity of February is no
        less judged by the rest. The same ``chain`` where every level's rules stand on that day."""
        key = (chain.code, chain.year, day)
        found = self._chains.get(key)
        if found is None:
            judging = {layer for hook in ("jijiao_credit", "jijiao_recognize") for layer, _f, _a in chain.implementations(hook)}
            gone = [layer for layer in chain.layers
                    if layer in judging and self.documents_of(layer.jurisdiction.code)
                    and not any(d.in_force(day) for d in self.documents_of(layer.jurisdiction.code))]
            found = chain
            if gone:
                missing = [*chain.missing, *(MissingLayer(l.jurisdiction.code, l.jurisdiction.name,
                                                          self.out_of_force_reason(l.jurisdiction.code, day.year, on=day),
                                                          out_of_force=True) for l in gone)]
                found = Chain(chain.code, tuple(l for l in chain.layers if l not in gone),
                              tuple(sorted(missing, key=lambda m: m.code)), self.pm, year=chain.year)
            self._chains[key] = found
        return found

    def documents_of(self, code: str) -> list[Document]:
        """The documents a jurisdiction's plugin holds, oldest first."""
        return sorted((d for d in self.documents.values() if d.jurisdiction == code), key=lambda d: (d.effective_from or d.issued, d.id))

    def in_force_documents(self, code: str, year: int) -> list[Document]:
        """A jurisdiction's documents that govern ``year`` (in force on its last day)."""
        return [d for d in self.documents_of(code) if d.governs_year(year)]

    def out_of_force_reason(self, code: str, year: int, *, on: date | None = None) -> str:
        """Why a level's rules do not judge ``year`` (or the day ``on``): what governed it
        instead, as far as the documents we hold say (what the first later one repeals), or
        when ours ceased."""
        documents = self.documents_of(code)
        later = [d for d in documents if ((d.effective_from or d.issued) > on if on else (d.effective_from or d.issued).year > year)]
        text = f"{on} 没有在册的有效文件" if on else f"{year} 年度没有在册的有效文件"
        if later and later[0].repeals:
            return f"{text}；当时施行的是{'、'.join(later[0].repeals)}（未收录）"
        if later:
            first = later[0]
            return f"{text}；在册最早的{first.number or first.title}自 {first.effective_from or first.issued} 起施行，此前的规定未收录"
        ended = [d for d in documents if d.effective_until is not None and (d.effective_until < on if on else d.effective_until.year < year)]
        if ended:
            last = ended[-1]
            return f"{text}；{last.number or last.title}只适用至 {last.effective_until}，{on or f'{year} 年度'}的文件未收录"
        return f"{text}（施行日期未收录）"

    def declared_facts(self, cls) -> dict:
        """For `inputs.build`: the declared facts of each of ``cls``'s fields of facts."""
        if cls is Activity:
            return {"facts": self.facts["activity"]}
        if cls is Project:
            return {"application": self.facts["application"], "execution": self.facts["execution"]}
        return {}

    def parameters_of(self, namespace: str, on: date | None = None) -> dict[str, Parameter | None]:
        """A namespace's parameters in force on ``on`` (the latest versions where None); a key
        none of whose versions has taken effect by then maps to None."""
        prefix = namespace + "."
        return {k[len(prefix):]: in_force_version(h, on) for k, h in self.parameter_history.items() if k.startswith(prefix)}


@functools.cache
def default_registry() -> "Registry":
    """The installed plugins' registry, built once per process: for reading and writing files
    where no other registry is given (commands build their own and pass it on)."""
    return Registry()


def default_places():
    """Jurisdiction name → code with the installed plugins, for reading files."""
    return default_registry().find_jurisdiction


def convert_override(parameter: Parameter, text: str) -> object:
    """Parse a what-if value given as text into the type of the parameter's policy value."""
    from .inputs import parse_value

    if parameter.value is None:
        # A number that no document we hold states (see `MissingDocument`): a what-if supplies it.
        return parse_value(Decimal, text)
    return parse_value(type(parameter.value), text)


class ParameterValues:
    """One plugin's policy numbers for a run: attribute access to values, with overrides applied.

    ``p = ctx.params("liaoning"); p.annual_credits`` gives the value, ``p.cite("annual_credits")``
    the clause it comes from, ``p.describe("annual_credits")`` a short text for explanations.
    """

    def __init__(self, plugin: str, parameters: dict[str, Parameter | None], overrides: dict[str, object]):
        self._plugin = plugin
        self._parameters = parameters
        # A what-if value applies on top of whatever version is in force (it stands for "now").
        self._values = {key: overrides.get(key, p.value if p is not None else None) for key, p in parameters.items()}
        # Rules read these on every activity: as instance attributes they are found by the
        # ordinary lookup, without failing it first and falling back to __getattr__. A key
        # that would shadow a method (or a private name) is left to __getattr__, as before.
        own = type(self)  # (a recording subclass reads its keys through properties instead)
        self.__dict__.update({k: value for k, value in self._values.items() if not hasattr(own, k) and not k.startswith("_")})

    _reads: set | None = None  # where a recording copy notes the keys read (`recording`)

    @classmethod
    def recording(cls, plugin: str, parameters: dict[str, Parameter | None], overrides: dict[str, object],
                  reads: set) -> "ParameterValues":
        """Values that note every ``plugin.key`` a rule reads into ``reads`` (the context's
        `RuleContext.reads`): what a what-if by dependency needs to know (whatif.py)."""
        values = _recording_class(cls, plugin, tuple(parameters))(plugin, parameters, overrides)
        values._reads = reads
        return values

    def __getattr__(self, key: str):
        try:
            value = self._values[key]
        except KeyError:
            raise AttributeError(f"plugin {self._plugin!r} declares no parameter {key!r}") from None
        if self._reads is not None:
            self._reads.add(f"{self._plugin}.{key}")
        return value

    def cite(self, key: str) -> ClauseRef | None:
        parameter = self._parameters[key]
        return parameter.clause if parameter is not None else None

    def parameter(self, key: str) -> Parameter | None:
        """The version in force on the judged day (None: no version had taken effect)."""
        if self._reads is not None:
            self._reads.add(f"{self._plugin}.{key}")
        return self._parameters[key]


@functools.cache
def _recording_class(base: type, plugin: str, keys: tuple[str, ...]) -> type:
    """A subclass of ``base`` whose parameters are properties noting their key when read: one
    set.add per read (no failed lookup first, as a __getattr__ would cost), made once per
    namespace. A key that would shadow a method or a private name is left to __getattr__."""

    def reader(key: str, full: str) -> property:
        def read(self):
            self._reads.add(full)
            return self._values[key]
        return property(read)

    own = base.__dict__
    return type(base.__name__, (base,), {
        key: reader(key, f"{plugin}.{key}") for key in keys if key not in own and not key.startswith("_")
    })


@attrs.define
class RuleContext:
    """What a rule may know about the run besides the record it judges.

    Attributes:
        registry: The loaded plugins.
        year: The year being assessed (None when judging a single record without a year).
        on: The day judged, where a rule judges one day (an activity's or a project's date);
            otherwise the year's last day decides (`judged_on`).
        overrides: What-if values by ``plugin.key``, already converted to the parameter's type.
        as_of: The date deadlines are judged against (open vs missed), default today.
        alternatives: Keys of the readings a what-if switched to their alternative.
        projects: The batch of projects judged together (the year's, or a file's), for the
            checks that span records (one application per leader ...).
    """

    registry: Registry
    year: int | None = None
    overrides: dict[str, object] = attrs.field(factory=dict)
    as_of: Any = None
    alternatives: frozenset = frozenset()
    projects: tuple = ()
    on: date | None = None
    _params: dict[tuple, ParameterValues] = attrs.field(factory=dict, repr=False)
    _groups: dict = attrs.field(factory=dict, repr=False)
    missing_documents: dict[str, tuple] = attrs.field(factory=dict, repr=False)
    """Per chain code, the documents its rules lack (engine.missing_documents fills it)."""
    reads: set = attrs.field(factory=set, repr=False, eq=False)
    chain_reads: dict = attrs.field(factory=dict, repr=False, eq=False)
    """Per chain, what its once-asked answers read (engine.missing_documents): every year on
    the chain depends on it."""
    chain_answers: dict = attrs.field(factory=dict, init=False, repr=False, eq=False)
    """Per hook, chain, year and day, the layers' answers to a hook of the year that takes
    nothing of the person, and what they read (engine.chain_wide_layers). Not passed on by
    ``attrs.evolve``: a context made from this one (another batch of projects) asks afresh."""
    year_reads: tuple = attrs.field(default=(), repr=False, eq=False)
    """What the last `engine.assess_year` read: (the awards, the year before its requirements,
    the requirements and their make-up), each a frozenset of keys."""
    """The ``plugin.key`` of every parameter and reading the rules read since the host last
    took them (engine.assess_year takes them stage by stage; see whatif.py): shared by the
    contexts evolved from this one."""

    def params(self, parameters: ParameterSet | str) -> ParameterValues:
        """The values of a plugin's `ParameterSet` (or of the namespace so named) for this run."""
        namespace = parameters.namespace if isinstance(parameters, ParameterSet) else parameters
        on = self.judged_on
        values = self._params.get((namespace, on))
        if values is None:
            prefix = namespace + "."
            own = {k[len(prefix):]: v for k, v in self.overrides.items() if k.startswith(prefix)}
            values = ParameterValues.recording(namespace, self.registry.parameters_of(namespace, on), own, self.reads)
            self._params[(namespace, on)] = values
        return values

    @property
    def judged_on(self) -> date | None:
        """The day whose rules apply: ``on``, else the last day of ``year`` (annual rules are
        those in force when the year closes), else None (the latest rules)."""
        if self.on is not None:
            return self.on
        return year_end(self.year) if self.year is not None else None

    def took(self) -> frozenset:
        """The parameters and readings read since the last call, forgotten as they are given."""
        taken = frozenset(self.reads)
        self.reads.clear()
        return taken

    def projects_by(self, key) -> dict:
        """The batch's projects grouped by ``key(project)`` (None keys left out), built once per
        batch and key function: a check that spans records looks its group up instead of
        scanning the whole batch for every project (a province checks tens of thousands)."""
        cache = self._groups
        found = cache.get((key, id(self.projects)))
        if found is None:
            found = {}
            for project in self.projects:
                value = key(project)
                if value is not None:
                    found.setdefault(value, []).append(project)
            cache[(key, id(self.projects))] = found
        return found

    def reading(self, reading: Reading) -> bool:
        """True while the reading taken applies; False where a what-if took the alternative."""
        self.reads.add(reading.key)
        return reading.key not in self.alternatives

    @classmethod
    def with_overrides(cls, registry: Registry, settings: dict[str, str], *, readings: dict[str, str] | None = None,
                       **kwargs) -> "RuleContext":
        """A context from ``{"liaoning.annual_credits": "30"}``-style settings and
        ``{"liaoning.remote_three_steps": "alternative"}``-style readings, each checked."""
        overrides = {}
        readings = dict(readings or {})
        for key, text in settings.items():
            if key in registry.readings:  # `--set liaoning.remote_three_steps=alternative` switches a reading
                readings[key] = text
                continue
            if key not in registry.parameters:
                raise ValueError(f"unknown parameter {key!r}; `jijiao plugins` lists them")
            overrides[key] = convert_override(registry.parameters[key], text)
        alternatives = set()
        for key, choice in readings.items():
            reading = registry.readings.get(key)
            if reading is None:
                raise ValueError(f"unknown reading {key!r}; `jijiao plugins` lists them")
            if choice == "taken":
                continue
            if not reading.switchable:
                raise ValueError(f"reading {key}: the plugin cannot compute its alternative ({reading.alternative})")
            alternatives.add(key)  # any other word (alternative, strict ...) takes the alternative
        return cls(registry, overrides=overrides, alternatives=frozenset(alternatives), **kwargs)


def parameter_value_text(value: object) -> str:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    return str(value)
