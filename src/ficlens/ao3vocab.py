"""AO3's fixed vocabulary: ratings, archive warnings, categories and the reader placeholders.

These are AO3's words, not ficlens's judgements, so they are written once here and read by the
tag components, the audit, the renderers and the tag evaluation alike. Spelling matters: a
profile's tags are compared with authors' tags, and "Teen and Up Audiences" is not AO3's
"Teen And Up Audiences". Older spellings authors still use are listed next to the current one.
"""

from __future__ import annotations

import re

# --- ratings, in increasing order (an index into RATINGS is a rating level) ----------------------

GENERAL, TEEN, MATURE, EXPLICIT = range(4)
RATINGS = ("General Audiences", "Teen And Up Audiences", "Mature", "Explicit")
RATING_LETTERS = ("G", "T", "M", "E")  # AO3's rating icons, in the same order
NOT_RATED = "Not Rated"  # no rating chosen: claims nothing about the content

# --- archive warnings ----------------------------------------------------------------------------

GRAPHIC_VIOLENCE = "Graphic Depictions Of Violence"
MAJOR_CHARACTER_DEATH = "Major Character Death"
NON_CON = "Rape/Non-Con"
UNDERAGE = "Underage Sex"
UNDERAGE_BEFORE_2024 = "Underage"  # AO3 renamed the warning in 2024; both mean the same
WARNINGS = (GRAPHIC_VIOLENCE, MAJOR_CHARACTER_DEATH, NON_CON, UNDERAGE)  # the four that claim content
NO_WARNINGS = "No Archive Warnings Apply"  # a claim that none of the four applies
CHOSE_NOT_TO_WARN = "Creator Chose Not To Use Archive Warnings"  # the opt-out: claims nothing
CHOSE_NOT_TO_WARN_BEFORE_2021 = "Choose Not To Use Archive Warnings"
OPT_OUTS = (CHOSE_NOT_TO_WARN, CHOSE_NOT_TO_WARN_BEFORE_2021)

# --- categories, in the order AO3 lists them -----------------------------------------------------

CATEGORIES = ("F/F", "F/M", "Gen", "M/M", "Multi", "Other")
GEN = "Gen"  # no romantic or sexual relationship: the category that claims an absence

# --- the reader ----------------------------------------------------------------------------------

READER_TAG = "Reader"  # AO3's character tag for the second-person reader
# Reader-insert works write the reader's name and details as placeholders: Y/N ("your name"),
# L/N ("last name"), E/N and H/N (eye and hair colour, never a name).
READER_NAME_PLACEHOLDERS = ("Y/N", "L/N")
PLACEHOLDER_LETTERS = "YLEH"  # the first letters of every placeholder, X/N
# The spellings the text uses for a name placeholder: "Y/N", "y/n", "Y/n" (never "y/N").
PLACEHOLDER_SPELLINGS = tuple(
    spelling for form in READER_NAME_PLACEHOLDERS for spelling in (form, form.lower(), form.capitalize())
)
# A name placeholder in prose, with the brackets authors often put around it: "(Y/N)", "[y/n]".
READER_PLACEHOLDER = re.compile(r"[(\[]?\b(?:" + "|".join(map(re.escape, PLACEHOLDER_SPELLINGS)) + r")\b[)\]]?")
# The names an author's character tag may give the reader.
READER_TAG_NAMES = (READER_TAG, "You", "Y/N", "(Y/N)")
