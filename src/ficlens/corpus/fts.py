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

# Han (with extensions and compatibility), kana, Hangul syllables/jamo, CJK punctuation is not a token anyway.
_CJK = "\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\u1100-\u11ff\U00020000-\U0002fa1f"
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
                    raise SearchError(f"unbalanced quote in {query!r}: every \" needs a closing \"")
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


def match_expression(query: str) -> str:
    """The FTS5 MATCH expression for a user's query; `SearchError` if it is malformed."""
    from .search import SearchError

    if not query or not query.strip():
        raise SearchError("empty query: give words to search for")
    out: list[str] = []
    depth = 0
    near_depth: int | None = None
    expect_term = True  # after an operator or "(" a term must follow
    terms = 0
    for kind, value in _lex(query):
        if kind == "op":
            if expect_term:
                raise SearchError(f"{value} in {query!r} needs a term on each side (e.g. rain {value} snow)")
            out.append(value)
            expect_term = True
        elif kind == "open":
            out.append("(")
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
            out.append(")")
            expect_term = False
        elif kind == "near":
            out.append("NEAR")
            near_depth = depth
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
            terms += 1
            expect_term = False
    if depth:
        raise SearchError(f"unbalanced parenthesis in {query!r}: a '(' without its ')'")
    if not terms:
        raise SearchError(f"{query!r} holds no word to search for")
    if expect_term:
        raise SearchError(f"{out[-1]} at the end of {query!r} needs a term after it")
    if out and out[0] == "NOT":
        raise SearchError(f"NOT in {query!r} needs a term before it (rain NOT snow)")
    return " ".join(out)


def has_cjk(text: str) -> bool:
    return bool(_CJK_CHAR.search(text))
