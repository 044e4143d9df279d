"""The pipeline runs components in order and the stats component counts story, not notes."""

from __future__ import annotations

from ficlens import analyze
from ficlens.model import Part, Work
from ficlens.pipeline import Pipeline


def test_components_run_in_order():
    calls = []
    pipeline = Pipeline([("a", lambda an: calls.append("a")), ("b", lambda an: calls.append("b"))])
    pipeline(Work(id="w", text="x", parts=[Part("body", 0, 1)]))
    assert calls == ["a", "b"] and pipeline.names == ["a", "b"]


def test_stats_count_story_words_only():
    text = "One two three.\n\nFour five.\n\nAuthor chatter here."
    parts = [Part("body", 0, 26, chapter=1), Part("end_notes", 28, len(text))]
    profile = Pipeline()(Work(id="w", text=text, parts=parts))
    assert profile.stats.words == 5
    assert profile.stats.paragraphs == 2
    assert profile.stats.note_words == 3
    assert profile.stats.chapters == 1


def test_analyze_accepts_text_and_paths(tmp_path, story_text):
    from_text = analyze(story_text)
    path = tmp_path / "s.txt"
    path.write_text(story_text, encoding="utf-8")
    from_path = analyze(path)
    from_str_path = analyze(str(path))
    assert from_text.stats.words == from_path.stats.words == from_str_path.stats.words > 0
    assert from_path.work.id == "s"


def test_analyze_reuses_one_pipeline_per_config(story_text):
    from ficlens.pipeline import AnalysisConfig, shared_pipeline

    analyze(story_text)
    first = shared_pipeline(AnalysisConfig())
    analyze(story_text)
    assert shared_pipeline(AnalysisConfig()) is first  # spaCy loaded once, not per call
    assert shared_pipeline(AnalysisConfig(max_words=10)) is not first  # another config, another pipeline


def test_the_pipeline_module_still_exports_the_analysis_types():
    import ficlens.analysis
    import ficlens.pipeline

    for name in ("Analysis", "AnalysisConfig", "Resources", "Layers"):
        assert getattr(ficlens.pipeline, name) is getattr(ficlens.analysis, name)


def test_one_shared_pipeline_per_settings_config():
    from ficlens.pipeline import AnalysisConfig, shared_pipeline

    config = AnalysisConfig().with_settings("narration", min_rate=5.0)
    first = shared_pipeline(config)
    assert shared_pipeline(AnalysisConfig().with_settings("narration", min_rate=5.0)) is first
    assert shared_pipeline(AnalysisConfig()) is not first
    assert {s.name: s.settings for s in first.steps}["narration"].min_rate == 5.0


def test_with_config_shares_the_parser_and_resolves_the_new_settings(pipeline):
    from ficlens.pipeline import AnalysisConfig

    _ = pipeline.resources.parser
    other = pipeline.with_config(AnalysisConfig().with_settings("reader_gender", min_share=0.5))
    assert other.resources.parser is pipeline.resources.parser
    assert {s.name: s.settings for s in other.steps}["reader_gender"].min_share == 0.5
    assert {s.name: s.settings for s in pipeline.steps}["reader_gender"].min_share == 0.8
