"""What the full-text index stores and how a user's query becomes an FTS5 MATCH expression.

SQLite's unicode61 tokenizer makes a whole run of CJK characters one token (Chinese and Japanese
have no spaces), so "东京" would never find "我住在东京。". SQLite's Python module cannot register
a tokenizer, so ficlens splits CJK text into one token per character itself: at index time a
zero-width space (a separator to unicode61) goes between adjacent CJK characters, and at query
time a CJK word becomes the phrase of its characters — an exact substring match. The zero-width
spaces are removed from snippets (`display_text`).

Queries are FTS5 syntax, but a bare word FTS5 would reject ("well-known", "Rey's", "A/N", a
stray ":") is searched as the phrase of its words, and what stays malformed (an unbalanced quote
or parenthesis, an operator with nothing on one side) raises a `SearchError` saying so.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

# Han (with extensions and compatibility), kana, Hangul syllables/jamo, CJK punctuation is not a token anyway.
_CJK = (
    "\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\u1100-\u11ff\U00020000-\U0002fa1f"
)
_CJK_PAIR = re.compile(f"([{_CJK}])(?=[{_CJK}])")
_CJK_CHAR = re.compile(f"[{_CJK}]")
SPLIT = "\u200b"  # zero width space: category Cf, a separator to unicode61
SNIPPET_OPEN = "\x02"  # marks around matches in snippet()/highlight() output
SNIPPET_CLOSE = "\x03"
_MARKERS = re.compile("[\x02\x03\u200b]")
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)  # what unicode61 keeps: letters and digits
OPERATORS = ("AND", "OR", "NOT")


def fts_text(text: str) -> str:
    """The text as the FTS tables store it: CJK split into characters, marker characters removed."""
    text = _MARKERS.sub("", text)
    return _CJK_PAIR.sub("\\1" + SPLIT, text)


def display_text(text: str) -> str:
    """Stored FTS text back as the reader wrote it."""
    return text.replace(SPLIT, "")


def _phrase(words: str, prefix: bool = False) -> str | None:
    """An FTS5 phrase for free text; None if it holds no searchable token."""
    tokens = _TOKEN.findall(words)
    if not tokens:
        return None
    spaced = " ".join(_CJK_PAIR.sub("\\1 ", t) for t in tokens)
    return '"' + spaced.replace('"', '""') + '"' + ("*" if prefix else "")


def _lex(query: str) -> list[tuple[str, str]]:
    """(kind, value) tokens: phrase, word, op, open, close, near, comma/number inside NEAR()."""
    from .search import SearchError

    tokens: list[tuple[str, str]] = []
    i, n = 0, len(query)
    while i < n:
        ch = query[i]
        if ch.isspace():
            i += 1
        elif ch == '"':
            j = i + 1
            buf = []
            while True:
                k = query.find('"', j)
                if k < 0:
                    raise SearchError(f'unbalanced quote in {query!r}: every " needs a closing "')
                buf.append(query[j:k])
                if k + 1 < n and query[k + 1] == '"':  # "" inside a phrase is a literal quote
                    buf.append('"')
                    j = k + 2
                    continue
                i = k + 1
                break
            prefix = i < n and query[i] == "*"
            i += prefix
            tokens.append(("phrase*" if prefix else "phrase", "".join(buf)))
        elif ch == "(":
            tokens.append(("open", ch))
            i += 1
        elif ch == ")":
            tokens.append(("close", ch))
            i += 1
        else:
            j = i
            while j < n and not query[j].isspace() and query[j] not in '"()':
                j += 1
            word = query[i:j]
            i = j
            if word in OPERATORS:
                tokens.append(("op", word))
            elif word == "NEAR" and i < n and query[i] == "(":
                tokens.append(("near", word))
            else:
                tokens.append(("word", word))
    return tokens


@dataclass
class Query:
    """A user's query as FTS5 will run it, and the phrases a snippet should highlight."""

    expression: str
    # (folded tokens, is prefix) of every phrase not under NOT: what a hit contains
    phrases: list[tuple[list[str], bool]] = field(default_factory=list)


