"""The thresholds of the `characters` component (find.py and the helpers it calls).

One flat dataclass, so that a run can override any of them by name:
`AnalysisConfig().with_settings("characters", min_coverage=0.15)`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CharacterSettings:
    # --- which fandoms of the knowledge base a story is (kbmatch.py) ---
    # Evidence score a fandom needs when two of its characters are named distinctively.
    min_fandom_score: float = 2.0
    # A fan work is about its canon's characters: at least this share of the person names it uses
    # must be theirs. A long novel collects chance matches (a "Poe", a "Merlin", "the Resistance")
    # but its own cast outnumbers them hundreds to one (measured: ≤ 0.09 on 11 novels that matched
    # a fandom by chance; ≥ 0.14 on the labelled fan works; see docs/knowledge-base.md).
    min_coverage: float = 0.1
    # A single-word alias that is also a common given name ("John", "Harry") is weak evidence of a
    # canon; above this many US births a name counts as common.
    common_name_births: int = 20_000
    # A short fan work may name only two or three people. When the canon's characters are most of
    # the names it uses (`dominant_coverage`, at least two of them, `dominant_occurrences` times in
    # all), and one of them is not a common given name, the work is that canon ("Klaus" and "Ben");
    # and one distinctive name that no other fandom of the knowledge base claims, used
    # `signature_occurrences` times ("Peeta", "Calcifer"), decides it alone. Tuned on the tune half
    # of ao3-dev (docs/tags.md, "Fandom").
    dominant_coverage: float = 0.4
    dominant_occurrences: int = 5
    signature_occurrences: int = 3
    signature_coverage: float = 0.15
    # A work may name its canon's places and things more than its people ("the Capitol", "the
    # arena", "the victors"): that many of one canon's places and multi-word terms, scoring this
    # many times the next fandom's evidence, decide it too.
    setting_places: int = 3
    setting_score: float = 4.0
    setting_margin: float = 2.0
    # Crossovers: every convincing fandom with at least this share of the best one's score is active.
    crossover_share: float = 0.5

    # --- which capitalised forms are people (mentions.py) ---
    # Speech tags a capitalised epithet needs to be taken for a character despite its article:
    # "the Dodger" is one, "the Quillon" (a ship, named in passing) never "replies".
    epithet_speech_tags: int = 3
    # Births (US, 1880–2017) above which a given name is common enough that a word spelt like it
    # ("Will", "Hope", "Grace") may be the name even where only its position capitalises it.
    common_given_name_births: int = 10_000
    # Net votes a one-word form needs. A lone capitalised word is a weak claim to be a name, and the
    # small model's PERSON label on one ("Forthwith", "Calm", "Munich") is wrong more often than
    # right, so one vote alone is not enough; a second cue (a title, a "said", a given name…) is.
    single_word_margin: float = 1.05

    # --- a character's gender before any pronoun is read (find.py) ---
    # A first name votes for a gender only when at least this share of its bearers have it
    # ("Edward"), not when the name is shared ("Jordan", "Leslie")…
    first_name_gender_share: float = 0.8
    # …and the votes of a character's forms decide only with at least this share for one gender.
    first_name_vote_share: float = 0.8
