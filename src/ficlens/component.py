"""Component contracts: what a pipeline step needs, what it makes, and its settings.

Like spaCy's factories (`requires`, `assigns`, `default_config`), each component declares itself::

    @dataclass(frozen=True)
    class SpeakerSettings:
        scene_chars: int = 1000  # how far back a speaker stays in the scene

    @component("speakers", requires=("chunks", "quote_index", "profile.characters"),
               assigns=("profile.quotes.speaker",), settings=SpeakerSettings)
    def attribute_quotes(analysis: Analysis, settings: SpeakerSettings) -> None: ...

`requires` and `assigns` name fields of `analysis.Layers` or `"profile.<field>[.<sub>]"`. The
decorator only attaches a `ComponentSpec` to the function (no registry, no global state);
`Pipeline` reads it to check the order of its steps and to build each step's settings once.
"""

from __future__ import annotations

from dataclasses import MISSING, Field, dataclass, fields, is_dataclass
from typing import Any, Callable, Iterable, TypeVar

from .analysis import Layers
from .errors import PipelineError
from .model import Profile

F = TypeVar("F", bound=Callable[..., None])
_SPEC_ATTR = "__ficlens_component__"


@dataclass(frozen=True)
class ComponentSpec:
    """A component's contract. `settings` is a frozen dataclass whose defaults are its thresholds."""

    name: str
    requires: tuple[str, ...] = ()
    assigns: tuple[str, ...] = ()
    settings: type | None = None


def _check_name(component: str, name: str) -> None:
    layer_names = {f.name for f in fields(Layers)}
    if name in layer_names:
        return
    head, _, rest = name.partition(".")
    profile_fields = {f.name for f in fields(Profile)}
    if head == "profile" and rest.split(".")[0] in profile_fields:
        return
    raise PipelineError(
        f"component {component!r} names {name!r}, which is neither a layer "
        f"({', '.join(sorted(layer_names))}) nor profile.<field>"
    )


def component(
    name: str, *, requires: Iterable[str] = (), assigns: Iterable[str] = (), settings: type | None = None
) -> Callable[[F], F]:
    """Declare a function `f(analysis)` (or `f(analysis, settings)` with `settings`) a component."""
    if isinstance(requires, str) or isinstance(assigns, str):
        raise PipelineError(f"component {name!r}: requires and assigns are tuples of names, not one string")
    spec = ComponentSpec(name, tuple(requires), tuple(assigns), settings)
    for item in spec.requires + spec.assigns:
        _check_name(name, item)
    if settings is not None and not is_dataclass(settings):
        raise PipelineError(f"component {name!r}: settings must be a dataclass, not {settings!r}")

    def attach(function: F) -> F:
        setattr(function, _SPEC_ATTR, spec)
        return function

    return attach


def spec_of(function: Callable[..., Any]) -> ComponentSpec | None:
    """The contract `component` attached to `function`; None for a plain callable."""
    spec = getattr(function, _SPEC_ATTR, None)
    return spec if isinstance(spec, ComponentSpec) else None


def covers(made: str, needed: str) -> bool:
    """Whether making `made` provides `needed`: the same name, or one is a part of the other
    ("profile.quotes.speaker" is made on "profile.quotes"; making "profile.tags" makes its parts)."""
    return made == needed or made.startswith(needed + ".") or needed.startswith(made + ".")


def _default(setting: Field[Any]) -> Any:
    if setting.default is not MISSING:
        return setting.default
    factory: Callable[[], Any] = setting.default_factory  # type: ignore[assignment]
    return factory()


def describe(components: Iterable[Callable[..., Any] | tuple[str, Callable[..., Any]]]) -> str:
    """The components as a Markdown table (component, needs, makes, settings), in order.

    docs/architecture.md holds this table for `default_components()`; a test keeps them equal."""
    rows = [
        "| # | component | function | needs | makes | settings |",
        "|---|---|---|---|---|---|",
    ]
    for number, entry in enumerate(components, 1):
        function = entry[1] if isinstance(entry, tuple) else entry
        spec = spec_of(function)
        if spec is None:
            rows.append(f"| {number} | {getattr(function, '__name__', '?')} | (undeclared) | | | |")
            continue
        where = f"`{function.__module__.removeprefix('ficlens.')}.{function.__name__}`"
        settings = ", ".join(f"`{f.name}={_default(f)!r}`" for f in fields(spec.settings)) if spec.settings else ""
        needs = ", ".join(f"`{n}`" for n in spec.requires)
        makes = ", ".join(f"`{n}`" for n in spec.assigns)
        rows.append(f"| {number} | {spec.name} | {where} | {needs} | {makes} | {settings} |")
    return "\n".join(rows) + "\n"
