"""`ficlens search QUERY --db corpus.db`: full-text and faceted search, or with --quotes what
characters say (corpus/search.py does the work)."""

from __future__ import annotations

import argparse
import re
from typing import TextIO

from ..corpus.search import FACETS, SCOPES, SORTS, TAG_SOURCES, QuoteResult, SearchFilters, SearchResult
from . import Subparsers, UsageError
from .corpus_output import add_db_and_format, label, open_corpus, plain, write_csv, write_json

MARK = ("**", "**")  # how the text format shows the matched words
_RANGE = re.compile(r"^\s*(\d*)\s*\.\.\s*(\d*)\s*$")


def register(subparsers: Subparsers) -> None:
    p = subparsers.add_parser(
        "search", help="full-text search of a corpus database (or with --quotes, what characters say)",
        description="QUERY is FTS5 syntax: words (all must occur), \"a phrase\", prefix*, AND / OR / NOT, "
        "parentheses, NEAR(a b, 10).",
    )  # fmt: skip
    p.add_argument("query", metavar="QUERY")
    add_db_and_format(p)
    p.add_argument(
        "--in",
        dest="scope",
        choices=SCOPES,
        default="story",
        help="search the story (default), the summary and notes, or all",
    )
    p.add_argument("--quotes", action="store_true", help="search quotations: who says it, to whom, in context")
    p.add_argument("--speaker", metavar="NAME", help="with --quotes: spoken by this character")
    p.add_argument("--addressee", metavar="NAME", help="with --quotes: spoken to this character")
    for name in ("fandom", "rating", "warning", "category", "character", "relationship", "tag", "pov"):
        p.add_argument(
            f"--{name}",
            action="append",
            default=[],
            metavar="VALUE",
            help=f"only works with this {name} (repeatable)"
            if name != "tag"
            else "only works with this additional tag (repeatable)",
        )
    p.add_argument("--words", metavar="MIN..MAX", help="story length in words, e.g. 1000..5000, 10000.. or ..500")
    p.add_argument(
        "--tags",
        choices=TAG_SOURCES,
        default="any",
        help="filter and count the author's tags, ficlens's suggestions, or either (default)",
    )
    p.add_argument("--facets", metavar="NAMES", help=f"count hits per value of: {','.join(FACETS)}")
    p.add_argument("--sort", choices=SORTS, default="rank", help="rank (default), words or title")
    p.add_argument("-n", "--limit", type=int, default=20, help="hits to show (default 20)")
    p.add_argument("--offset", type=int, default=0, help="skip this many hits first (paging)")
    p.set_defaults(run=run)


def _words(value: str | None) -> tuple[int | None, int | None]:
    if value is None:
        return None, None
    match = _RANGE.match(value)
    if not match or not (match.group(1) or match.group(2)):
        raise UsageError(f"--words {value!r}: give MIN..MAX, MIN.. or ..MAX (e.g. 1000..5000)")
    low, high = (int(g) if g else None for g in match.groups())
    return low, high


def filters_from(args: argparse.Namespace) -> SearchFilters:
    return SearchFilters(
        fandom=args.fandom, rating=args.rating, warning=args.warning, category=args.category,
        character=args.character, relationship=args.relationship, tag=args.tag, pov=args.pov,
        words=_words(args.words), tags=args.tags,
    )  # fmt: skip


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    filters = filters_from(args)
    facets = [f.strip() for f in (args.facets or "").split(",") if f.strip()]
    if (args.speaker or args.addressee) and not args.quotes:
        raise UsageError("--speaker and --addressee need --quotes")
    if args.quotes and (facets or args.scope != "story" or args.sort != "rank"):
        raise UsageError("--quotes takes no --facets, --in or --sort")
    if args.format == "csv" and facets and args.limit:
        raise UsageError("-f csv prints one table: the hits, or with --limit 0 the facet counts")
    with open_corpus(args.db) as corpus:
        if args.quotes:
            quotes = corpus.search_quotes(
                args.query,
                speaker=args.speaker,
                addressee=args.addressee,
                filters=filters,
                limit=args.limit,
                offset=args.offset,
            )
            _print_quotes(quotes, args.format, out)
        else:
            works = corpus.search(
                args.query,
                scope=args.scope,
                filters=filters,
                facets=facets,
                sort=args.sort,
                limit=args.limit,
                offset=args.offset,
            )
            _print_works(works, args.format, out)
    return 0


def _showing(total: int, offset: int, shown: int) -> str:
    if not shown:
        return ""
    return f" (showing {offset + 1}–{offset + shown})" if shown < total else ""


def _print_works(result: SearchResult, fmt: str, out: TextIO) -> None:
    if fmt == "json":
        write_json(out, result)
        return
    if fmt == "csv":
        if result.facets:
            write_csv(
                out,
                ["facet", "value", "count"],
                [(name, c.value, c.count) for name, counts in result.facets.items() for c in counts],
            )
        else:
            write_csv(
                out,
                ["work", "title", "authors", "words", "score", "in", "snippet"],
                [
                    (h.work, h.title or "", "; ".join(h.authors), h.words, h.score, h.scope, plain(h.snippet))
                    for h in result.hits
                ],
            )
        return
    works = "work" if result.total == 1 else "works"
    out.write(
        f"{result.total:,} {works} match {result.query!r}{_showing(result.total, result.offset, len(result.hits))}\n"
    )
    for n, hit in enumerate(result.hits, result.offset + 1):
        by = f" by {', '.join(hit.authors)}" if hit.authors else ""
        where = "" if hit.scope == "story" else f" [in {hit.scope}]"
        out.write(f"\n{n:3}. {label(hit.work, hit.title)}{by} — {hit.words:,} words, score {hit.score:.3g}{where}\n")
        out.write(f"     {plain(hit.snippet, MARK)}\n")
    for name, counts in result.facets.items():
        out.write(f"\n{name}:\n")
        if not counts:
            out.write("  (none)\n")
        for count in counts:
            out.write(f"  {count.count:6,}  {count.value}\n")


def _print_quotes(result: QuoteResult, fmt: str, out: TextIO) -> None:
    if fmt == "json":
        write_json(out, result)
        return
    if fmt == "csv":
        write_csv(
            out,
            ["work", "title", "quote", "speaker", "addressees", "text", "context", "start", "end"],
            [
                (
                    h.work,
                    h.title or "",
                    h.idx,
                    h.speaker_name or "",
                    "; ".join(h.addressee_names),
                    h.text,
                    plain(h.context),
                    h.start,
                    h.end,
                )
                for h in result.hits
            ],
        )
        return
    lines = "quotation" if result.total == 1 else "quotations"
    out.write(
        f"{result.total:,} {lines} match {result.query!r}{_showing(result.total, result.offset, len(result.hits))}\n"
    )
    for n, hit in enumerate(result.hits, result.offset + 1):
        speaker = hit.speaker_name or "(speaker unknown)"
        to = f" → {', '.join(hit.addressee_names)}" if hit.addressee_names else ""
        out.write(f"\n{n:3}. {label(hit.work, hit.title)}, quote {hit.idx}: {speaker}{to}\n")
        out.write(f"     {plain(hit.context, MARK)}\n")
