"""Component contracts: components are data-only modules, declare what they need and make, run
alone on a hand-built `Analysis`, and take their thresholds from settings a config can override."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import pytest

from ficlens.analysis import Analysis, AnalysisConfig, Layers, made_by
from ficlens.component import TABLE_END, TABLE_START, describe, spec_of
from ficlens.errors import MissingLayerError, PipelineError
from ficlens.model import Character, Part, Quote, Work
from ficlens.pipeline import Pipeline, default_components
from ficlens.read import read_text

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "ficlens"


def component_modules() -> list[str]:
    return sorted({function.__module__ for _, function in default_components()})


def test_every_default_component_declares_itself():
    for name, function in default_components():
        spec = spec_of(function)
        assert spec is not None and spec.name == name, function


def test_component_modules_import_without_the_pipeline():
    modules = component_modules()
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "    assert 'ficlens.pipeline' not in sys.modules, name + ' imports ficlens.pipeline'\n"
        "print('ok')\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-2000:]


def _private_imports(src: Path = SRC) -> list[str]:
    """`from <ficlens module> import _name` across src/ficlens, where importer or imported module
    belongs to a package that holds a pipeline component."""
    areas = {m.split(".")[1] for m in component_modules()}
    found = []
    for path in sorted(src.rglob("*.py")):
        module = ".".join(path.relative_to(src.parent).with_suffix("").parts)
        package = module.removesuffix(".__init__") if path.name == "__init__.py" else module.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ImportFrom):
                continue
            if node.level:
                parts = package.split(".")
                target = ".".join(parts[: len(parts) - node.level + 1] + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("ficlens.") or target == module:
                continue
            if module.split(".")[1] not in areas and target.split(".")[1] not in areas:
                continue
            for alias in node.names:
                if alias.name.startswith("_") and not alias.name.startswith("__"):
                    found.append(f"{module} imports {target}.{alias.name}")
    return found


def test_no_component_imports_another_modules_private_names():
    assert _private_imports() == []


def test_the_private_import_check_sees_a_private_import(tmp_path):
    """The check above can fail: private imports into or out of a component package show up."""
    tree = tmp_path / "ficlens"
    (tree / "tags").mkdir(parents=True)
    (tree / "tags" / "probe.py").write_text("from ..stats import _probe, __version__, public\n", encoding="utf-8")
    (tree / "web.py").write_text("from .tags.probe import _helper\nfrom .render import _other\n", encoding="utf-8")
    assert _private_imports(tree) == [
        "ficlens.tags.probe imports ficlens.stats._probe",
        "ficlens.web imports ficlens.tags.probe._helper",
    ]


# --- order checked when the pipeline is built -------------------------------------------------------


def _function(name: str):
    return dict(default_components())[name]


def test_a_pipeline_without_parse_fails_when_built_naming_what_is_missing():
    with pytest.raises(PipelineError) as raised:
        Pipeline([_function("stats"), _function("quotes"), _function("narration")])
    message = str(raised.value)
    assert message == "component 'narration' needs 'chunks', made by 'parse', which this pipeline lacks"
    assert "\n" not in message


def test_a_component_before_its_maker_fails_when_built():
    with pytest.raises(PipelineError, match="'parse' needs 'profile.stats', made by 'stats', which runs after it"):
        Pipeline([_function("parse"), _function("stats")])


def test_the_default_pipeline_and_plain_callables_build():
    assert Pipeline().names == [name for name, _ in default_components()]
    assert Pipeline([("mine", lambda analysis: None), _function("stats")]).names == ["mine", "stats"]


def test_each_layer_names_the_component_that_first_makes_it():
    """`Layers` metadata (used in MissingLayerError) agrees with the components' `assigns`."""
    first_maker: dict[str, str] = {}
    for name, function in default_components():
        for made in spec_of(function).assigns:
            first_maker.setdefault(made, name)
    for layer, maker in made_by().items():
        if layer != "tag_scan":  # a cache the first tag component to ask fills (tags.lexicon.story_scan)
            assert first_maker.get(layer) == maker, layer


def test_reading_a_layer_nobody_made_says_which_component_makes_it():
    analysis = Analysis.of(read_text("Some words."))
    with pytest.raises(MissingLayerError, match="layer 'chunks' is read before it is made: the 'parse' component"):
        analysis.layers.chunks
    assert not hasattr(analysis.layers, "quote_index")  # also an AttributeError
    assert analysis.layers.kb_characters == {} and analysis.layers.kb_index is None  # present from the start
    assert {f.name for f in fields(Layers)} >= {"chunks", "quote_index", "kb_index", "pair_contacts"}


# --- settings -------------------------------------------------------------------------------------------


def test_settings_overrides_are_hashable_and_order_free():
    one = AnalysisConfig().with_settings("narration", min_rate=5.0).with_settings("characters", min_coverage=0.2)
    two = AnalysisConfig().with_settings("characters", min_coverage=0.2).with_settings("narration", min_rate=5.0)
    assert one == two and hash(one) == hash(two)
    assert one.settings_for("narration") == {"min_rate": 5.0} and one.settings_for("speakers") == {}
    with pytest.raises(PipelineError, match="hashable"):
        AnalysisConfig().with_settings("narration", min_rate=[5.0])


def test_pipeline_resolves_each_components_settings_once():
    config = AnalysisConfig().with_settings("reader_gender", min_share=0.6)
    steps = {step.name: step for step in Pipeline(config=config).steps}
    assert steps["reader_gender"].settings.min_share == 0.6
    assert steps["narration"].settings == steps["narration"].spec.settings()  # defaults elsewhere


