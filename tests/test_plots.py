"""Per-work plots (ficlens.plots.work), `ficlens plot` and the plots in the HTML report.

The plots are checked on real analyses of the example works: each file is produced, is a real
SVG/PNG with content, and names the characters and numbers it claims to show.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import numpy as np
import pytest
from conftest import EXAMPLES

from ficlens import read
from ficlens.cli import main
from ficlens.plots import (
    KINDS,
    WorkView,
    figure_bytes,
    inline_svg,
    work_figures,
    write_work_plots,
)
from ficlens.plots.work import StoryClock, _network_nodes, stress_layout
from ficlens.stats import count_words


@pytest.fixture(scope="module")
def lighthouse(pipeline):
    return pipeline(read(EXAMPLES / "the-lighthouse-keeper.txt"))


@pytest.fixture(scope="module")
def pride(pipeline):
    return pipeline(read(EXAMPLES / "pride-and-prejudice-ch1-3.html"))


def svg_texts(svg: bytes | str) -> list[str]:
    """The text elements of a matplotlib SVG (svg.fonttype 'none' keeps them as text)."""
    text = svg.decode("utf-8") if isinstance(svg, bytes) else svg
    return [re.sub(r"\s+", " ", t).strip() for t in re.findall(r"<text[^>]*>(.*?)</text>", text, re.DOTALL)]


def png_pixels(data: bytes) -> np.ndarray:
    from matplotlib.image import imread

    return imread(io.BytesIO(data), format="png")


def test_view_is_the_same_from_profile_and_from_dict(lighthouse):
    a = WorkView.of(lighthouse)
    b = WorkView.of(lighthouse.to_dict())
    assert [c.name for c in a.characters] == [c.name for c in b.characters]
    assert a.quoted_words() == b.quoted_words()
    assert len(a.mentions) == len(b.mentions) == len(lighthouse.mentions)


def test_story_clock_gives_paratext_no_time(lighthouse):
    clock = StoryClock(WorkView.of(lighthouse).story)
    notes = [p for p in lighthouse.work.parts if not p.is_story]
    body = [p for p in lighthouse.work.parts if p.is_story]
    assert notes and len(body) == 2
    assert clock(notes[0].start) is None
    assert clock(body[0].start) == 0.0
    # the second chapter starts where the first chapter's share of the story text ends
    share = 100 * (body[0].end - body[0].start) / sum(p.end - p.start for p in body)
    assert clock(body[1].start) == pytest.approx(share)
    assert [c for _, c in clock.chapter_starts()] == [1, 2]
    times = [clock(m.start) for m in lighthouse.mentions if clock(m.start) is not None]
    assert times == sorted(times) and 0 <= times[0] and times[-1] < 100


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_is_a_real_svg_and_png(lighthouse, kind):
    fig = work_figures(lighthouse, (kind,))[kind]
    svg = figure_bytes(fig, "svg")
    png = figure_bytes(fig, "png")
    assert svg.lstrip().startswith(b"<?xml") and b"<svg" in svg
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pixels = png_pixels(png)
    assert pixels.shape[0] > 300 and pixels.shape[1] > 600
    assert pixels[..., :3].std() > 0.05  # not a blank canvas
    texts = svg_texts(svg)
    assert "The Lighthouse Keeper" in texts  # the work it is of
    # every kind names the story's two leading characters
    for name in ("Margaret Rowe", "Tom Penrose"):
        assert any(name in t for t in texts), (kind, name)


def test_presence_rows_are_the_most_mentioned_characters(pride):
    texts = svg_texts(figure_bytes(work_figures(pride, ("presence",))["presence"], "svg"))
    ranked = sorted((c for c in pride.characters if c.mention_count), key=lambda c: -c.mention_count)
    assert len(ranked) > 12  # else the cap below is never tried
    for c in ranked[:12]:
        assert f"{c.name} ({c.mention_count:,})" in texts
    for c in ranked[12:]:
        assert not any(t.startswith(c.name + " (") for t in texts)


def test_speaking_bars_are_the_quoted_words(lighthouse):
    texts = svg_texts(figure_bytes(work_figures(lighthouse, ("speaking",))["speaking"], "svg"))
    text = lighthouse.work.text
    words: dict[str | None, int] = {}
    for q in lighthouse.quotes:
        words[q.speaker] = words.get(q.speaker, 0) + count_words(text[q.start : q.end])
    total = sum(words.values())
    for c in lighthouse.characters:
        if words.get(c.id):
            label = f"{words[c.id]:,} ({100 * words[c.id] / total:.0f} %)"
            assert label in texts, (c.name, label)


def test_conversation_cells_are_speaker_addressee_counts(lighthouse):
    texts = svg_texts(figure_bytes(work_figures(lighthouse, ("conversation",))["conversation"], "svg"))
    pairs: dict[tuple[str, str], int] = {}
    for q in lighthouse.quotes:
        for a in q.addressees:
            if q.speaker and a != q.speaker:
                pairs[(q.speaker, a)] = pairs.get((q.speaker, a), 0) + 1
    assert pairs
    numbers = sorted(int(t) for t in texts if t.isdigit())
    # every count appears as a cell label (the colour bar adds its own tick numbers besides)
    for count in pairs.values():
        assert count in numbers


def test_network_shows_linked_characters_and_their_relationship_types(pride):
    nodes = {c.id for c in _network_nodes(WorkView.of(pride))}
    assert pride.relationships
    for r in pride.relationships:
        assert set(r.characters[:2]) <= nodes
    texts = svg_texts(figure_bytes(work_figures(pride, ("network",))["network"], "svg"))
    for kind in {r.type for r in pride.relationships}:
        assert {"platonic": "shared scenes"}.get(kind, kind) in texts


def test_stress_layout_keeps_path_distances_in_order():
    import networkx as nx

    graph = nx.path_graph(["a", "b", "c", "d", "e"])
    pos = stress_layout(graph)
    dist = {n: float(np.linalg.norm(pos["a"] - pos[n])) for n in "bcde"}
    assert dist["b"] < dist["c"] < dist["d"] < dist["e"]
    assert stress_layout(graph)["c"].tolist() == pos["c"].tolist()  # deterministic


def test_a_profile_without_characters_still_plots(analyse):
    profile = analyse("It rained. Nothing else happened, and nobody said anything at all.")
    profile.characters, profile.mentions, profile.quotes, profile.relationships = [], [], [], []
    for kind, fig in work_figures(profile).items():
        texts = svg_texts(figure_bytes(fig, "svg"))
        assert any(t.startswith("No ") for t in texts), kind


def test_write_work_plots_never_overwrites(tmp_path, lighthouse):
    paths = write_work_plots(lighthouse, "lh", tmp_path)
    assert sorted(p.name for p in paths) == sorted(f"lh.{k}.{f}" for k in KINDS for f in ("svg", "png"))
    before = {p: p.read_bytes() for p in paths}
    from ficlens.errors import OutputExists

    with pytest.raises(OutputExists):
        write_work_plots(lighthouse, "lh", tmp_path, kinds=("speaking",))
    assert {p: p.read_bytes() for p in paths} == before
    assert write_work_plots(lighthouse, "lh", tmp_path, kinds=("speaking",), formats=("svg",), force=True)


def test_inline_svg_ids_do_not_clash(lighthouse):
    figures = work_figures(lighthouse)
    svgs = [inline_svg(fig, kind) for kind, fig in figures.items()]
    ids = [i for svg in svgs for i in re.findall(r'\sid="([^"]+)"', svg)]
    assert len(ids) == len(set(ids))
    assert all(not svg.startswith("<?xml") and 'role="img"' in svg for svg in svgs)


def test_html_report_embeds_the_plots_standalone(lighthouse):
    from ficlens.render import render

    page = render(lighthouse, "html")
    assert page.count("<svg") == len(KINDS)
    for kind in KINDS:
        assert f'id="plot-{kind}"' in page
    assert not re.search(r'(src|href)="(https?:|//)', page)  # nothing fetched from elsewhere
    assert "<img" not in page and "<script" not in page
    plots = page[page.index('<section class="plots">') :]
    assert "Margaret Rowe" in plots


def test_cli_plot_from_profile_json(tmp_path, lighthouse):
    profile = tmp_path / "lh.json"
    profile.write_text(json.dumps(lighthouse.to_dict()), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    assert main(["plot", str(profile), "-o", str(tmp_path / "plots"), "--kind", "network", "-f", "svg"], out, err) == 0
    written = out.getvalue().split()
    assert written == [str(tmp_path / "plots" / f"{lighthouse.work.id}.network.svg")]
    assert "Margaret Rowe" in Path(written[0]).read_text(encoding="utf-8")
    # again without --force: exit 5, the file untouched
    before = Path(written[0]).read_bytes()
    assert (
        main(
            ["plot", str(profile), "-o", str(tmp_path / "plots"), "--kind", "network", "-f", "svg"], io.StringIO(), err
        )
        == 5
    )
    assert "exists" in err.getvalue() and Path(written[0]).read_bytes() == before


def test_cli_plot_analyses_a_work_file(tmp_path):
    out, err = io.StringIO(), io.StringIO()
    code = main(["plot", str(EXAMPLES / "starlight-and-static.txt"), "-o", str(tmp_path), "-f", "png"], out, err)
    assert code == 0, err.getvalue()
    assert sorted(Path(p).name for p in out.getvalue().split()) == sorted(
        f"starlight-and-static.{k}.png" for k in KINDS
    )


def test_cli_plot_bad_input(tmp_path):
    err = io.StringIO()
    assert main(["plot", str(tmp_path / "missing.txt"), "-o", str(tmp_path)], io.StringIO(), err) == 4
    assert err.getvalue().count("\n") == 1 and "Traceback" not in err.getvalue()
    assert main(["plot", "x", "--kind", "pie"], io.StringIO(), io.StringIO()) == 2


def test_cli_plot_a_work_of_a_corpus_database(tmp_path, lighthouse):
    from ficlens import Corpus
    from ficlens.corpus import build_record

    db = tmp_path / "corpus.db"
    with Corpus(db) as corpus:
        corpus.add([build_record(lighthouse, "lighthouse", with_minhash=False)])
    out, err = io.StringIO(), io.StringIO()
    code = main(
        ["plot", lighthouse.work.id, "--db", str(db), "-o", str(tmp_path / "p"), "--kind", "speaking", "-f", "svg"],
        out,
        err,
    )
    assert code == 0, err.getvalue()
    svg = Path(out.getvalue().split()[0]).read_text(encoding="utf-8")
    assert "Margaret Rowe" in svg and "The Lighthouse Keeper" in svg
    err = io.StringIO()
    assert main(["plot", "no-such-work", "--db", str(db), "-o", str(tmp_path / "p")], io.StringIO(), err) == 6
    assert "no-such-work" in err.getvalue()
