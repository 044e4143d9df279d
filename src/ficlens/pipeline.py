"""The analysis pipeline: an ordered list of small components, each adding one layer.

Like spaCy's `Language`, a `Pipeline` owns the shared resources (the spaCy model, the knowledge
base) and hands every component an `Analysis`: the work, the profile being filled, and whatever
earlier components left for later ones (e.g. parsed sentences). Components never reach back
upstream; a component that needs the output of two earlier ones simply runs after both.
"""

from __future__ import annotations

import functools
import logging
import os
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Callable, Sequence, Union

from .analysis import Analysis, AnalysisConfig, Layers, Resources, fresh_layers
from .component import ComponentSpec, covers, spec_of
from .errors import PipelineError
from .model import Profile, Work

__all__ = ["Analysis", "AnalysisConfig", "Layers", "Pipeline", "Resources", "analyze", "default_components"]

log = logging.getLogger(__name__)

Component = Callable[..., None]  # f(analysis) or, with declared settings, f(analysis, settings)
Entry = Union[Component, tuple[str, Component]]


def default_components() -> list[tuple[str, Component]]:
    """The full ficlens pipeline, in order; each step's contract is on its function (`spec_of`)."""
    from .audit import audit_tags
    from .characters.find import find_characters
    from .characters.narrator import name_narrator
    from .characters.reader_gender import infer_reader_gender
    from .coref import resolve_pronouns
    from .discourse.paragraphs import find_paragraphs
    from .discourse.speech_tags import find_speech_tags
    from .narration import detect_narration
    from .nlp import parse_story
    from .quotes.attribute import attribute_quotes
    from .quotes.detect import find_quotes
    from .quotes.quote_pronouns import resolve_quote_pronouns
    from .relationships import find_relationships, suggest_relationship_tags
    from .stats import count_stats
    from .tags import detect_rating, detect_warnings
    from .tags.additional import suggest_additional_tags
    from .tags.category import suggest_categories
    from .tags.fandom import suggest_fandom_and_characters
    from .tags.freeform import suggest_narration_tags

    components: list[Component] = [
        count_stats,
        find_quotes,
        find_paragraphs,
        parse_story,
        detect_narration,
        find_characters,
        find_speech_tags,
        resolve_pronouns,
        attribute_quotes,
        resolve_quote_pronouns,
        name_narrator,
        infer_reader_gender,
        detect_rating,
        detect_warnings,
        find_relationships,
        suggest_relationship_tags,
        suggest_categories,
        suggest_fandom_and_characters,
        suggest_narration_tags,
        suggest_additional_tags,
        audit_tags,
    ]
    return [_entry(c) for c in components]


@dataclass(frozen=True)
class Step:
    """One component of a built pipeline, with its settings resolved: call it with an `Analysis`."""

    name: str
    function: Component
    spec: ComponentSpec | None
    settings: Any = None

    def __call__(self, analysis: Analysis) -> None:
        if self.spec is not None and self.spec.settings is not None:
            self.function(analysis, self.settings)
        else:
            self.function(analysis)


def _entry(entry: Entry) -> tuple[str, Component]:
    """(name, function) of a pipeline entry: a declared component, or a (name, callable) pair."""
    if isinstance(entry, tuple):
        name, function = entry
    else:
        function = entry
        spec = spec_of(function)
        name = spec.name if spec else getattr(function, "__name__", "component")
    if isinstance(function, Step):
        function = function.function
    return name, function


def _settings(spec: ComponentSpec, config: AnalysisConfig) -> Any:
    overrides = config.settings_for(spec.name)
    if spec.settings is None:
        if overrides:
            raise PipelineError(f"component {spec.name!r} has no settings, but the config sets {sorted(overrides)}")
        return None
    known = {f.name for f in fields(spec.settings)}
    unknown = sorted(set(overrides) - known)
    if unknown:
        raise PipelineError(
            f"component {spec.name!r} has no setting {', '.join(unknown)} (it has: {', '.join(sorted(known))})"
        )
    return spec.settings(**overrides)


def _maker(needed: str, specs: Sequence[ComponentSpec]) -> str | None:
    return next((s.name for s in specs if any(covers(made, needed) for made in s.assigns)), None)


