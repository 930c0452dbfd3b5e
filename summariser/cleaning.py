"""Boilerplate removal: what a scraped page carries that is not the article.

Works line by line (a line is a paragraph) before anything else runs, so no
later stage ever sees a promo, a sub-head, a byline or a photo credit. Each
rule is deliberately conservative about long lines: real paragraphs are long
and end with punctuation; boilerplate is short, shouty or formulaic.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_FINAL = ".!?\"'”’)…"
_OPEN_QUOTES = "\"“‘'"

_PROMO = re.compile(
    r"""^(?:
        read\s+(?:more|also|our|the\s+latest|next|full|this)\b
      | (?:see|watch|listen|click|tap)\s+(?:more|also|here|now|our|the\s+latest|live)\b
      | more\s*:\s | related\s*(?::|stories|articles|content|coverage|reading)
      | (?:recommended|most\s+(?:read|popular|viewed)|trending|popular\s+now)\b
      | latest\s+(?:from|on|news|stories|updates?)\b
      | advertisement\b | sponsored\b | story\s+continues | continue\s+reading
      | scroll\s+(?:down|to)\b | click\s+here\b | don'?t\s+miss\b | must\s+read\b
      | sign\s+up\b | subscribe\b | (?:get|join)\s+(?:our|the)\s+\w*\s*newsletter
      | follow\s+(?:us|our|the\s+latest)\b | like\s+us\s+on\b | (?:share|tweet)\s+(?:this|on|via)\b
      | got\s+a\s+(?:story|tip)\b | do\s+you\s+have\s+a\s+story\b | contact\s+us\b
      | already\s+a\s+(?:subscriber|member)\b | to\s+continue\s+reading\b | log\s+in\s+to\b
      | create\s+a\s+free\s+account\b | (?:become|for)\s+(?:a\s+)?subscribers?\b
      | (?:this|the\s+rest\s+of\s+this)\s+(?:article|content|story)\s+is\s+
          (?:only\s+)?(?:available|for|reserved)
      | copyright\b | ©
      | (?:listen|watch)\s*: | video\s*: | live\s*: | breaking\s*:
    )""",
    re.IGNORECASE | re.VERBOSE,
)
_ANYWHERE = re.compile(
    r"""(?:
        \b(?:newsletter|inbox)\b.*\b(?:sign\s+up|subscribe|delivered)\b
      | \b(?:sign\s+up|subscribe)\b.*\b(?:newsletter|inbox|for\s+free|free\s+trial)\b
      | \bcookies?\b.*\b(?:accept|consent|policy|settings|preferences)\b
      | \b(?:accept|consent\s+to|use\s+of)\b.*\bcookies?\b
      | \ball\s+rights\s+reserved\b
      | \benter\s+(?:your|an)\s+e-?mail(?:\s+address)?\b | \be-?mail\s+address\s+is\s+invalid\b
      | \bfollow\s+(?:her|him|his|them|me)\b[^.]{0,60}\bon\s+(?:twitter|x|facebook|instagram)\b
      | \b(?:re-?enter|enter)\s+(?:your\s+)?zip\s?code\b | \bnot\s+in\s+our\s+deliverable\s+area\b
      | \bsign\s+up\s+for\s+(?:digital\s+)?access\b | \bselect\s+category\b
      | \bsubscribers?\s+only\b | \bpaywall\b
      | ^\W*(?:share|tweet|email|print|copy\s+link|facebook|twitter|whatsapp|linkedin|reddit)
         (?:\s*[|/,·•]?\s*(?:share|tweet|email|print|copy\s+link|facebook|twitter|x|whatsapp|linkedin|reddit|messenger))*\W*$
    )""",
    re.IGNORECASE | re.VERBOSE,
)
_BYLINE = re.compile(
    r"""^(?:
        by\s+[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|and|&|de|van|von|al|bin))*
          (?:\s*[,|–—-]\s*.{0,60})?$
      | (?:published|updated|last\s+updated|posted|first\s+published)\b.{0,80}$
      | \(?(?:reporting|additional\s+reporting|writing|editing)\s+by\b.*$
    )""",
    re.IGNORECASE | re.VERBOSE,
)
_CREDIT = re.compile(
    r"""(?:
        ^\(?\s*(?:photo|picture|image|photograph|credit|pictured|video|graphic)s?\s*(?::|by\b)
      | (?:^|[\s(|/])(?:getty\s+images|afp|reuters|ap\s+photo|pa\s+(?:wire|media)|epa(?:-efe)?|
          shutterstock|alamy|rex\s+features|bloomberg\s+via\s+getty)\s*\)?\s*$
      | \bvia\s+getty\b | \|\s*[\w\s.]+$
    )""",
    re.IGNORECASE | re.VERBOSE,
)
# a photo or gallery caption, whatever its length
_GALLERY = re.compile(
    r"""(?:
        ^(?:photos|gallery|in\s+pictures)\s*:
      | \bhide\s+caption\b | \bplay\s+slideshow\b | \bview\s+gallery\b
      | \bmedia\s+playback\s+is\s+unsupported\b | \b(?:image|media)\s+caption\b
      | \bimage\s+copyright\b
      | ^(?:file\s*[-–—:]\s*)?(?:in\s+)?this\s+(?:(?:undated|handout|file|aerial|\d{1,4},?|
          (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?|
          (?:mon|tues|wednes|thurs|fri|satur|sun)day,?)\s+){0,5}
          (?:photo|image|picture)\b
      | ^an?\s+(?:handout\s+|file\s+|undated\s+)?(?:photo|image|picture)\s+
          (?:issued|released|provided|taken|made\s+available|distributed)\b
    )""",
    re.IGNORECASE | re.VERBOSE,
)
# a caption led by its picture credit: "GETTY Max Verstappen swerved ...", "Getty - Contributor
# Equifax revealed ...", "SWNS • PA Martin Bamford survived ..."
_CREDIT_LED = re.compile(
    r"""^(?:GETTY(?:\s+IMAGES)?|REUTERS|AFP|REX|SHUTTERSTOCK|ALAMY|SWNS
          |Getty(?:\s+Images)?(?:\s+-\s+\w+)?|Rex\s+Features|Alamy|Shutterstock)
        (?:\s*[•/|]\s*[A-Z]{2,})*\s+[A-Z]""",
    re.VERBOSE,
)
# a tabloid caption: a one-to-three-word label, then the caption, with no final full stop
# ("Star: Cardi B ... seen in December", "Not happy: Another fan admitted ...")
_LABELLED = re.compile(r"^[A-Z][\w'’-]*(?:\s+[\w'’-]+){0,2}\s*[:!?]\s+[\"“‘']?[A-Z0-9]")
# a short line that reports speech is a paragraph that lost its full stop, not a sub-head
_REPORTED = re.compile(r"\b(?:said|says|told|tells|added|claimed|announced|warned|confirmed)\b")
_INLINE_CREDIT = re.compile(
    r"\s*[(\[]\s*(?:photo|picture|image|credit|pictured)\s*:[^)\]]{0,80}[)\]]", re.IGNORECASE
)

# what leads the story without being part of it: a dateline ("BERLIN (Reuters) -",
# "(AP) —", "NEW YORK —"), trimmed from the first paragraph only; the rest is kept as published
_DATELINE = re.compile(
    r"""^(?:
        [A-Z][A-Z.'’-]+(?:\s+[A-Z][A-Z.'’-]+)*(?:,\s*[\w.]+(?:\s+\d{1,2})?)?\s*
          \([A-Za-z][\w .&-]{0,25}\)\s*[-—–]{1,2}\s+
      | \((?:AP|Reuters|AFP|UPI|CNN|dpa|Bloomberg|PA)\)\s*[-—–]{1,2}\s+
      | [A-Z]{3,}(?:[ .'’-][A-Z]{2,})*(?:,\s*[A-Z][a-z]+\.?(?:\s+[A-Z][a-z]+\.?){0,2})?
          (?:\s*[—–]\s+|\s+-\s+)
    )""",
    re.VERBOSE,
)
# a dateline credited to an agency in brackets, in any paragraph: pages often put
# highlights or a standfirst before it ("West Palm Beach, Florida (CNN) President ...")
_AGENCY_DATELINE = re.compile(
    r"""^[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}(?:,\s*[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,2})?
        \s*\((?:CNN|CNN\s+Business|CNNMoney|Reuters|AP|AFP|UPI|dpa|Bloomberg|PA)\)\s*(?:[-—–]{1,2}\s*)?
        (?=[A-Z"“‘'])""",
    re.VERBOSE,
)
_BULLET = re.compile(r"^[-–—•·*▪►]\s+")


# "Read more:" on a line of its own: the short lines after it are other stories' headlines
_LIST_LEAD = re.compile(
    r"^(?:read\s+more|related|more\s+(?:from|on)\b.*|see\s+also|further\s+reading)\s*:$",
    re.IGNORECASE,
)
_HEADLINE_WORDS = 25


@dataclass(frozen=True, kw_only=True)
class Cleaned:
    """The article's paragraphs with boilerplate removed, and what was dropped (and why)."""

    paragraphs: tuple[str, ...]
    dropped: tuple[tuple[str, str], ...]


def _emoji_led(line: str) -> bool:
    first = line.lstrip()[:1]
    return bool(first) and unicodedata.category(first) in {"So", "Sk", "Co"}


def _all_caps_rail(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    if len(letters) < 4 or len(line.split()) > 14:
        return False
    upper = sum(1 for c in letters if c.isupper())
    return upper / len(letters) >= 0.85


def _headline_case(line: str) -> bool:
    """ "Equifax Confirms Another 'Security Incident'": a short line in title case whose
    last sentence mark is no full stop is a headline, whatever quotation closes it."""
    words = [w.strip("\"“”‘’'") for w in line.split()]
    long_words = [w for w in words if len(w) >= 4]
    return (
        3 <= len(words) <= 12
        and len(long_words) >= 2
        and all(w[:1].isupper() for w in long_words)
        and sum(w[:1].isupper() for w in words) >= 0.6 * len(words)
        and line.rstrip("\"“”‘’')")[-1:] not in ".!?…"
    )


def _words(line: str) -> int:
    return len(line.split())


def boilerplate_reason(line: str) -> str | None:
    """Why ``line`` is not article text, or None when it is."""
    text = line.strip()
    if not text:
        return "empty"
    if _emoji_led(text):
        return "emoji-led promo"
    if _PROMO.search(text) or _ANYWHERE.search(text):
        return "promo"
    if _words(text) <= 25 and _BYLINE.search(text):
        return "byline"
    if (_words(text) <= 20 and _CREDIT.search(text)) or _GALLERY.search(text):
        return "caption/credit"
    if _CREDIT_LED.match(text) or (_LABELLED.match(text) and text[-1] not in _FINAL):
        return "caption/credit"
    if _all_caps_rail(text):
        return "all-caps rail"
    quoted = any(q in text for q in '"“”')
    if text.endswith("?") and _words(text) <= 15 and not quoted:
        return "question sub-head"
    if text[-1] not in _FINAL and _words(text) <= 12 and not _REPORTED.search(text):
        return "sub-head"
    if text.endswith(":") and _words(text) <= 8:
        return "sub-head"
    if _headline_case(text):
        return "sub-head"
    return None


def clean(text: str) -> Cleaned:
    """Split ``text`` into paragraphs (one per line) and drop the boilerplate ones."""
    kept: list[str] = []
    dropped: list[tuple[str, str]] = []
    normalised = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    listing = False  # inside the headlines that follow "Read more:"
    for raw in normalised.split("\n"):
        line = _BULLET.sub("", _INLINE_CREDIT.sub("", " ".join(raw.split())))
        if not kept:
            line = _DATELINE.sub("", line, count=1)
        line = _AGENCY_DATELINE.sub("", line, count=1)
        reason = boilerplate_reason(line)
        listing = listing and reason in {None, "empty"} and _words(line) <= _HEADLINE_WORDS
        if listing and reason is None:
            reason = "promo"  # another story's headline
        if reason is None:
            kept.append(line)
        elif reason != "empty":
            dropped.append((line, reason))
        listing = listing or (reason == "promo" and _LIST_LEAD.match(line) is not None)
    return Cleaned(paragraphs=tuple(kept), dropped=tuple(dropped))
