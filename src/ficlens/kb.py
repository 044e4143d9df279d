"""The fandom and character knowledge base: facts ficlens cannot learn from one work alone.

A single fic rarely says that "Kylo", "Ben" and "Supreme Leader Ren" are one person, that BB-8 is
a droid rather than a woman, or that AO3 writes the pairing as "Rey/Ben Solo | Kylo Ren". Those
facts live in one small YAML file per fandom under `data/kb/` (format: docs/knowledge-base.md,
JSON Schema: data/kb.schema.json). Users extend the shipped files with `--kb DIR` (a file with
the same `id` replaces the shipped one) and give a one-off cast with `--characters FILE`
(data/cast.schema.json).

The loader checks structure itself with one-line errors naming file and field, because
jsonschema is only a test dependency and a user's typo must never end in a traceback. Nothing is
cached at module level: the `KnowledgeBase` a caller holds *is* the cache.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, NoReturn

import yaml

from .errors import InputNotFound, UnreadableInput

try:  # libyaml is ~10x faster; both loaders build only plain Python types (the safe_load subset).
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]

__all__ = [
    "GENDERS",
    "READER",
    "RELATIONS",
    "RELATIONSHIP_TYPES",
    "Fandom",
    "KBCharacter",
    "KBRelationship",
    "KnowledgeBase",
    "load_cast",
    "load_fandom_file",
    "load_kb",
    "normalize_alias",
    "shipped_kb_dir",
]

log = logging.getLogger(__name__)

GENDERS = ("male", "female", "nonbinary", "unknown")
RELATIONSHIP_TYPES = ("romantic", "platonic")
# In a relationship's `characters`, this name stands for the second-person reader (AO3's "Reader").
READER = "Reader"
# What the listed person is *to* the character: `relatives: {father: Han Solo}` on Kylo Ren says
# Han Solo is Kylo Ren's father. A closed list so that relations.py can map them to its types.
RELATIONS = (
    "father", "mother", "parent", "son", "daughter", "child",
    "brother", "sister", "sibling", "twin", "half-brother", "half-sister",
    "stepfather", "stepmother", "stepbrother", "stepsister", "stepson", "stepdaughter",
    "adoptive father", "adoptive mother", "adopted son", "adopted daughter", "adopted child",
    "grandfather", "grandmother", "grandson", "granddaughter",
    "great-grandfather", "great-grandmother",
    "uncle", "aunt", "nephew", "niece", "cousin",
    "husband", "wife", "spouse",
    "father-in-law", "mother-in-law", "brother-in-law", "sister-in-law",
    "godfather", "godmother", "godson", "goddaughter", "guardian", "ward",
)  # fmt: skip

_FANDOM_KEYS = {"fandom", "id", "related_fandoms", "characters", "places", "organizations", "terms", "relationships"}
_CHARACTER_KEYS = {"tag", "name", "aliases", "weak_aliases", "gender", "relatives"}
_CAST_KEYS = {"fandom", "characters"}
_RELATIONSHIP_KEYS = {"tag", "characters", "type"}
_ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def normalize_alias(name: str) -> str:
    """The key aliases are compared by: case-folded, single-spaced, straight apostrophes, and
    Latin accents dropped, because fans type "Padme" as often as "Padmé".

    Marks on non-Latin letters are kept (stripping a Japanese dakuten changes the name).
    """
    if name.isascii():  # the common case, and the loader calls this tens of thousands of times
        return " ".join(name.casefold().split())
    text = unicodedata.normalize("NFKD", name.replace("\u2019", "'").replace("\u2018", "'"))
    kept: list[str] = []
    for char in text:
        if unicodedata.combining(char) and kept and ord(kept[-1]) < 0x250:
            continue
        kept.append(char)
    return " ".join(unicodedata.normalize("NFC", "".join(kept)).casefold().split())


@dataclass
class KBCharacter:
    """One canon character as AO3 tags them.

    `aliases` starts with `name` unless the name itself is weak. `weak_aliases` are names that
    alone do not identify the character (common words like "Will" or "Hope", bare titles like
    "Supreme Leader", names shared with another character of the fandom): a detector should only
    accept them with other evidence.
    `relatives` maps another character's `name` to what that person is to this one
    ({"Han Solo": "father"}), so that `relatives.get(other.name)` answers "how are they related?".
    """

    tag: str
    name: str
    aliases: list[str] = field(default_factory=list)
    gender: str = "unknown"
    fandom: str | None = None  # the AO3 fandom tag; None for a cast file without `fandom`
    relatives: dict[str, str] = field(default_factory=dict)
    weak_aliases: list[str] = field(default_factory=list)

    def names(self) -> list[str]:
        """Every name the character may appear under, strong ones first."""
        return [*self.aliases, *self.weak_aliases]

    def is_weak_alias(self, alias: str) -> bool:
        key = normalize_alias(alias)
        strong = {normalize_alias(a) for a in self.aliases}
        return key not in strong and any(normalize_alias(w) == key for w in self.weak_aliases)

    def relation_to(self, other_name: str) -> str | None:
        """What `other_name` is to this character ("father"), or None when the KB does not say."""
        key = normalize_alias(other_name)
        return next((rel for name, rel in self.relatives.items() if normalize_alias(name) == key), None)


@dataclass
class KBRelationship:
    """A popular relationship in AO3's canonical spelling; `characters` are `KBCharacter.name`s
    (or `READER`) in the order the tag names them."""

    tag: str
    characters: list[str]
    type: str  # "romantic" (A/B) | "platonic" (A & B)

    @property
    def has_reader(self) -> bool:
        return READER in self.characters


@dataclass
class Fandom:
    id: str
    tag: str  # the AO3 canonical fandom tag
    related: list[str] = field(default_factory=list)  # other AO3 fandom tags of the same canon
    characters: list[KBCharacter] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    organizations: list[str] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)
    relationships: list[KBRelationship] = field(default_factory=list)
    source: str | None = None  # the file it was read from, for messages

    def all_tags(self) -> list[str]:
        return [self.tag, *self.related]

    def character(self, name: str) -> KBCharacter | None:
        """The character with this `name` or `tag` (not alias: use `KnowledgeBase.lookup`)."""
        key = normalize_alias(name)
        return next(
            (c for c in self.characters if normalize_alias(c.name) == key or normalize_alias(c.tag) == key), None
        )


@dataclass
class KnowledgeBase:
    """All fandoms ficlens knows, with an alias index built once at construction.

    Treat it as read-only after construction: the index is not rebuilt if `fandoms` changes.
    """

    fandoms: list[Fandom] = field(default_factory=list)
    _by_alias: dict[str, list[KBCharacter]] = field(init=False, repr=False, compare=False)
    _by_fandom: dict[str, Fandom] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_alias = {}
        self._by_fandom = {}
        for fandom in self.fandoms:
            for key in (fandom.id, *fandom.all_tags()):
                self._by_fandom.setdefault(normalize_alias(key), fandom)
            for character in fandom.characters:
                seen: set[str] = set()
                for alias in (character.tag, *character.names()):
                    key = normalize_alias(alias)
                    if key and key not in seen:
                        seen.add(key)
                        self._by_alias.setdefault(key, []).append(character)

    def lookup(self, name: str, *, strong_only: bool = False) -> list[KBCharacter]:
        """Every KB character known by `name` (its tag, name, aliases or weak aliases), across
        fandoms, in KB order. With `strong_only`, characters for which `name` is only a weak
        alias are left out."""
        found = self._by_alias.get(normalize_alias(name), [])
        if strong_only:
            return [c for c in found if not c.is_weak_alias(name)]
        return list(found)

    def fandom(self, tag_or_id: str) -> Fandom | None:
        """The fandom whose id, canonical tag or one of whose related tags is `tag_or_id`."""
        return self._by_fandom.get(normalize_alias(tag_or_id))

    def characters(self) -> Iterator[KBCharacter]:
        for fandom in self.fandoms:
            yield from fandom.characters

    def non_person_names(self) -> set[str]:
        """Places and organizations, lower-cased, each also without a leading "the ", so that a
        name finder can drop "Resistance" as readily as "the Resistance"."""
        names: set[str] = set()
        for fandom in self.fandoms:
            for name in (*fandom.places, *fandom.organizations):
                key = normalize_alias(name)
                names.add(key)
                if key.startswith("the "):
                    names.add(key[4:])
        return names


# ---------------------------------------------------------------------------------------------
# Loading


def shipped_kb_dir() -> Path:
    """Where the fandom files that ship with ficlens live."""
    return Path(__file__).resolve().parent / "data" / "kb"


def load_kb(extra_dirs: Iterable[Path] = ()) -> KnowledgeBase:
    """The shipped fandoms plus every `*.yaml`/`*.yml` in `extra_dirs`; a user file replaces the
    fandom with the same id (later directories win). Raises `InputNotFound` for a missing
    directory and `UnreadableInput` for a bad file."""
    by_id: dict[str, Fandom] = {fandom.id: fandom for fandom in _shipped_fandoms()}
    for directory in extra_dirs:
        directory = Path(directory)
        if not directory.is_dir():
            raise InputNotFound(f"{directory}: no such knowledge-base directory")
        files = _fandom_files(directory)
        if not files:
            log.warning("%s: no .yaml fandom files found", directory)
        for path in files:
            fandom = load_fandom_file(path)
            if fandom.id in by_id:
                log.info("%s overrides fandom %r", path, fandom.id)
            by_id[fandom.id] = fandom
    return KnowledgeBase(fandoms=list(by_id.values()))


BUNDLE_NAME = "kb_bundle.json.gz"
REBUILD_COMMAND = "python -m ficlens.kb --build-bundle"


def bundle_path() -> Path:
    """The compiled bundle of the shipped fandom files (JSON is ~10x faster to read than YAML)."""
    return shipped_kb_dir().parent / BUNDLE_NAME


def shipped_fingerprint() -> str:
    """sha256 over the shipped files' names and bytes: reading them is cheap, parsing is not."""
    digest = hashlib.sha256()
    for path in _fandom_files(shipped_kb_dir()):
        data = path.read_bytes()
        digest.update(f"{path.name}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def _parse_shipped() -> list[Fandom]:
    return [load_fandom_file(path) for path in _fandom_files(shipped_kb_dir())]


def _shipped_fandoms() -> list[Fandom]:
    """The shipped fandoms from the bundle when it matches the YAML files, else from the YAML."""
    fandoms = read_bundle()
    return fandoms if fandoms is not None else _parse_shipped()


def read_bundle() -> list[Fandom] | None:
    """The bundled fandoms, or None when the bundle is missing, unreadable or stale."""
    try:
        with gzip.open(bundle_path(), "rt", encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError) as exc:
        log.debug("kb bundle not used: %s", exc)
        return None
    if data.get("fingerprint") != shipped_fingerprint():
        log.info("kb bundle is stale; parsing YAML (rebuild: %s)", REBUILD_COMMAND)
        return None
    kb_dir = shipped_kb_dir()
    return [_fandom_from_dict(raw, kb_dir) for raw in data["fandoms"]]


def build_bundle() -> Path:
    """Parse the shipped YAML files and write the bundle the loader uses while they are unchanged."""
    fandoms = []
    for fandom in _parse_shipped():
        raw = asdict(fandom)
        raw["source"] = Path(fandom.source or "").name
        fandoms.append(raw)
    payload = {"fingerprint": shipped_fingerprint(), "fandoms": fandoms}
    path = bundle_path()
    with gzip.GzipFile(path, "wb", mtime=0) as handle:  # mtime=0: same input, same bytes
        handle.write(json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    return path


def _fandom_from_dict(raw: dict[str, Any], kb_dir: Path) -> Fandom:
    return Fandom(
        **{
            **raw,
            "characters": [KBCharacter(**c) for c in raw["characters"]],
            "relationships": [KBRelationship(**r) for r in raw["relationships"]],
            "source": str(kb_dir / raw["source"]),
        }
    )


def _fandom_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.iterdir() if p.suffix in (".yaml", ".yml") and not p.name.startswith("."))


def load_fandom_file(path: Path) -> Fandom:
    """One fandom file, checked; raises `UnreadableInput` naming the file and field."""
    path = Path(path)
    data = _read_yaml(path)
    check = _Checker(path)
    check.mapping(data, "top level", _FANDOM_KEYS)
    tag = check.text(data.get("fandom"), "fandom")
    fandom_id = data.get("id", path.stem)
    check.text(fandom_id, "id")
    if not _ID_PATTERN.match(fandom_id):
        check.fail("id", f"must be lower-case letters, digits and hyphens, got {fandom_id!r}")
    if fandom_id != path.stem:
        check.fail("id", f"is {fandom_id!r} but must equal the file name stem {path.stem!r}")
    characters, names = _checked_characters(check, data.get("characters"), tag, tag_required=True)
    relationships = [
        _relationship(check, raw, f"relationships[{i}]", names)
        for i, raw in enumerate(check.items(data.get("relationships"), "relationships"))
    ]
    return Fandom(
        id=fandom_id,
        tag=tag,
        related=check.strings(data.get("related_fandoms"), "related_fandoms"),
        characters=characters,
        places=check.strings(data.get("places"), "places"),
        organizations=check.strings(data.get("organizations"), "organizations"),
        terms=check.strings(data.get("terms"), "terms"),
        relationships=relationships,
        source=str(path),
    )


def load_cast(path: Path) -> list[KBCharacter]:
    """The characters of a `--characters` file. Raises `InputNotFound` for a missing file and
    `UnreadableInput` with one line for bad YAML or a bad field."""
    path = Path(path)
    if not path.exists():
        raise InputNotFound(f"{path}: no such cast file")
    data = _read_yaml(path)
    check = _Checker(path)
    check.mapping(data, "top level", _CAST_KEYS)
    fandom = data.get("fandom")
    if fandom is not None:
        check.text(fandom, "fandom")
    characters, _names = _checked_characters(check, data.get("characters"), fandom, tag_required=False)
    return characters


def _read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputNotFound(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise UnreadableInput(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise UnreadableInput(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        return yaml.load(text, Loader=_SafeLoader)  # noqa: S506 - a safe loader, as yaml.safe_load
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise UnreadableInput(f"{path}: invalid YAML{where}: {problem}") from None


def _character(
    check: _Checker, raw: Any, where: str, fandom: str | None, keys: set[str], tag_required: bool = True
) -> KBCharacter:
    check.mapping(raw, where, keys)
    name = check.text(raw.get("name"), f"{where}.name")
    tag = check.text(raw.get("tag"), f"{where}.tag") if tag_required or "tag" in raw else name
    aliases = check.strings(raw.get("aliases"), f"{where}.aliases")
    weak = check.strings(raw.get("weak_aliases"), f"{where}.weak_aliases")
    strong_keys = {normalize_alias(a) for a in aliases}
    weak_keys = {normalize_alias(w) for w in weak}
    for alias in weak:
        if normalize_alias(alias) in strong_keys:
            check.fail(f"{where}.weak_aliases", f"{alias!r} is also in aliases; list it once")
    gender = raw.get("gender", "unknown")
    if gender not in GENDERS:
        check.fail(f"{where}.gender", f"must be one of {', '.join(GENDERS)}, got {gender!r}")
    relatives: dict[str, str] = {}
    raw_relatives = raw.get("relatives")
    if raw_relatives is not None:
        check.mapping(raw_relatives, f"{where}.relatives", None)
        for relation, people in raw_relatives.items():
            if relation not in RELATIONS:
                check.fail(f"{where}.relatives", f"unknown relation {relation!r} (see docs/knowledge-base.md)")
            field_name = f"{where}.relatives.{relation}"
            people_list = (
                [check.text(people, field_name)] if isinstance(people, str) else check.strings(people, field_name)
            )
            if not people_list:
                check.fail(field_name, "must name at least one character")
            for person in people_list:
                relatives[person] = relation
    if normalize_alias(name) in weak_keys:
        pass  # a name that is also a common word ("Vision") stays weak: it needs context too
    elif normalize_alias(name) not in strong_keys:
        aliases.insert(0, name)
    else:
        aliases.sort(key=lambda a: normalize_alias(a) != normalize_alias(name))  # name first, rest in order
    return KBCharacter(
        tag=tag, name=name, aliases=aliases, gender=gender, fandom=fandom, relatives=relatives, weak_aliases=weak
    )


def _checked_characters(
    check: _Checker, raw_characters: Any, fandom: str | None, tag_required: bool
) -> tuple[list[KBCharacter], set[str]]:
    """The `characters` list of a fandom or cast file and their normalised names.

    Both kinds of file list characters the same way, so they are checked by one rule and fail
    with the same messages; the names come back because a fandom file's relationships must
    name characters of the same file.
    """
    characters = [
        _character(check, raw, f"characters[{i}]", fandom, _CHARACTER_KEYS, tag_required=tag_required)
        for i, raw in enumerate(check.items(raw_characters, "characters", required=True))
    ]
    if not characters:
        check.fail("characters", "must list at least one character")
    names = _check_unique_characters(check, characters)
    for i, character in enumerate(characters):
        for other in character.relatives:
            if normalize_alias(other) not in names:
                check.fail(f"characters[{i}].relatives", f"{other!r} is not the name of a character in this file")
    return characters, names


def _check_unique_characters(check: _Checker, characters: list[KBCharacter]) -> set[str]:
    names: set[str] = set()
    tags: set[str] = set()
    for i, character in enumerate(characters):
        name, tag = normalize_alias(character.name), normalize_alias(character.tag)
        if name in names:
            check.fail(f"characters[{i}].name", f"{character.name!r} is listed twice")
        if tag in tags:
            check.fail(f"characters[{i}].tag", f"{character.tag!r} is listed twice")
        names.add(name)
        tags.add(tag)
    return names


def _relationship(check: _Checker, raw: Any, where: str, names: set[str]) -> KBRelationship:
    check.mapping(raw, where, _RELATIONSHIP_KEYS)
    tag = check.text(raw.get("tag"), f"{where}.tag")
    characters = check.strings(raw.get("characters"), f"{where}.characters")
    if len(characters) < 2:
        check.fail(f"{where}.characters", "must name at least two characters")
    for name in characters:
        if name != READER and normalize_alias(name) not in names:
            check.fail(f"{where}.characters", f"{name!r} is not the name of a character in this file")
    kind = raw.get("type", "romantic")
    if kind not in RELATIONSHIP_TYPES:
        check.fail(f"{where}.type", f"must be one of {', '.join(RELATIONSHIP_TYPES)}, got {kind!r}")
    separator = "/" if kind == "romantic" else " & "
    if len(tag.split(separator)) != len(characters):
        check.fail(f"{where}.tag", f"{tag!r} should join its {len(characters)} characters with {separator.strip()!r}")
    return KBRelationship(tag=tag, characters=characters, type=kind)


class _Checker:
    """Light structural checks that fail with one line naming the file and the field."""

    def __init__(self, path: Path):
        self.path = path

    def fail(self, where: str, problem: str) -> NoReturn:
        raise UnreadableInput(f"{self.path}: {where}: {problem}")

    def mapping(self, value: Any, where: str, allowed: set[str] | None) -> None:
        if not isinstance(value, dict):
            self.fail(where, f"must be a mapping, got {_kind(value)}")
        if allowed is not None:
            unknown = sorted(str(k) for k in value if k not in allowed)
            if unknown:
                self.fail(where, f"unknown field {unknown[0]!r} (allowed: {', '.join(sorted(allowed))})")

    def text(self, value: Any, where: str) -> str:
        if not isinstance(value, str) or not value.strip():
            self.fail(where, f"must be a non-empty string, got {_kind(value)}")
        return value.strip()

    def strings(self, value: Any, where: str) -> list[str]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(where, f"must be a list of strings, got {_kind(value)}")
        return [self.text(item, f"{where}[{i}]") for i, item in enumerate(value)]

    def items(self, value: Any, where: str, required: bool = False) -> list[Any]:
        if value is None and not required:
            return []
        if not isinstance(value, list):
            self.fail(where, f"must be a list, got {_kind(value)}")
        return value


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, str):
        return f"the string {value[:40]!r}" if value.strip() else "an empty string"
    return {dict: "a mapping", list: "a list", bool: "a boolean", int: "a number", float: "a number"}.get(
        type(value), type(value).__name__
    )


if __name__ == "__main__":  # python -m ficlens.kb --build-bundle
    import sys

    if sys.argv[1:] != ["--build-bundle"]:
        raise SystemExit(f"usage: {REBUILD_COMMAND}")
    print(build_bundle())
