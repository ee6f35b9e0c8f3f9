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
import importlib.resources
import os
from decimal import Decimal
from typing import Any, Iterator

import attrs
import pluggy

from . import hookspecs
from .models import NATIONAL_CODE, Clause, ClauseRef, Document, Jurisdiction, Level, Parameter

ENTRY_POINT_GROUP = hookspecs.PROJECT_NAME


def get_plugin_manager(*, load_entry_points: bool = True) -> pluggy.PluginManager:
    """A new plugin manager with the hook specifications and (by default) the installed plugins."""
    pm = pluggy.PluginManager(hookspecs.PROJECT_NAME)
    pm.add_hookspecs(hookspecs)
    if load_entry_points:
        wanted = os.environ.get("JIJIAO_PLUGINS")
        if wanted is None:
            pm.load_setuptools_entrypoints(ENTRY_POINT_GROUP)
        else:
            for name in filter(None, (n.strip() for n in wanted.split(","))):
                pm.load_setuptools_entrypoints(ENTRY_POINT_GROUP, name=name)
    pm.check_pending()
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

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）：{self.reason}"


@attrs.define
class Chain:
    """The layers whose rules apply to one jurisdiction, national first.

    Attributes:
        code: The jurisdiction this chain is for (the most specific level).
        layers: The levels that have a plugin, top-down.
        missing: The levels that have none: their rules are not applied, and results say so.
    """

    code: str
    layers: tuple[Layer, ...]
    missing: tuple[MissingLayer, ...]
    _pm: pluggy.PluginManager = attrs.field(repr=False)
    _impls: dict[str, tuple] = attrs.field(factory=dict, repr=False)

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
    """What the loaded plugins bring, gathered once; the host's single source for rule lookups."""

    def __init__(self, pm: pluggy.PluginManager | None = None):
        self.pm = pm if pm is not None else get_plugin_manager()
        self.problems: list[str] = []
        self.jurisdictions: dict[str, Jurisdiction] = {}
        self.owners: dict[str, str] = {}
        self._plugins: dict[str, object] = {}
        self.documents: dict[str, Document] = {}
        self.clauses: dict[ClauseRef, Clause] = {}
        self.parameters: dict[str, Parameter] = {}
        self._chains: dict[str, Chain] = {}
        self._gather()

    # -- gathering ---------------------------------------------------------------------------

    def _each(self, hook_name: str) -> Iterator[tuple[str, object, Any]]:
        """Call a registration hook on every plugin, one by one, reporting failures by name."""
        for impl in getattr(self.pm.hook, hook_name).get_hookimpls():
            name = plugin_name(self.pm, impl.plugin)
            try:
                yield name, impl.plugin, impl.function()
            except Exception as error:  # a faulty plugin must not stop the others
                self.problems.append(str(PluginFailure(name, hook_name, error)))

    def _gather(self) -> None:
        claims: dict[str, list[tuple[str, object, Jurisdiction]]] = {}
        for name, plugin, result in self._each("jijiao_jurisdictions"):
            for jurisdiction in result or ():
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

        for name, _plugin, result in self._each("jijiao_documents"):
            for document in result or ():
                if document.id in self.documents:
                    self.problems.append(f"document {document.id} is registered twice (again by {name})")
                    continue
                self.documents[document.id] = document
                for clause in document.clauses:
                    self.clauses[clause.ref] = clause

        for name, _plugin, result in self._each("jijiao_parameters"):
            for parameter in result or ():
                self.parameters[f"{name}.{parameter.key}"] = parameter
                if parameter.clause is not None and parameter.clause not in self.clauses:
                    self.problems.append(f"parameter {name}.{parameter.key} cites unknown clause {parameter.clause}")

    # -- lookups -----------------------------------------------------------------------------

    def clause(self, ref: ClauseRef) -> Clause:
        try:
            return self.clauses[ref]
        except KeyError:
            raise KeyError(f"no plugin lists clause {ref}") from None

    def find_jurisdiction(self, text: str) -> str:
        """The code of a jurisdiction given by code or by name (辽宁省, 温州市)."""
        if text in self.jurisdictions or (len(text) == 6 and text.isdigit()):
            return text
        for code, jurisdiction in self.jurisdictions.items():
            if jurisdiction.name == text:
                return code
        for code, name in province_names().items():
            if name == text:
                return code
        known = "、".join(j.name for j in self.jurisdictions.values())
        raise ValueError(f"unknown jurisdiction {text!r}; installed: {known}")

    def name_of(self, code: str) -> str:
        if code in self.jurisdictions:
            return self.jurisdictions[code].name
        if code == NATIONAL_CODE:
            return "全国"
        return province_names().get(code, code)

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

    def chain(self, code: str) -> Chain:
        """The chain of layers for a jurisdiction code, built once and cached."""
        chain = self._chains.get(code)
        if chain is None:
            layers, missing = [], []
            for level_code in self.lineage(code):
                if level_code in self._plugins:
                    layers.append(Layer(self.jurisdictions[level_code], self.owners[level_code], self._plugins[level_code]))
                else:
                    missing.append(MissingLayer(level_code, self.name_of(level_code), "未安装该地区的规则插件，其规则未适用"))
            chain = Chain(code, tuple(layers), tuple(missing), self.pm)
            self._chains[code] = chain
        return chain

    def parameters_of(self, plugin: str) -> dict[str, Parameter]:
        prefix = plugin + "."
        return {k[len(prefix):]: p for k, p in self.parameters.items() if k.startswith(prefix)}


