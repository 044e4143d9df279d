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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

from .model import Profile, Work

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AnalysisConfig:
    """Everything a run can be told from outside. Thresholds live here, not in components."""

    kb_dirs: tuple[Path, ...] = ()
    characters_file: Path | None = None
    # Full analysis holds a parse of the whole story in memory (~1.5 GB per million words);
    # longer works are refused with a clear message rather than exhausting memory.
    max_words: int = 2_000_000


class Resources:
    """Heavy things loaded once per pipeline and shared by every work it analyses."""

    def __init__(self, config: AnalysisConfig, parser=None):
        self.config = config
        self._parser = parser
        self._kb = None
        self._cast = None

    @property
    def parser(self):
        if self._parser is None:
            from .nlp import Parser

            self._parser = Parser()
        return self._parser

    @property
    def kb(self):
        if self._kb is None:
            from .kb import load_kb

            self._kb = load_kb(self.config.kb_dirs)
        return self._kb

    @property
    def cast(self):
        if self._cast is None:
            from .kb import load_cast

            self._cast = load_cast(self.config.characters_file) if self.config.characters_file else []
        return self._cast


@dataclass
class Analysis:
    """The state one work accumulates on its way through the pipeline."""

    work: Work
    profile: Profile
    config: AnalysisConfig
    resources: Resources
    # Intermediate layers components share (e.g. "parsed": spaCy docs per story part).
    layers: dict[str, Any] = field(default_factory=dict)


Component = Callable[[Analysis], None]


def default_components() -> list[tuple[str, Component]]:
    from .audit import audit_tags
    from .characters.find import find_characters
    from .characters.narrator import name_narrator
    from .characters.reader_gender import infer_reader_gender
    from .coref import resolve_pronouns
    from .narration import detect_narration
    from .nlp import parse_story
    from .quotes.attribute import attribute_quotes, resolve_quote_pronouns
    from .quotes.detect import find_quotes
    from .relationships import find_relationships, suggest_relationship_tags
    from .stats import count_stats
    from .tags import detect_rating, detect_warnings
    from .tags.category import suggest_categories
    from .tags.fandom import suggest_fandom_and_characters
    from .tags.freeform import suggest_narration_tags
    from .tags.additional import suggest_additional_tags

    return [
        ("stats", count_stats),
        ("quotes", find_quotes),
        ("parse", parse_story),
        ("narration", detect_narration),
        ("characters", find_characters),
        ("coref", resolve_pronouns),
        ("speakers", attribute_quotes),
        ("quote_pronouns", resolve_quote_pronouns),
        ("narrator", name_narrator),
        ("reader_gender", infer_reader_gender),
        ("rating", detect_rating),
        ("warnings", detect_warnings),
        ("relationships", find_relationships),
        ("relationship_tags", suggest_relationship_tags),
        ("categories", suggest_categories),
        ("fandom_tags", suggest_fandom_and_characters),
        ("narration_tags", suggest_narration_tags),
        ("additional_tags", suggest_additional_tags),
        ("audit", audit_tags),
    ]


class Pipeline:
    """Runs components in order over a work. Build one and reuse it for many works."""

    def __init__(self, components: Sequence[tuple[str, Component]] | None = None, config: AnalysisConfig | None = None):
        self.components = list(components) if components is not None else default_components()
        self.config = config or AnalysisConfig()
        self.resources = Resources(self.config)

    def with_config(self, config: AnalysisConfig) -> "Pipeline":
        """The same components with another config, sharing the loaded spaCy model."""
        other = Pipeline(self.components, config)
        other.resources = Resources(config, parser=self.resources._parser)
        return other

    @property
    def names(self) -> list[str]:
        return [name for name, _ in self.components]

    def __call__(self, work: Work) -> Profile:
        analysis = Analysis(work=work, profile=Profile(work=work), config=self.config, resources=self.resources)
        for name, component in self.components:
            log.debug("%s: running %s", work.id, name)
            component(analysis)
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