def match_expression(query: str) -> str:
    """The FTS5 MATCH expression for a user's query; `SearchError` if it is malformed."""
    return parse_query(query).expression


def parse_query(query: str) -> Query:
    """Translate and check a user's query (see the module docstring); `SearchError` if malformed."""
    from .search import SearchError

    if not query or not query.strip():
        raise SearchError("empty query: give words to search for")
    out: list[str] = []
    phrases: list[tuple[list[str], bool]] = []
    depth = 0
    near_depth: int | None = None
    negated_depth: int | None = None  # inside NOT ( ... ): nothing to highlight
    negate_next = False
    expect_term = True  # after an operator or "(" a term must follow
    terms = 0
    for kind, value in _lex(query):
        if kind == "op":
            if expect_term:
                raise SearchError(f"{value} in {query!r} needs a term on each side (e.g. rain {value} snow)")
            out.append(value)
            expect_term = True
            negate_next = value == "NOT"
        elif kind == "open":
            out.append("(")
            if negate_next and negated_depth is None:
                negated_depth = depth
            negate_next = False
            depth += 1
            expect_term = True
        elif kind == "close":
            if depth == 0:
                raise SearchError(f"unbalanced parenthesis in {query!r}: a ')' without its '('")
            if expect_term and near_depth is None:
                raise SearchError(f"nothing before ')' in {query!r}")
            depth -= 1
            if near_depth is not None and depth == near_depth:
                near_depth = None
            if negated_depth is not None and depth == negated_depth:
                negated_depth = None
            out.append(")")
            expect_term = False
        elif kind == "near":
            out.append("NEAR")
            near_depth = depth
            if negate_next and negated_depth is None:
                negated_depth = depth
            negate_next = False
        else:
            if near_depth is not None and kind == "word" and re.fullmatch(r",?\d*", value):
                out.append(value)  # NEAR(a b, 5): the distance
                continue
            if kind == "word" and near_depth is not None and value.endswith(","):
                value = value[:-1]  # "b," before the distance
                tail = ","
            else:
                tail = ""
            prefix = kind == "phrase*" or (kind == "word" and value.endswith("*"))
            text = value.rstrip("*") if kind == "word" else value
            phrase = _phrase(text, prefix)
            if phrase is None:
                continue  # punctuation only: nothing to find
            out.append(phrase + tail)
            if not negate_next and negated_depth is None:
                phrases.append((_tokens(text), prefix))
            negate_next = False
            terms += 1
            expect_term = False
    if depth:
        raise SearchError(f"unbalanced parenthesis in {query!r}: a '(' without its ')'")
    if not terms:
        raise SearchError(f"{query!r} holds no word to search for")
    if expect_term:
        raise SearchError(f"{out[-1]} at the end of {query!r} needs a term after it")
    return Query(" ".join(out), phrases)


# --- snippets -------------------------------------------------------------------------------
# FTS5's snippet() re-tokenizes the whole document for every hit (~4 ms for a 40 KB story), so
# snippets are cut here instead: a regular expression per phrase, over the stored text, that
# matches as the tokenizer does (case and accents folded, CJK characters in a row).


