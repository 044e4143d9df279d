"""The vocabulary of speech: verbs and nouns that make a speech tag.

Shared by quote attribution (`quotes/attribute.py`), which reads tags, and character finding
(`characters/mentions.py`), which counts how often a capitalised word is the subject of one.
"""

from __future__ import annotations

SPEECH_VERBS = {
    "say", "ask", "reply", "answer", "whisper", "shout", "cry", "mutter", "murmur", "exclaim", "retort", "taunt",
    "hiss", "roar", "growl", "snap", "snarl", "yell", "scream", "call", "add", "continue", "begin", "explain",
    "insist", "demand", "inquire", "enquire", "remark", "observe", "respond", "return", "repeat", "declare",
    "announce", "admit", "agree", "argue", "beg", "plead", "promise", "protest", "suggest", "tell", "warn",
    "laugh", "chuckle", "giggle", "sigh", "groan", "moan", "gasp", "breathe", "sob", "stammer", "stutter",
    "mumble", "grumble", "grunt", "bark", "bellow", "cry", "croak", "drawl", "purr", "coo", "tease", "joke",
    "smile", "grin", "sneer", "scoff", "snort", "huff", "interrupt", "interject", "counter", "confess",
    "murmur", "muse", "wonder", "think", "speak", "pray", "shriek", "squeal", "yelp", "rasp", "choke", "manage",
    "correct", "concede", "conclude", "chime", "offer", "order", "command", "urge", "query", "question",
    "blurt", "proclaim", "persist", "press", "prompt", "assure", "cut", "hum", "sing", "write", "note",
    "interpose", "ejaculate", "echo", "resume", "falter", "assent", "rejoin", "explode", "pursue", "supply",
    "entreat", "assert", "blubber", "proceed", "expostulate", "remonstrate", "reason", "object", "venture",
    "vociferate", "lament", "acquiesce", "soothe", "coax", "cajole", "implore", "retort", "whimper", "wail",
    "stammer", "sneer", "jeer", "scold", "chide", "rebuke", "reproach", "exclaim", "rejoin", "reiterate",
    "gasp", "pant", "splutter", "sputter", "hazard", "volunteer", "acknowledge", "confide", "explain",
    "put", "break", "go", "chime", "strike", "burst", "blaze",
}  # fmt: skip
# Verbs that introduce speech only with their particle: "put in Kitty", "broke in Davis", "went on".
PHRASAL_SPEECH = {
    "put": {"in"},
    "break": {"in", "out"},
    "go": {"on"},
    "chime": {"in"},
    "strike": {"in"},
    "burst": {"out"},
    "blaze": {"out"},
    "cut": {"in"},
}
# Past-tense forms that name speech even when the tagger calls them something else ("sneered Oakley"
# tagged as an adjective): matched on the word itself, with the word order of a tag.
_IRREGULAR_PAST = {
    "say": "said",
    "tell": "told",
    "begin": "began",
    "think": "thought",
    "speak": "spoke",
    "sing": "sang",
    "write": "wrote",
    "cry": "cried",
    "reply": "replied",
    "hum": "hummed",
    "beg": "begged",
    "snap": "snapped",
    "plead": "pleaded",
    "admit": "admitted",
    "sob": "sobbed",
    "grin": "grinned",
}
SPEECH_PAST_FORMS = {
    _IRREGULAR_PAST.get(v)
    or (v + "d" if v.endswith("e") else v[:-1] + "ied" if v.endswith("y") and v[-2] not in "aeiou" else v + "ed")
    for v in SPEECH_VERBS
    if v not in PHRASAL_SPEECH
}
# "…," was Frank's reply: a possessed speech noun after the copula names the speaker.
SPEECH_NOUNS = {
    "reply",
    "answer",
    "remark",
    "question",
    "response",
    "retort",
    "comment",
    "rejoinder",
    "greeting",
    "exclamation",
    "observation",
    "answer",
    "cry",
    "query",
    "contribution",
    "advice",
    "verdict",
    "reproach",
    "protest",
    "explanation",
    "suggestion",
    "farewell",
}
# Verbs that introduce speech and little else: a tag with one of these is never a mere reaction.
CORE_SPEECH_VERBS = {
    "say",
    "ask",
    "reply",
    "answer",
    "whisper",
    "tell",
    "mutter",
    "murmur",
    "shout",
    "yell",
    "exclaim",
    "inquire",
    "enquire",
    "respond",
    "continue",
    "add",
    "repeat",
    "cry",
}
# Verbs of a plain speech tag ("said the Dodger", "the Dodger replied"), whose object right after
# the verb can only be an inverted subject: being their subject again and again makes a
# capitalised epithet a character. Not "tell": in "told the Ministry" the object is the listener.
TAG_VERBS = {
    "say",
    "reply",
    "ask",
    "answer",
    "cry",
    "exclaim",
    "inquire",
    "enquire",
    "whisper",
    "shout",
    "rejoin",
    "retort",
    "remark",
    "observe",
    "add",
    "continue",
    "repeat",
    "murmur",
    "mutter",
}
