"""The data every component works on: one `Analysis` per work, with its typed `Layers`.

Components import this module (data), never `pipeline.py` (the orchestrator, which imports every
component). A component reads what earlier components left in `analysis.layers` and on
`analysis.profile`, and adds its own; what each one needs and makes is declared with
`ficlens.component.component` and checked by `Pipeline` when it is built.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Hashable

from .errors import MissingLayerError, PipelineError
from .model import Profile, Work

if TYPE_CHECKING:
    from .characters.kbmatch import KBIndex
    from .discourse.paragraphs import Paragraphs
    from .discourse.speech_tags import SpeechTags
    from .kb import KBCharacter, KnowledgeBase
    from .nlp import Chunk, Parser
    from .quotes.detect import QuoteIndex
    from .relationships.interactions import PairContacts
    from .tags.lexicon import StoryScan

# (component name, ((setting, value), ...)), sorted, so that equal configs hash alike.
SettingsOverrides = tuple[tuple[str, tuple[tuple[str, Hashable], ...]], ...]


@dataclass(frozen=True)
class AnalysisConfig:
    """Everything a run can be told from outside. Hashable: `shared_pipeline` caches by it.

    Each component's thresholds are the fields of its settings dataclass (declared with
    `@component(..., settings=...)`); `with_settings` overrides them for one run."""

    kb_dirs: tuple[Path, ...] = ()
    characters_file: Path | None = None
    # Full analysis holds a parse of the whole story in memory (~1.5 GB per million words);
    # longer works are refused with a clear message rather than exhausting memory.
    max_words: int = 2_000_000
    settings: SettingsOverrides = ()

    def with_settings(self, component: str, **values: Hashable) -> AnalysisConfig:
        """This config with some settings of one component overridden, e.g.
        `AnalysisConfig().with_settings("speakers", scene_chars=800)`."""
        for key, value in values.items():
            try:
                hash(value)
            except TypeError:
                raise PipelineError(
                    f"setting {component}.{key} must be hashable (a number, string or tuple), not {value!r}"
                ) from None
        merged = {**self.settings_for(component), **values}
        others = tuple(entry for entry in self.settings if entry[0] != component)
        entry = (component, tuple(sorted(merged.items())))
        return replace(self, settings=tuple(sorted(others + (entry,))))

    def settings_for(self, component: str) -> dict[str, Any]:
        """The overrides given for `component` (empty when none)."""
        return next((dict(values) for name, values in self.settings if name == component), {})


class Resources:
    """Heavy things loaded once per pipeline and shared by every work it analyses."""

    def __init__(self, config: AnalysisConfig, parser: Parser | None = None, kb: KnowledgeBase | None = None):
        self.config = config
        self._parser = parser
        self._kb: KnowledgeBase | None = kb
        self._cast: list[KBCharacter] | None = None

    @property
    def parser(self) -> Parser:
        if self._parser is None:
            from .nlp import Parser

            self._parser = Parser()
        return self._parser

    @property
    def kb(self) -> KnowledgeBase:
        if self._kb is None:
            from .kb import load_kb

            self._kb = load_kb(self.config.kb_dirs)
        return self._kb

    @property
    def cast(self) -> list[KBCharacter]:
        if self._cast is None:
            from .kb import load_cast

            self._cast = load_cast(self.config.characters_file) if self.config.characters_file else []
        return self._cast


def _made_by(component: str) -> Any:
    """A layer with no value until `component` makes it (reading it earlier raises MissingLayerError)."""
    return field(init=False, repr=False, metadata={"made_by": component})


@dataclass(eq=False)
class Layers:
    """What components leave for later ones, one typed field per layer.

    A layer without a default does not exist until its component makes it: reading it earlier
    raises `MissingLayerError`, naming the layer and the component that makes it. A layer with a
    default is present on a fresh `Analysis` and says "nothing found" until it is made."""

    # spaCy docs of the story parts, in text order.
    chunks: list[Chunk] = _made_by("parse")
    # Where the quotations are (profile.quotes holds the same spans).
    quote_index: QuoteIndex = _made_by("quotes")
    # Paragraph breaks of the whole text, as dialogue reads them (discourse/paragraphs.py).
    paragraphs: Paragraphs = _made_by("paragraphs")
    # Each quote's speech-tag words, and the words that are a tag's subject (discourse/speech_tags.py).
    speech_tags: SpeechTags = _made_by("speech_tags")
    # The knowledge base narrowed to the fandoms the story evidences; None: no KB match ran.
    kb_index: KBIndex | None = field(default=None, metadata={"made_by": "characters"})
    # Character id → the KB character it was merged through.
    kb_characters: dict[str, KBCharacter] = field(default_factory=dict, metadata={"made_by": "characters"})
    # The passages each pair of characters shares, keyed by the sorted pair of ids.
    pair_contacts: dict[tuple[str, str], PairContacts] = field(
        default_factory=dict, metadata={"made_by": "relationships"}
    )
    # The tag lexicons' scan of the story, made by the first tag component that asks
    # (`tags.lexicon.story_scan`), shared by the rest.
    tag_scan: StoryScan | None = field(default=None, metadata={"made_by": "tags.lexicon.story_scan (on first use)"})

    def has(self, name: str) -> bool:
        """Whether layer `name` holds a value (made, or present from the start)."""
        return name in self.__dict__

    if not TYPE_CHECKING:  # hidden from mypy, so that a misspelt layer is still a type error

        def __getattr__(self, name: str):
            # Only reached when normal lookup fails: a layer with no default, not made yet.
            maker = made_by().get(name)
            if maker is None:
                raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
            raise MissingLayerError(
                f"layer {name!r} is read before it is made: the {maker!r} component makes it, "
                "and must run earlier in the pipeline"
            )


def made_by() -> dict[str, str]:
    """Layer name → the component that makes it."""
    return {f.name: f.metadata["made_by"] for f in fields(Layers)}


def fresh_layers() -> frozenset[str]:
    """The layers present on a fresh `Analysis` (they have a default)."""
    return frozenset(Layers().__dict__)


@dataclass
class Analysis:
    """The state one work accumulates on its way through the pipeline."""

    work: Work
    profile: Profile
    config: AnalysisConfig
    resources: Resources
    layers: Layers = field(default_factory=Layers)

    @classmethod
    def of(cls, work: Work, config: AnalysisConfig | None = None) -> Analysis:
        """A fresh analysis of `work`, e.g. to run one component alone in a test."""
        config = config or AnalysisConfig()
        return cls(work=work, profile=Profile(work=work), config=config, resources=Resources(config))