def fold(text: str) -> str:
    """Lower case without accents: how unicode61 with remove_diacritics compares letters."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _fold_table() -> dict[str, str]:
    """Base letter → the Latin letters with accents that fold to it."""
    table: dict[str, set[str]] = {}
    for code in [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]:
        ch = chr(code)
        base = fold(ch)
        if len(base) == 1 and base != ch:
            table.setdefault(base, set()).add(ch)
    return {base: "".join(sorted(chars)) for base, chars in table.items()}


_FOLDS = _fold_table()
_ACCENTED = re.compile("[" + re.escape("".join(_FOLDS.values())) + "]")


def _variants(char: str) -> str:
    """A regex character class for every letter that folds to `char` ("e" → [eEéÉèÈ…])."""
    variants = {char, char.upper(), *_FOLDS.get(char, "")}
    if len(variants) == 1:
        return re.escape(char)
    return "[" + "".join(re.escape(v) for v in sorted(variants)) + "]"


def _tokens(text: str) -> list[str]:
    return [t for token in _TOKEN.findall(fold(text)) for t in (list(token) if has_cjk(token) else [token])]


def phrase_pattern(tokens: list[str], prefix: bool, accents: bool = True) -> str:
    """A regex matching the phrase in display text as the FTS5 tokenizer would.

    With accents=False the pattern is for lower-cased text and starts with a literal, which
    Python's re finds quickly; the word boundary before it is checked by the caller.
    """
    parts = []
    for i, token in enumerate(tokens):
        if i:
            parts.append(r"[\W_]*" if has_cjk(token) or has_cjk(tokens[i - 1]) else r"[\W_]+")
        parts.append("".join(_variants(c) for c in token) if accents else re.escape(token))
    head = "" if has_cjk(tokens[0]) or not accents else r"(?<![^\W_])"
    tail = r"[^\W_]*" if prefix else ("" if has_cjk(tokens[-1]) else r"(?![^\W_])")
    return head + "".join(parts) + tail


def _find(text: str, phrases: list[tuple[list[str], bool]]) -> list[tuple[int, int, int]]:
    """(start, end, phrase number) of every match. First on lower-cased text with literal-led
    patterns (fast); a phrase not found so is looked for with accent classes if the text has
    accented letters at all (it says "café" where the query says "cafe")."""
    spans: list[tuple[int, int, int]] = []
    lower = text.lower()
    missing = set(range(len(phrases)))
    if len(lower) == len(text):
        for n, (tokens, prefix) in enumerate(phrases):
            cjk = has_cjk(tokens[0])
            for m in re.finditer(phrase_pattern(tokens, prefix, accents=False), lower):
                if cjk or m.start() == 0 or not (lower[m.start() - 1].isalnum()):
                    spans.append((m.start(), m.end(), n))
                    missing.discard(n)
    if missing and (len(lower) != len(text) or _ACCENTED.search(text)):
        for n in sorted(missing):
            tokens, prefix = phrases[n]
            spans += [(m.start(), m.end(), n) for m in re.finditer(phrase_pattern(tokens, prefix), text)]
    return sorted(spans)


def snippet(text: str, phrases: list[tuple[list[str], bool]], width: int = 220) -> list[tuple[str, bool]] | None:
    """About `width` characters of `text` around its best cluster of matches, as (text, is_match)
    segments; None if no phrase is found (the caller falls back to FTS5's own snippet)."""
    phrases = [(tokens, prefix) for tokens, prefix in phrases if tokens]
    spans = _find(text, phrases) if phrases else []
    if not spans:
        return None
    best, best_count = 0, 0
    for i, (start, _, _) in enumerate(spans):
        distinct = {n for s, _, n in spans[i : i + 20] if s < start + width * 0.6}
        if len(distinct) > best_count:
            best, best_count = i, len(distinct)
    first = spans[best][0]
    begin = max(0, first - width // 3)
    end = min(len(text), begin + width)
    if begin:
        cut = text.find(" ", begin, first)
        begin = cut + 1 if cut >= 0 else begin
    if end < len(text):
        cut = text.rfind(" ", spans[best][1], end)
        end = cut if cut >= 0 else end
    segments: list[tuple[str, bool]] = [("…", False)] if begin else []
    at = begin
    for start, stop, _ in spans:
        if start < at or stop > end:
            continue
        segments += [(_spaces(text[at:start]), False), (_spaces(text[start:stop]), True)]
        at = stop
    segments.append((_spaces(text[at:end]) + ("…" if end < len(text) else ""), False))
    return [s for s in segments if s[0]]


def _spaces(text: str) -> str:
    """Runs of white space (line breaks of the source) as one space."""
    inner = " ".join(text.split())
    if not inner:
        return " " if text else ""
    return (" " if text[0].isspace() else "") + inner + (" " if text[-1].isspace() else "")


def has_cjk(text: str) -> bool:
    return bool(_CJK_CHAR.search(text))