def test_an_unknown_setting_fails_when_built():
    with pytest.raises(PipelineError, match="'narration' has no setting min_rat "):
        Pipeline(config=AnalysisConfig().with_settings("narration", min_rat=3.0))
    with pytest.raises(PipelineError, match="'stats' has no settings"):
        Pipeline(config=AnalysisConfig().with_settings("stats", words=3))


def test_a_settings_override_changes_what_the_pipeline_finds(pipeline):
    text = "I walked to the harbour. I saw the boats come in, and I counted them as I always do.\n"
    assert pipeline(read_text(text)).narration.pov == "first"
    strict = pipeline.with_config(AnalysisConfig().with_settings("narration", min_rate=1000.0))
    assert strict(read_text(text)).narration.pov == "third"  # no pronoun rate reaches 1,000 per 1,000


# --- components alone, on a hand-built Analysis ---------------------------------------------------------


def test_stats_alone():
    text = "One two three.\n\nFour five.\n\nAuthor chatter here."
    analysis = Analysis.of(Work(id="w", text=text, parts=[Part("body", 0, 26, chapter=1), Part("end_notes", 28, 48)]))
    _function("stats")(analysis)
    stats = analysis.profile.stats
    assert (stats.words, stats.paragraphs, stats.note_words, stats.chapters) == (5, 2, 3, 1)


def test_narration_alone_on_parsed_chunks(pipeline):
    from ficlens.narration import NarrationSettings

    work = read_text("“I hate this,” he said. You open the door. You look at your hands and you wait.\n")
    analysis = Analysis.of(work)
    _function("quotes")(analysis)
    analysis.layers.chunks = pipeline.resources.parser.parse(work)
    _function("narration")(analysis, NarrationSettings())
    assert analysis.profile.narration.pov == "second"  # the "I" is inside the quotation
    assert analysis.profile.narration.tense == "present"


def _reader_analysis(text: str) -> Analysis:
    analysis = Analysis.of(read_text(text))
    _function("quotes")(analysis)
    analysis.profile.characters = [Character(id="reader", name="Reader", is_reader=True)]
    return analysis


def test_reader_gender_alone_and_its_threshold():
    from ficlens.characters.reader_gender import ReaderGenderSettings

    text = "You smooth your dress. You tug at your skirt. You scratch your beard.\n"  # 2 female, 1 male
    infer = _function("reader_gender")
    default = _reader_analysis(text)
    infer(default, ReaderGenderSettings())
    assert default.profile.characters[0].gender == "unknown"  # 2 of 3 is under the 0.8 share
    lenient = _reader_analysis(text)
    infer(lenient, ReaderGenderSettings(min_share=0.6))
    assert lenient.profile.characters[0].gender == "female"


def test_reader_gender_reads_only_addresses_said_to_the_reader():
    from ficlens.characters.reader_gender import ReaderGenderSettings

    analysis = _reader_analysis("“Good girl,” he said.\n")
    quote: Quote = analysis.profile.quotes[0]
    quote.speaker = "him"
    _function("reader_gender")(analysis, ReaderGenderSettings())
    assert analysis.profile.characters[0].gender == "unknown"  # said to nobody in particular
    quote.addressees = ["reader"]
    _function("reader_gender")(analysis, ReaderGenderSettings())
    assert analysis.profile.characters[0].gender == "female"


# --- docs/architecture.md ------------------------------------------------------------------------------


def test_architecture_doc_holds_the_pipeline_table_of_the_specs():
    doc = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    table = re.search(re.escape(TABLE_START) + "(.*?)" + re.escape(TABLE_END), doc, re.S)
    assert table, "docs/architecture.md lost its pipeline table markers"
    assert table.group(1) == describe(default_components()), (
        "the pipeline changed: regenerate the table with `python -m ficlens.component docs/architecture.md`"
    )


def test_every_layer_a_component_reads_is_declared(pipeline):
    """Run the default pipeline over a story with dialogue, recording which step reads which
    layer: each read is in the step's `requires` (or one of its own `assigns`), unless the step
    asked `layers.has(name)` first (an optional use, e.g. the tag scan's quotes)."""
    layer_names = {f.name for f in fields(Layers)} - {"tag_scan"}  # a cache any tag step may fill
    reads: set[tuple[str, str]] = set()
    optional: set[tuple[str, str]] = set()
    running: list[str] = []

    class RecordingLayers(Layers):
        def __getattribute__(self, name: str):
            if name in layer_names and running:
                reads.add((running[-1], name))
            return super().__getattribute__(name)

        def has(self, name: str) -> bool:
            optional.add((running[-1], name))
            return super().has(name)

    text = (
        "Harry looked at Hermione. “We should go,” he said.\n\n"
        "“Not yet,” she answered, and Ron laughed. “You always say that, Hermione.”\n"
    )
    analysis = Analysis.of(read_text(text))
    analysis.resources = pipeline.resources
    analysis.layers = RecordingLayers()
    for step in pipeline.steps:
        running.append(step.name)
        step(analysis)
    undeclared = sorted(
        (name, layer)
        for name, layer in reads - optional
        if layer not in (spec := {s.name: s.spec for s in pipeline.steps}[name]).requires and layer not in spec.assigns
    )
    assert undeclared == []
    assert ("narration", "chunks") in reads  # the recording works
