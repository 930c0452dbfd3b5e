"""Sentence splitting tuned for news copy.

spaCy's parser segments well on clean prose but trips on titles ("Gen."),
initials, "U.S." and quotations; these rules are more reliable, and their
boundaries are handed to the parser (which respects preset boundaries).
Paragraph ends are always boundaries, with or without final punctuation.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

# Always followed by something else: titles and the like never end a sentence.
_TITLES = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "gen",
        "lt",
        "col",
        "maj",
        "capt",
        "cmdr",
        "adm",
        "sgt",
        "cpl",
        "pte",
        "rep",
        "sen",
        "gov",
        "pres",
        "supt",
        "insp",
        "det",
        "rev",
        "fr",
        "hon",
        "st",
        "mt",
        "ft",
        "messrs",
        "mme",
        "mlle",
        "approx",
        "dept",
        "est",
        "univ",
        "assn",
        "bros",
        "vs",
        "v",
        "cf",
        "al",
    ]
)
# Abbreviations only when a number follows: "No. 10", "Jan. 5".
_NUMBERED = frozenset(
    [
        "no",
        "nos",
        "vol",
        "vols",
        "fig",
        "figs",
        "art",
        "ch",
        "sec",
        "op",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
    ]
)
# Can end a sentence, but usually do not.
_AMBIGUOUS = frozenset(["inc", "corp", "ltd", "co", "plc", "llc", "etc", "bn", "mn", "sr", "jr"])
_SENTENCE_STARTERS = frozenset(
    [
        "the",
        "a",
        "an",
        "he",
        "she",
        "it",
        "they",
        "we",
        "i",
        "you",
        "but",
        "and",
        "or",
        "so",
        "yet",
        "this",
        "that",
        "these",
        "those",
        "there",
        "here",
        "his",
        "her",
        "its",
        "their",
        "our",
        "in",
        "on",
        "at",
        "for",
        "after",
        "before",
        "when",
        "while",
        "if",
        "as",
        "however",
        "meanwhile",
        "officials",
        "police",
        "authorities",
        "it's",
        "he's",
        "she's",
        "they're",
        "we're",
        "mr",
        "mrs",
        "ms",
        "dr",
    ]
)
_BOUNDARY = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s)")
_NEXT = re.compile(r"\s+([\"“‘'(\[]?)(\S+)")
_ACRONYM = re.compile(r"(?:[A-Za-z]\.){2,}$")


@dataclass(frozen=True, kw_only=True)
class Sentence:
    """One sentence: its text and character span in the joined cleaned text."""

    index: int
    text: str
    start: int
    end: int
    paragraph: int


def _is_boundary(para: str, match: re.Match[str], caseless: bool = False) -> bool:
    nxt = _NEXT.match(para, match.end())
    if nxt is None:
        return False
    quote, word = nxt.group(1), nxt.group(2)
    first = word[:1]
    if caseless:
        # lowercased text (some corpora): a terminator followed by a word is enough,
        # but "... ?" inside quotes and ellipses still need a closing mark to end
        if not (first.isalnum() or quote or first in "`'") or match.group(0).startswith(".."):
            return False
    elif not (first.isupper() or first.isdigit() or quote) or first in "-–—":
        return False
    if not match.group(0).startswith(".") or match.group(0).startswith(".."):
        return True
    before = para[: match.start() + 1]
    token = re.search(r"(\S+)$", before)
    if token is None:
        return True
    tok = token.group(1).lstrip("\"“‘'([")
    bare = tok.rstrip(".").lower()
    next_word = word.strip("\"“”‘’'(),").lower()
    if bare in _NUMBERED:
        return not word[:1].isdigit()
    if bare in _TITLES:
        return False
    if re.fullmatch(r"[A-Z]\.", tok):
        return False  # an initial: "George W. Bush"
    if _ACRONYM.search(tok) or bare in _AMBIGUOUS:
        return next_word in _SENTENCE_STARTERS
    return True


def split_paragraph(para: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of one paragraph."""
    spans: list[tuple[int, int]] = []
    start = 0
    caseless = not any(c.isupper() for c in para)
    for match in _BOUNDARY.finditer(para):
        if _is_boundary(para, match, caseless):
            spans.append((start, match.end()))
            start = match.end()
    spans.append((start, len(para)))
    result = []
    for s, e in spans:
        while s < e and para[s].isspace():
            s += 1
        while e > s and para[e - 1].isspace():
            e -= 1
        if e > s:
            result.append((s, e))
    return result


def join_paragraphs(paragraphs: Sequence[str]) -> str:
    return "\n".join(paragraphs)


def split_sentences(paragraphs: Sequence[str]) -> list[Sentence]:
    """Sentences of the paragraphs, with offsets into ``join_paragraphs(paragraphs)``."""
    sentences: list[Sentence] = []
    offset = 0
    for p_index, para in enumerate(paragraphs):
        for s, e in split_paragraph(para):
            sentences.append(
                Sentence(
                    index=len(sentences),
                    text=para[s:e],
                    start=offset + s,
                    end=offset + e,
                    paragraph=p_index,
                )
            )
        offset += len(para) + 1
    return sentences
