"""Discourse primitives: the small facts about a text that several steps read.

- `paragraphs` — where paragraphs break, in the three senses steps need (the `paragraphs` layer);
- `speech_tags` — the words next to each quotation that may tag its speaker, found once before
  coreference (the `speech_tags` layer), and the speech-verb tests they are built from;
- `pronouns` — person pronoun sets (first, second, gendered third person);
- `vocatives` — direct address inside a quotation (names, epithets, gendered forms of address).

Each is written once here; coreference, attribution and narrator naming import them from here,
never from each other.
"""