@functools.cache
def default_places():
    """Jurisdiction name → code with the installed plugins, for reading files (built once)."""
    return Registry().find_jurisdiction


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

    def __init__(self, plugin: str, parameters: dict[str, Parameter], overrides: dict[str, object]):
        self._plugin = plugin
        self._parameters = parameters
        self._values = {key: overrides.get(key, p.value) for key, p in parameters.items()}
        # Rules read these on every activity: as instance attributes they are found by the
        # ordinary lookup, without failing it first and falling back to __getattr__. A key
        # that would shadow a method (or a private name) is left to __getattr__, as before.
        own = type(self).__dict__
        self.__dict__.update({k: value for k, value in self._values.items() if k not in own and not k.startswith("_")})

    def __getattr__(self, key: str):
        try:
            return self._values[key]
        except KeyError:
            raise AttributeError(f"plugin {self._plugin!r} declares no parameter {key!r}") from None

    def cite(self, key: str) -> ClauseRef:
        return self._parameters[key].clause

    def parameter(self, key: str) -> Parameter:
        return self._parameters[key]


@attrs.define
class RuleContext:
    """What a rule may know about the run besides the record it judges.

    Attributes:
        registry: The loaded plugins.
        year: The year being assessed (None when judging a single record without a year).
        overrides: What-if values by ``plugin.key``, already converted to the parameter's type.
        as_of: The date deadlines are judged against (open vs missed), default today.
    """

    registry: Registry
    year: int | None = None
    overrides: dict[str, object] = attrs.field(factory=dict)
    as_of: Any = None
    _params: dict[str, ParameterValues] = attrs.field(factory=dict, repr=False)
    missing_documents: dict[str, tuple] = attrs.field(factory=dict, repr=False)
    """Per chain code, the documents its rules lack (engine.missing_documents fills it)."""

    def params(self, plugin: str) -> ParameterValues:
        values = self._params.get(plugin)
        if values is None:
            prefix = plugin + "."
            own = {k[len(prefix):]: v for k, v in self.overrides.items() if k.startswith(prefix)}
            values = ParameterValues(plugin, self.registry.parameters_of(plugin), own)
            self._params[plugin] = values
        return values

    @classmethod
    def with_overrides(cls, registry: Registry, settings: dict[str, str], **kwargs) -> "RuleContext":
        """A context from ``{"liaoning.annual_credits": "30"}``-style settings, each checked."""
        overrides = {}
        for key, text in settings.items():
            if key not in registry.parameters:
                raise ValueError(f"unknown parameter {key!r}; `jijiao plugins` lists them")
            overrides[key] = convert_override(registry.parameters[key], text)
        return cls(registry, overrides=overrides, **kwargs)


def parameter_value_text(value: object) -> str:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    return str(value)
