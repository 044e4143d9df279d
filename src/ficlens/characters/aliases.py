"""Merging the names of one person into one character.

Forms are taken longest first, so that "Fitzwilliam Darcy" exists before "Darcy" looks for a
home. A shorter form joins a cluster only when exactly one cluster fits it: same knowledge-base
character, same first name (nicknames included: Lizzy → Elizabeth) or same surname, and a title
whose gender does not contradict the cluster's. "Mr. Bennet" and "Mrs. Bennet" therefore stay
two people, and a bare "Bennet" with several candidates stays apart rather than guessing.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..kb import KBCharacter
from .kbmatch import KBIndex
from .names import (
    canonical_given_names,
    canonical_title,
    first_name_gender,
    split_name,
    title_gender,
    title_takes_either,
)


@dataclass
class Cluster:
    forms: Counter = field(default_factory=Counter)
    kb: KBCharacter | None = None
    firsts: set[str] = field(default_factory=set)  # given names as written (lower)
    titles: set[str] = field(default_factory=set)  # titles used with this character (lower, no dot)
    lasts: set[str] = field(default_factory=set)
    genders: set[str] = field(default_factory=set)  # from titles and KB

    @property
    def count(self) -> int:
        return sum(self.forms.values())

    def display_name(self) -> str:
        if self.kb is not None:
            return self.kb.name
        full = [f for f in self.forms if _core_len(split_name(f)) >= 2]
        if full:
            return max(full, key=lambda f: (self.forms[f], len(f)))
        return max(self.forms, key=lambda f: (self.forms[f], len(f)))


def _core_len(parts) -> int:
    return sum(1 for p in (parts.first, *parts.middle, parts.last) if p)


# Titles of married women: "Mrs. Bennet" is as likely the mother as any Bennet daughter, so such
# a form joins only a cluster already addressed with that title.
MARRIED_TITLES = {"mrs", "lady", "madame", "mme", "madam", "missus", "senora", "frau", "dame"}


def _same_given(first: str, firsts: set[str]) -> bool:
    """Same given name, or one a known diminutive of the other (Lizzy/Elizabeth, not Mary/Maria)."""
    first = first.lower()
    if first in firsts:
        return True
    mine = canonical_given_names(first)
    return any(other in mine or first in canonical_given_names(other) for other in firsts)


def _compatible(cluster: Cluster, gender: str | None) -> bool:
    if gender is None:
        return True
    known = _cluster_gender(cluster)
    return known is None or known == gender


def _absorb(cluster: Cluster, form: str, count: int) -> None:
    parts = split_name(form)
    cluster.forms[form] += count
    if parts.title:
        cluster.titles.add(parts.title.lower().rstrip("."))
    if parts.first and not (parts.title and parts.title.lower().rstrip(".") in MARRIED_TITLES):
        cluster.firsts.add(parts.first.lower())  # "Mrs. Newland Archer": Newland is the husband
    if parts.last:
        cluster.lasts.add(parts.last.lower())
    gender = title_gender(parts.title)
    if gender:
        cluster.genders.add(gender)


def cluster_names(forms: Counter, index: KBIndex | None) -> list[Cluster]:
    """Group person-name forms (with their counts) into characters."""

    def order(form: str):
        parts = split_name(form)
        return (-_core_len(parts), -bool(parts.first and parts.last), -forms[form], form)

    clusters: list[Cluster] = []
    by_kb: dict[str, Cluster] = {}
    for form in sorted(forms, key=order):
        count = forms[form]
        kb_character = index.character(form) if index else None
        if kb_character is not None:
            cluster = by_kb.get(kb_character.tag)
            if cluster is None:
                cluster = Cluster(kb=kb_character)
                if kb_character.gender in ("male", "female"):
                    cluster.genders.add(kb_character.gender)
                by_kb[kb_character.tag] = cluster
                clusters.append(cluster)
            _absorb(cluster, form, count)
            continue
        parts = split_name(form)
        gender = title_gender(parts.title)
        title = parts.title.lower().rstrip(".") if parts.title else None
        last = parts.last.lower() if parts.last else None
        if parts.first and parts.last:
            fits = [
                c for c in clusters if last in c.lasts and _same_given(parts.first, c.firsts) and _compatible(c, gender)
            ]
            if title in MARRIED_TITLES:
                # "Mrs. Newland Archer" is Newland Archer's wife, named after him.
                fits = [c for c in fits if title in c.titles]
        elif parts.first:
            # A lone given name, or title + given name ("Sir Walter"); a lone word may also be a
            # surname ("Archer" for Newland Archer), so both readings compete.
            fits = [c for c in clusters if _same_given(parts.first, c.firsts) and _compatible(c, gender)]
            exact = [c for c in fits if parts.first.lower() in c.firsts]
            if exact:
                fits = exact  # "Jock" is Jock Menzies before it is a diminutive of John Beaver
            if not parts.title or (title_takes_either(parts.title) and title not in MARRIED_TITLES):
                # "Father Dalton" is the Rev. Thomas Dalton: a given-looking word may be his surname.
                fits += [
                    c for c in clusters if parts.first.lower() in c.lasts and c not in fits and _compatible(c, gender)
                ]
        elif last:
            fits = [c for c in clusters if last in c.lasts and _compatible(c, gender)]
            if title in MARRIED_TITLES:
                fits = [c for c in fits if title in c.titles]
            # "Mr. John Knightley" names a first name beside the title to tell him from the
            # "Mr. Knightley" (his elder brother): such a cluster does not take the bare form.
            # Only when the titled full name is a usual way of naming that character: a
            # one-off "Mr. Gabriel Syme" must not keep "Mr. Syme" from him.
            fits = [c for c in fits if sum(n for f, n in c.forms.items() if _titled_full(f, title)) < 0.3 * c.count]
            # "Miss Ashcombe" and "Dr Ashcombe" are daughter and father: a surname used
            # with "Miss" and with another title names two people.
            fits = [c for c in fits if not title or not c.titles or (title == "miss") == ("miss" in c.titles)]
        elif title:
            # "the Colonel" alone is the story's one Colonel Ashby, if it has exactly one.
            role = canonical_title(title)
            fits = [c for c in clusters if any(canonical_title(t) == role for t in c.titles)]
        else:
            fits = []
        if len(fits) > 1 and not parts.title:
            fits = _dominant(fits)
        if len(fits) == 1:
            _absorb(fits[0], form, count)
        else:
            cluster = Cluster()
            _absorb(cluster, form, count)
            clusters.append(cluster)
    return _join_known_by_given_name(clusters)


def _join_known_by_given_name(clusters: list[Cluster]) -> list[Cluster]:
    """A full name the knowledge base or cast does not list ("Miss Elizabeth Bennet") joins the
    listed character known only by that given name ("Elizabeth", "Lizzy"). Full names are
    clustered first, before the short listed forms have made their cluster, so this is done
    after: otherwise the family name is lost to the listed character, and with it "her mother".

    Only where nothing says they differ: the listed character has no family name of its own in
    the text or in its entry (a "John" listed as John Watson keeps John Lennon out), and one
    family name alone claims it (an "Anna Smith" and an "Anna Jones" both stay apart)."""
    known = [(c, c.kb) for c in clusters if c.kb is not None]
    claims: dict[int, list[Cluster]] = {}
    for cluster in clusters:
        if cluster.kb is not None or not cluster.firsts or not cluster.lasts:
            continue
        gender = _cluster_gender(cluster)
        fits = [
            k
            for k, entry in known
            if cluster.firsts & k.firsts and not k.lasts and not _entry_family_names(entry) and _compatible(k, gender)
        ]
        if len(fits) == 1:
            claims.setdefault(id(fits[0]), [fits[0]]).append(cluster)
    joined: set[int] = set()
    for target, *claimants in claims.values():
        if len({last for c in claimants for last in c.lasts}) == 1:
            for cluster in claimants:
                for form, count in cluster.forms.items():
                    _absorb(target, form, count)
                joined.add(id(cluster))
    return [c for c in clusters if id(c) not in joined]


def _entry_family_names(entry: KBCharacter) -> set[str]:
    """The family names an entry gives, leaving out a "last" word that is one of its given names
    elsewhere (a cast's "My Dear Miss Eliza" is Eliza, no family name)."""
    parts = [split_name(n) for n in (entry.name, *entry.aliases) if len(n.split()) >= 2]  # a lone word may be either
    given = {p.first.lower() for p in parts if p.first}
    return {p.last.lower() for p in parts if p.last} - given


def _titled_full(form: str, title: str | None) -> bool:
    parts = split_name(form)
    return bool(title and parts.title and parts.title.lower().rstrip(".") == title and parts.first and parts.last)


def _cluster_gender(cluster: Cluster) -> str | None:
    if len(cluster.genders) == 1:
        return next(iter(cluster.genders))
    for first in cluster.firsts:
        guess = first_name_gender(first)
        if guess and guess[1] >= 0.9:
            return guess[0]
    return None


def _dominant(fits: list[Cluster]) -> list[Cluster]:
    """Among several candidates, one that is mentioned at least three times as often as the rest."""
    fits = sorted(fits, key=lambda c: -c.count)
    if fits[0].count >= 3 * sum(c.count for c in fits[1:]):
        return fits[:1]
    return fits