def check_order(steps: Sequence[Step]) -> None:
    """Raise `PipelineError` unless every declared requirement is made by an earlier step or is
    present on a fresh `Analysis`. Undeclared steps (plain callables) are not checked."""
    made: set[str] = set(fresh_layers())
    for position, step in enumerate(steps):
        if step.spec is None:
            continue
        for needed in step.spec.requires:
            if any(covers(m, needed) for m in made):
                continue
            later = _maker(needed, [s.spec for s in steps[position + 1 :] if s.spec])
            if later:
                where = f"made by {later!r}, which runs after it"
            else:
                maker = _maker(needed, [s for s in (spec_of(f) for _, f in default_components()) if s])
                where = f"made by {maker!r}, which this pipeline lacks" if maker else "made by no known component"
            raise PipelineError(f"component {step.name!r} needs {needed!r}, {where}")
        made.update(step.spec.assigns)


class Pipeline:
    """Runs components in order over a work. Build one and reuse it for many works.

    Building checks the order of the declared components (`check_order`) and resolves each one's
    settings from `config` once."""

    def __init__(self, components: Sequence[Entry] | None = None, config: AnalysisConfig | None = None):
        entries = [_entry(e) for e in (components if components is not None else default_components())]
        self.config = config or AnalysisConfig()
        self.steps = []
        for name, function in entries:
            spec = spec_of(function)
            self.steps.append(Step(name, function, spec, _settings(spec, self.config) if spec else None))
        check_order(self.steps)
        self.resources = Resources(self.config)

    @property
    def components(self) -> list[tuple[str, Step]]:
        """(name, step) pairs; each step is called with an `Analysis` alone."""
        return [(step.name, step) for step in self.steps]

    def with_config(self, config: AnalysisConfig) -> "Pipeline":
        """The same components with another config, sharing the loaded spaCy model (and the
        knowledge base, when both configs read the same KB folders: PDNC runs one per cast)."""
        other = Pipeline([(s.name, s.function) for s in self.steps], config)
        same_kb = config.kb_dirs == self.config.kb_dirs
        other.resources = Resources(config, parser=self.resources._parser, kb=self.resources._kb if same_kb else None)
        return other

    @property
    def names(self) -> list[str]:
        return [step.name for step in self.steps]

    def __call__(self, work: Work) -> Profile:
        analysis = Analysis(work=work, profile=Profile(work=work), config=self.config, resources=self.resources)
        for step in self.steps:
            log.debug("%s: running %s", work.id, step.name)
            step(analysis)
        return analysis.profile


def _as_work(source: Work | str | os.PathLike) -> Work:
    from .read import read, read_text

    if isinstance(source, Work):
        return source
    if isinstance(source, os.PathLike):
        return read(source)
    if "\n" not in source and len(source) < 4096 and Path(source).exists():
        return read(source)
    return read_text(source)


@functools.lru_cache(maxsize=8)
def shared_pipeline(config: AnalysisConfig = AnalysisConfig()) -> Pipeline:
    """The one full pipeline of a configuration in this process, loaded on first use.

    Loading spaCy and the knowledge base takes seconds, analysing a short work milliseconds: a
    caller of `analyze()` in a loop, a corpus worker process or a Dask worker must not reload
    them per work. This explicit cache (keyed by the frozen, hashable `AnalysisConfig`) is the
    only process-wide state ficlens keeps; a pipeline holds no per-work state, so sharing it is
    safe. `shared_pipeline.cache_clear()` drops the loaded models.
    """
    return Pipeline(config=config)


def analyze(
    source: Work | str | os.PathLike, pipeline: Pipeline | None = None, config: AnalysisConfig | None = None
) -> Profile:
    """Analyse a work, a path to one, or a text string, and return its `Profile`.

    A string that names an existing file (and has no newline) is read as a path; any other string
    is analysed as the text itself. Without `pipeline`, the process's shared pipeline for `config`
    is used (loaded once, see `shared_pipeline`).
    """
    return (pipeline or shared_pipeline(config or AnalysisConfig()))(_as_work(source))
