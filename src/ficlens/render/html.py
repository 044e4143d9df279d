"""A standalone HTML report: metadata, plots, the text with its parts, quotes and character mentions.

One self-contained file (inline CSS, inline SVG plots, no scripts, no external assets) so it can
be mailed, archived or opened offline. Highlights are nested spans; a span that would cross another is
dropped rather than producing broken markup.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from ..model import Profile

_PALETTE = ["#e6194b33", "#3cb44b33", "#4363d833", "#f5823133", "#911eb433", "#46f0f033", "#f032e633", "#bcf60c33"]

_CSS = """
body{font:16px/1.6 Georgia,serif;max-width:50rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.6rem;margin-bottom:.2rem} .byline{color:#555;margin-top:0}
dl.tags{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;font:14px/1.4 sans-serif;background:#f6f6f6;padding:.8rem;border-radius:6px}
dl.tags dt{font-weight:bold} dl.tags dd{margin:0}
.part{white-space:pre-wrap;margin:1.2rem 0;padding:.6rem .8rem;border-left:4px solid #ccc}
.part.body{border-color:#6a9}
.part.notes,.part.end_notes,.part.summary{background:#fafaf0;border-color:#cc9;font-style:italic}
.part-label{font:12px sans-serif;text-transform:uppercase;color:#777;letter-spacing:.05em}
.quote{text-decoration:underline dotted #555}
.mention{border-radius:3px}
.plots figure{margin:1rem 0 1.6rem} .plots svg{display:block;max-width:100%;height:auto}
.plots figcaption{font:13px/1.4 sans-serif;color:#555;margin-top:.3rem}
table.cast{font:14px sans-serif;border-collapse:collapse} table.cast td,table.cast th{padding:.2rem .6rem;border-bottom:1px solid #ddd;text-align:left}
"""


@dataclass
class _Span:
    start: int
    end: int
    open_tag: str

    @property
    def close_tag(self) -> str:
        return "</" + self.open_tag[1:].split(" ", 1)[0].rstrip(">") + ">"


def _nest(text: str, spans: list[_Span], offset: int) -> tuple[str, int]:
    """Text[offset:offset+len] with spans wrapped around it; crossing spans are dropped."""
    spans = sorted(spans, key=lambda s: (s.start, -s.end))
    out: list[str] = []
    stack: list[_Span] = []
    pos = offset
    for span in spans:
        while stack and stack[-1].end <= span.start:
            closing = stack.pop()
            out.append(html.escape(text[pos : closing.end]) + closing.close_tag)
            pos = closing.end
        if stack and span.end > stack[-1].end:
            continue  # crosses the enclosing span
        out.append(html.escape(text[pos : span.start]) + span.open_tag)
        pos = span.start
        stack.append(span)
    while stack:
        closing = stack.pop()
        out.append(html.escape(text[pos : closing.end]) + closing.close_tag)
        pos = closing.end
    return "".join(out), pos


def _header(profile: Profile) -> list[str]:
    work = profile.work
    out = [f"<h1>{html.escape(work.title or work.id)}</h1>"]
    if work.authors:
        out.append(f'<p class="byline">by {html.escape(", ".join(work.authors))}</p>')
    from . import author_tag_rows

    rows = author_tag_rows(work.author_tags) + [
        ("Words", [f"{profile.stats.words:,}"]),
        ("Chapters", [str(profile.stats.chapters)]),
    ]
    if profile.narration.pov:
        rows.append(("Narration", [f"{profile.narration.pov} person, {profile.narration.tense or '?'} tense"]))
    out.append('<dl class="tags">')
    for label, values in rows:
        if values:
            out.append(f"<dt>{label}</dt><dd>{html.escape(', '.join(values))}</dd>")
    out.append("</dl>")
    return out


def _cast(profile: Profile, colours: dict[str, str]) -> list[str]:
    if not profile.characters:
        return []
    out = [
        '<h2>Characters</h2><table class="cast"><tr><th>Name</th><th>Aliases</th><th>Gender</th><th>Mentions</th></tr>'
    ]
    for c in sorted(profile.characters, key=lambda c: -c.mention_count):
        style = f' style="background:{colours[c.id]}"' if c.id in colours else ""
        out.append(
            f"<tr><td{style}>{html.escape(c.name)}</td><td>{html.escape(', '.join(c.aliases))}</td>"
            f"<td>{html.escape(c.gender)}</td><td>{c.mention_count}</td></tr>"
        )
    out.append("</table>")
    return out


def _suggestions(profile: Profile) -> list[str]:
    """The tags ficlens suggests (as the AO3 header lays them out), relationships and the audit."""
    from .ao3 import header_rows

    out = ['<h2>Suggested tags</h2><dl class="tags">']
    out += [f"<dt>{html.escape(label)}</dt><dd>{html.escape(value)}</dd>" for label, value in header_rows(profile)]
    out.append("</dl>")
    if profile.relationships:
        names = {c.id: c.name for c in profile.characters}
        out.append(
            '<h2>Relationships</h2><table class="cast"><tr><th>Tag</th><th>Type</th><th>Confidence</th><th>Evidence</th></tr>'
        )
        for r in profile.relationships:
            kind = r.type + (
                f" ({html.escape(names.get(r.characters[1], ''))} is {html.escape(r.relation)})" if r.relation else ""
            )
            evidence = "<br>".join(f"[{e.start}] {html.escape(e.excerpt)}" for e in r.evidence)
            out.append(
                f"<tr><td>{html.escape(r.tag)}</td><td>{kind}</td><td>{r.confidence:.2f}</td><td>{evidence}</td></tr>"
            )
        out.append("</table>")
    if profile.audit:
        out.append("<h2>Audit of the author's tags</h2><ul>")
        for f in profile.audit:
            where = f" — [{f.evidence[0].start}] “{html.escape(f.evidence[0].excerpt)}”" if f.evidence else ""
            out.append(f"<li><b>{f.kind}</b> ({html.escape(f.field)}): {html.escape(f.message)}{where}</li>")
        out.append("</ul>")
    return out


# What each plot shows and how to read it, under the figure.
_PLOT_CAPTIONS = {
    "presence": "Each row is a main character; the shaded strip is how densely the text names or refers to them "
    "along the story, each tick a quotation they speak. Dotted lines mark chapters.",
    "speaking": "Words inside each character's quotations, with their share of all quoted words; colour and hatching "
    "give the character's gender as ficlens reads it.",
    "network": "Characters sized by mentions, linked by the relationships ficlens found; line colour and dash give the "
    "type, width its strength.",
    "conversation": "How many quotations each speaker (row) addresses to each character (column).",
}


def _plots(profile: Profile) -> list[str]:
    """The work's plots as inline SVG, so the report needs no image files beside it."""
    from ..plots import inline_svg, work_figures
    from ..plots.work import DESCRIPTIONS

    if not profile.characters:
        return []
    out = ['<section class="plots"><h2>Plots</h2>']
    for kind, fig in work_figures(profile).items():
        out.append(
            f'<figure id="plot-{kind}">{inline_svg(fig, DESCRIPTIONS[kind])}'
            f"<figcaption>{html.escape(_PLOT_CAPTIONS[kind])}</figcaption></figure>"
        )
    out.append("</section>")
    return out


def render_html(profile: Profile) -> str:
    work = profile.work
    text = work.text
    names = {c.id: c.name for c in profile.characters}
    ranked = sorted(profile.characters, key=lambda c: -c.mention_count)
    colours = {c.id: _PALETTE[i] for i, c in enumerate(ranked[: len(_PALETTE)])}
    inner: list[_Span] = []
    for q in profile.quotes:
        speaker = names.get(q.speaker or "", "unknown speaker")
        inner.append(_Span(q.start, q.end, f'<span class="quote" title="{html.escape(speaker, quote=True)}">'))
    for m in profile.mentions:
        colour = colours.get(m.character)
        style = f' style="background:{colour}"' if colour else ""
        label = html.escape(names.get(m.character, m.character), quote=True)
        inner.append(_Span(m.start, m.end, f'<span class="mention {m.kind}" title="{label}"{style}>'))
    body = _header(profile) + _suggestions(profile) + _cast(profile, colours) + _plots(profile)
    for part in work.parts:
        spans = [s for s in inner if part.start <= s.start and s.end <= part.end]
        marked, pos = _nest(text, spans, part.start)
        label = part.kind.replace("_", " ")
        if part.chapter:
            label += f" · chapter {part.chapter}"
        if part.title:
            label += f" · {part.title}"
        body.append(
            f'<section class="part {part.kind}"><div class="part-label">{html.escape(label)}</div>'
            f"{marked}{html.escape(text[pos : part.end])}</section>"
        )
    title = html.escape(work.title or work.id)
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{title} · ficlens</title>'
        f"<style>{_CSS}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n"
    )
