"""Direct address: the names and words inside a quotation that say whom it is spoken to.

A vocative (`"Okay, Kylo. I'll leave."`) names an addressee, who is then never the speaker:
attribution, coreference (nobody addresses themselves) and narrator naming (a narrator is
addressed by a name the narration never uses) all read vocatives the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..model import Mention, Quote

# A lower-case word set off as a vocative ("Don't you understand, scavenger?", "Hush, my sweet.").
VOCATIVE_EPITHET = re.compile(r"(?:,|[“\"‘'])\s*(?:my |you |little |dear )?([a-z]+)\s*[,.!?]")
# Forms of address anyone may be called: never evidence of who is addressed.
GENERIC_ADDRESS = {
    "sir", "madam", "ma'am", "miss", "mister", "dear", "darling", "love", "honey", "sweetheart", "boy",
    "girl", "man", "woman", "child", "kid", "friend", "mate", "lady", "lord", "master",
}  # fmt: skip
# Words that may precede a name in direct address: "my dear Mr. Bennet", "oh, Kylo".
VOCATIVE_LEAD = {
    "my", "dear", "dearest", "oh", "o", "ah", "well", "poor", "good", "sweet", "darling", "little", "old",
    "hello", "hey", "hi", "yes", "no", "now", "come", "thank", "thanks", "you", "goodbye", "bye",
}  # fmt: skip
# Words of address that tell the addressee's gender.
GENDERED_ADDRESS = {
    "sir": "male", "madam": "female", "ma'am": "female", "mister": "male", "miss": "female",
    "papa": "male", "mama": "female", "mamma": "female", "father": "male", "mother": "female",
    "uncle": "male", "aunt": "female", "my lord": "male", "my lady": "female", "my boy": "male",
    "my girl": "female", "sonny": "male", "missus": "female", "madame": "female", "monsieur": "male",
}  # fmt: skip
GENDERED_ADDRESS_PATTERN = re.compile(
    r"(?:,|[“\"‘'])\s*(?:(?:yes|no|thank you|thanks|oh|well|please|dear|my dear),?\s+)?("
    + "|".join(sorted(map(re.escape, GENDERED_ADDRESS), key=len, reverse=True))
    + r")\s*[,.!?;—-]",
    re.IGNORECASE,
)


def vocative_mentions(text: str, quote: Quote, mentions: Iterable[Mention]) -> list[Mention]:
    """Name mentions inside a quote that address someone: set off by commas, or opening or
    closing the quote ("Okay, Kylo." / "Kylo, wait!" / "…, Rey?")."""
    found = []
    for mention in mentions:
        if mention.kind != "name" or not (quote.start <= mention.start < quote.end):
            continue
        # "My dear Mr. Bennet," / "Oh, Kylo!": words of address may stand between the
        # boundary and the name.
        lead = re.search(r"[,“\"‘']([\w\s]*)$", text[max(quote.start, mention.start - 40) : mention.start])
        bounded = lead is not None and all(w in VOCATIVE_LEAD for w in lead.group(1).lower().split())
        after = text[mention.end : mention.end + 2]
        opens_quote = text[quote.start : mention.start].strip(" “\"‘'") == ""
        if (bounded or opens_quote) and re.match(r"\s*[,.!?”\"’']", after):
            found.append(mention)
    return found


def vocative_epithets(text: str, quote: Quote) -> list[str]:
    """Lower-case words set off as vocatives inside a quote ("…, scavenger?"), lower-cased."""
    return [m.group(1).lower() for m in VOCATIVE_EPITHET.finditer(text, quote.start, quote.end)]


def address_gender(text: str, quote: Quote) -> str | None:
    """ "Thank you, sir." / "Yes, mama": the gender of whoever the quote addresses."""
    match = GENDERED_ADDRESS_PATTERN.search(text, quote.start, quote.end)
    return GENDERED_ADDRESS[match.group(1).lower()] if match else None
