"""Who said what: quotations, reported speech and their speakers.

The dependency parse finds the cue verb ("said", "warned", "according to"),
its subject (the speaker) and its complement (what was said); rules handle
what parsers get wrong: quotation marks are paired on the raw text (so a
quote may span sentences and paragraphs), speakers are expanded to a name
plus a role (titles before the name, appositions after it), pronouns and
nominals ("he", "the minister") are resolved to a person or body named
earlier, and documents ("a statement from the office of ...") are followed
to their author. A speaker is never left as a bare pronoun: when it cannot be
resolved the attribution is dropped.
"""

from __future__ import annotations

import bisect
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from summariser.sentences import Sentence
from summariser.types import Attribution, AttributionKind

Token = Any  # spacy.tokens.Token
Doc = Any  # spacy.tokens.Doc

_IRREGULAR = {
    "say": ("says", "said", "saying"),
    "tell": ("tells", "told", "telling"),
    "think": ("thinks", "thought", "thinking"),
    "write": ("writes", "wrote", "writing", "written"),
    "find": ("finds", "found", "finding"),
    "show": ("shows", "showed", "showing", "shown"),
    "foresee": ("foresees", "foresaw", "foreseeing", "foreseen"),
    "swear": ("swears", "swore", "swearing", "sworn"),
    "forecast": ("forecasts", "forecast", "forecasting"),
    "broadcast": ("broadcasts", "broadcast", "broadcasting"),
    "hear": ("hears", "heard", "hearing"),
}
_REGULAR = [
    "add",
    "claim",
    "warn",
    "deny",
    "insist",
    "announce",
    "state",
    "explain",
    "note",
    "argue",
    "believe",
    "suggest",
    "confirm",
    "report",
    "tweet",
    "post",
    "allege",
    "assert",
    "admit",
    "acknowledge",
    "predict",
    "estimate",
    "reveal",
    "disclose",
    "stress",
    "emphasise",
    "emphasize",
    "maintain",
    "contend",
    "declare",
    "reply",
    "respond",
    "answer",
    "ask",
    "recall",
    "conclude",
    "observe",
    "remark",
    "comment",
    "concede",
    "complain",
    "promise",
    "pledge",
    "vow",
    "threaten",
    "caution",
    "indicate",
    "signal",
    "hint",
    "fear",
    "testify",
    "assure",
    "reiterate",
    "repeat",
    "counter",
    "retort",
    "quip",
    "joke",
    "boast",
    "lament",
    "mention",
    "urge",
    "propose",
    "recommend",
    "agree",
    "disagree",
    "dispute",
    "accuse",
    "charge",
    "inform",
    "brief",
    "write",
    "continue",
    "elaborate",
    "clarify",
    "announce",
    "proclaim",
    "affirm",
    "reaffirm",
    "guarantee",
    "speculate",
    "calculate",
    "project",
    "predict",
    "acknowledge",
    "grumble",
    "scoff",
    "shout",
    "whisper",
    "exclaim",
    "blog",
    "text",
    "email",
    "message",
    "posit",
    "express",
]
# content taken from the direct object for these ("announced a ban"); "denies three
# counts of fraud" is a plea, so _CLAUSAL_OBJECT_CUES need a clause ("denied receiving
# any warning", "rejected the suggestion that cost-cutting was a factor")
_OBJECT_CUES = frozenset(
    [
        "express",  # "expressed concerns about the deal"
        "confirm",
        "announce",
        "acknowledge",
        "reveal",
        "disclose",
        "predict",
        "estimate",
        "promise",
        "pledge",
        "report",
        "forecast",
        "project",
        "guarantee",
        "demand",
    ]
)
_CLAUSAL_OBJECT_CUES = frozenset(["deny", "admit", "reject", "dispute"])
# "vowed to fight", "urged Congress to act": the content is a to-infinitive
_XCOMP_CUES = frozenset(["promise", "pledge", "vow", "threaten", "urge", "swear", "warn", "advise"])
_WEAK_CUES = frozenset(
    [
        *("think", "believe", "reckon", "hope", "expect", "fear", "find", "show", "agree"),
        *("continue", "demand"),
    ]
)


def _inflect(verb: str) -> tuple[str, ...]:
    if verb.endswith("e"):
        return (verb + "s", verb + "d", verb[:-1] + "ing")
    if verb.endswith("y") and verb[-2] not in "aeiou":
        return (verb[:-1] + "ies", verb[:-1] + "ied", verb + "ing")
    if re.search(r"(?:mit|fer|pel|gret)$", verb) or verb in {"quip"}:
        return (verb + "s", verb + verb[-1] + "ed", verb + verb[-1] + "ing")
    if verb.endswith(("s", "sh", "ch", "x")):
        return (verb + "es", verb + "ed", verb + "ing")
    return (verb + "s", verb + "ed", verb + "ing")


_REGULAR += ["remind", "hail", "describe", "brand", "dub", "label", "slam", "call", "blast"]
_REGULAR += ["identify", "characterise", "characterize", "portray"]
_REGULAR += ["fume", "reckon", "reject", "demand"]

CUE_FORMS: dict[str, str] = {}
for _lemma, _forms in _IRREGULAR.items():
    for _form in (_lemma, *_forms):
        CUE_FORMS[_form] = _lemma
for _lemma in _REGULAR:
    for _form in (_lemma, *_inflect(_lemma)):
        CUE_FORMS.setdefault(_form, _lemma)

_PRONOUNS = frozenset(
    [
        "he",
        "she",
        "they",
        "it",
        "we",
        "i",
        "you",
        "him",
        "her",
        "them",
        "us",
        "me",
        "one",
        "who",
        "this",
        "that",
        "someone",
        "somebody",
    ]
)
_PERSON_PRONOUNS = {"he": "m", "him": "m", "she": "f", "her": "f"}
_HONORIFICS = {"mr": "m", "mr.": "m", "sir": "m", "mrs": "f", "mrs.": "f", "ms": "f", "ms.": "f"}
_HONORIFIC_WORDS = frozenset(
    {"mr", "mr.", "mrs", "mrs.", "ms", "ms.", "miss", "dr", "dr.", "sir", "dame"}
)
_DOCUMENT_NOUNS = frozenset(
    [
        "statement",
        "report",
        "release",
        "letter",
        "post",
        "tweet",
        "filing",
        "document",
        "study",
        "survey",
        "memo",
        "transcript",
        "announcement",
        "communique",
        "communiqué",
        "message",
        "note",
        "readout",
        "briefing",
        "analysis",
        "assessment",
        "update",
        "notice",
        "email",
        "order",
        "ruling",
        "decree",
        "publication",
        "paper",
        "bulletin",
        "summary",
        "interview",
        "video",
        "speech",
        "investigation",
        "inquiry",
        "review",
        "audit",
        "poll",
        "figures",
        "data",
        "statistics",
        "estimate",
        "estimates",
        "research",
        "census",
    ]
)
_ORG_NOUNS = frozenset(
    [
        "ministry",
        "government",
        "company",
        "firm",
        "group",
        "department",
        "agency",
        "police",
        "army",
        "military",
        "party",
        "council",
        "court",
        "committee",
        "office",
        "embassy",
        "organisation",
        "organization",
        "union",
        "bank",
        "university",
        "authority",
        "authorities",
        "kremlin",
        "administration",
        "campaign",
        "team",
        "club",
        "board",
        "commission",
        "regulator",
        "service",
        "force",
        "forces",
        "hospital",
        "school",
        "city",
        "state",
        "country",
        "club",
        "network",
    ]
)
_PERSON_NOUNS = frozenset(
    [
        "man",
        "woman",
        "boy",
        "girl",
        "resident",
        "witness",
        "victim",
        "survivor",
        "neighbour",
        "neighbor",
        "mother",
        "father",
        "son",
        "daughter",
        "wife",
        "husband",
        "friend",
        "teacher",
        "student",
        "nurse",
        "doctor",
        "officer",
        "driver",
        "owner",
        "worker",
        "farmer",
        "soldier",
        "pilot",
        "passenger",
        "shopper",
        "customer",
        "employee",
        "volunteer",
        "activist",
        "campaigner",
        "source",
        *("pensioner", "retiree", "paramedic", "firefighter", "commuter", "parent", "tenant"),
        *("sister", "brother", "grandmother", "grandfather", "aunt", "uncle", "relative"),
        *("homeowner", "landlord", "shopkeeper", "patient", "pupil", "voter", "protester"),
        *("fan", "player", "singer", "actor", "actress", "musician", "artist", "producer"),
        *("writer", "priest", "pastor", "vicar", "imam", "rabbi", "midwife", "pharmacist"),
        *("engineer", "electrician", "carer", "mourner", "veteran", "refugee", "cyclist"),
        *("entrepreneur", "investor", "trader", "farmer", "grazier", "rancher", "fisherman"),
    ]
)
_SKIP_ENTITY = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "PERCENT", "MONEY"})
_OPENING = "“‘"
_CLOSING = "”’"


@dataclass(frozen=True, kw_only=True)
class Quote:
    """A quotation on the raw text: ``start``/``end`` include the quotation marks."""

    start: int
    end: int
    text: str

    @property
    def words(self) -> int:
        return len(self.text.split())


@dataclass(frozen=True, kw_only=True)
class Found:
    """An attribution plus where it sits, for choosing facts later."""

    attribution: Attribution
    sentences: tuple[int, ...]  # every sentence the attributed content covers
    label: str = "PERSON"  # PERSON, ORG (or another entity label), DOC or NOM (a description)


@dataclass
class _Person:
    name: str
    role: str | None = None
    gender: str | None = None
    titles: list[str] = field(default_factory=list)  # every role seen, for "the minister"
    age: int | None = None  # "Jalen Okonkwo, 26,": for "the 26-year-old" later


@dataclass
class _Context:
    doc: Doc
    text: str  # the doc's text, read once: ``doc.text`` is rebuilt from every token each time
    sentences: Sequence[Sentence]
    quotes: Sequence[Quote] = ()
    people: dict[str, _Person] = field(default_factory=dict)  # canonical name -> person
    surnames: dict[str, str] = field(default_factory=dict)  # last word -> canonical name
    # (char position, canonical name, label, is_subject, sentence index)
    mentions: list[tuple[int, str, str, bool, int]] = field(default_factory=list)
    # (pos, name, label, what they said)
    speakers: list[tuple[int, str, str, str]] = field(default_factory=list)
    organisations: set[str] = field(default_factory=set)  # names that are bodies, not people


# ---------------------------------------------------------------- quotations


def find_quotes(text: str) -> list[Quote]:
    """Pair quotation marks paragraph by paragraph.

    Straight quotes are classed as opening or closing by their neighbours; a
    quote left open at the end of a paragraph runs to its end (the convention
    for quotations that continue into the next paragraph).
    """
    quotes: list[Quote] = []
    offset = 0
    # tokenised corpora write ``quotes'' like this; same length keeps offsets aligned
    text = text.replace("``", " “").replace("''", "” ")
    for para in text.split("\n"):
        quotes.extend(_paragraph_quotes(para, offset))
        offset += len(para) + 1
    return quotes


_ELISION = re.compile(r"(?:s|m|d|t|re|ve|ll|em|\d0s)(?=[\s.,;:!?)]|$)", re.IGNORECASE)


def _curl_single_quotes(para: str) -> str:
    """Straight single quotes as curly ones, by their neighbours (same length). An
    apostrophe after a space that starts a clitic or a decade ("mcilroy 's", "i 'm",
    "the '90s", as tokenised text writes them) is not an opening quote."""

    def curl(m: re.Match[str]) -> str:
        i = m.start()
        prev = para[i - 1] if i else " "
        nxt = para[i + 1] if i + 1 < len(para) else " "
        opens = (prev.isspace() or prev in '([—–:"“') and (nxt.isalnum() or nxt in "([")
        return "‘" if opens and not _ELISION.match(para, i + 1) else "’"

    return re.sub("'", curl, para)


def _paragraph_quotes(para: str, offset: int) -> list[Quote]:
    found: list[Quote] = []
    open_at: int | None = None
    single = False
    marks = _curl_single_quotes(para)  # quotes are found on these, their text read from para
    for i, ch in enumerate(marks):
        prev = marks[i - 1] if i else " "
        nxt = marks[i + 1] if i + 1 < len(marks) else " "
        if ch in '"“”':
            opening = ch == "“" or (
                ch == '"' and (prev.isspace() or prev in "([—–-:") and not nxt.isspace()
            )
            if open_at is not None and not single and opening and _after_sentence(marks, i):
                # paragraphs run together, each opening its quotation ('... flipped. "There
                # was ...'): the open quotation ended with the sentence before this mark
                found.append(_quote(para, open_at, i, offset))
                open_at = i
            elif open_at is not None and not single and not (opening and ch == "“"):
                found.append(_quote(para, open_at, i + 1, offset))
                open_at = None
            elif opening:
                open_at, single = i, False
            elif open_at is None and not found and i > 0:
                # a closing mark with no opener: the quote began in an earlier paragraph
                found.append(_quote(para, 0, i + 1, offset))
        elif (
            ch == "‘"
            and open_at is None
            and (prev.isspace() or prev in "([")
            and (nxt.isalnum() or nxt in "([")
        ):
            open_at, single = i, True
        elif (
            ch == "’"
            and single
            and open_at is not None
            and not nxt.isalnum()
            and i - open_at > 3
            and not (
                prev == "s" and nxt == " " and i + 1 < len(para) and para[i + 2 : i + 3].islower()
            )
        ):
            found.append(_quote(para, open_at, i + 1, offset))
            open_at = None
    if open_at is not None and (not single or open_at == 0):
        # left open: it continues in the next paragraph (single marks only when the
        # paragraph opens with one, as apostrophes are single marks too)
        found.append(_quote(para, open_at, len(para), offset))
    return [q for q in found if q.text]


def _after_sentence(marks: str, i: int) -> bool:
    """The mark at ``i`` follows a sentence's end and a space: ". “There"."""
    before = marks[:i].rstrip()
    return len(before) < i and before[-1:] in {".", "?", "!"}


def _quote(para: str, start: int, end: int, offset: int) -> Quote:
    inner = para[start:end].strip("\"“”‘’' ").rstrip(",").strip()
    return Quote(start=offset + start, end=offset + end, text=inner)


# ---------------------------------------------------------------- speakers


def _np_tokens(head: Token) -> list[Token]:
    """The noun phrase headed by ``head`` without clauses, appositions or a dateline."""
    doc = head.doc
    dateline = _dateline_end(doc)
    tokens = [t for t in _np_core(head) if t.idx >= dateline or head.idx < dateline]
    end = tokens[-1].i
    while True:
        if tail := _hyphen_tail(doc[end]):  # "Natalie Okafor-Reyes"
            tokens.extend(tail)
        # the small parser sometimes splits "President Ilya Marenko" across clauses
        elif end + 1 < len(doc) and doc[end + 1].pos_ == "PROPN" and doc[end + 1].ent_type_:
            tokens.append(doc[end + 1])
        else:
            return tokens
        end = tokens[-1].i


def _hyphen_tail(token: Token) -> list[Token]:
    """ "-Reyes" after "Okafor": the rest of a hyphenated surname the parser split off."""
    doc = token.doc
    i = token.i
    if (
        i + 2 < len(doc)
        and token.pos_ == "PROPN"
        and doc[i + 1].text == "-"
        and not token.whitespace_
        and not doc[i + 1].whitespace_
        and doc[i + 2].pos_ == "PROPN"
        and doc[i + 2].text[:1].isupper()
    ):
        return [doc[i + 1], doc[i + 2]]
    return []


# "AUSTIN, Texas --", "KERVAN, Solvenia, May 14 (CNA) -", "CHANDRAPURI:": a wire dateline
_DATELINE = re.compile(
    r"\s*[A-Z][A-Z'’.-]+(?: [A-Z][A-Z'’.-]+)*"  # the place, in capitals
    r"(?:,\s*[A-Z][\w.]*(?: [\w.]+){0,2}){0,2}"  # a region or a date
    r"\s*(?:\([^()\n]{1,40}\))?"  # the agency
    r"\s*(?:—|–|--|-|:)\s"
)


def _dateline_end(doc: Doc) -> int:
    """Where the dateline opening the text ends (0 if there is none): never a speaker.
    Kept on the doc: ``doc.text`` is rebuilt from every token each time it is read."""
    if "dateline_end" not in doc.user_data:
        found = _DATELINE.match(doc[:64].text)
        doc.user_data["dateline_end"] = found.end() if found else 0
    end: int = doc.user_data["dateline_end"]
    return end


def _parenthesised(token: Token) -> bool:
    """ "Halvard (HLV)", "the agency (FSA)": a ticker or abbreviation in brackets after
    a name is neither part of it nor a role."""
    doc = token.doc
    left, right = token.left_edge.i, token.right_edge.i
    opened = doc[left].text == "(" or (left > 0 and doc[left - 1].text == "(")
    closed = doc[right].text == ")" or (right + 1 < len(doc) and doc[right + 1].text == ")")
    return bool(opened and closed)


def _np_core(head: Token) -> list[Token]:
    skip = {"relcl", "appos", "acl", "advcl", "punct", "cc", "conj", "prep"}
    keep_prep = {"of", "for", "from", "at"}
    tokens = [head]
    for child in head.children:
        if _parenthesised(child):
            continue
        if child.dep_ in skip and not (child.dep_ == "prep" and child.lower_ in keep_prep):
            if child.dep_ in {"cc", "conj"} and head.ent_type_ == child.ent_type_ == "ORG":
                tokens.extend(child.subtree)
            continue
        tokens.extend(child.subtree)
    ordered = sorted({t.i: t for t in tokens}.values(), key=lambda t: t.i)
    bracketed = _bracketed(head.doc, ordered[0].i, ordered[-1].i)
    return ordered if head.i in bracketed else [t for t in ordered if t.i not in bracketed]


def _bracketed(doc: Doc, first: int, last: int) -> set[int]:
    """Indices from ``first`` to ``last`` inside brackets, the brackets included."""
    inside: set[int] = set()
    depth = 0
    for t in doc[first : last + 1]:
        if t.text == "(":
            depth += 1
        if depth:
            inside.add(t.i)
        if t.text == ")" and depth:
            depth -= 1
    return inside


def _text(tokens: Sequence[Token]) -> str:
    if not tokens:
        return ""
    doc = tokens[0].doc
    return str(doc[tokens[0].i : tokens[-1].i + 1].text).strip(" ,;:—–-")


def _past_open_quote(tokens: Sequence[Token]) -> list[Token]:
    """ "...the next best route," lead engineer [Name]: a role or name the parser ran back
    into a quotation starts after its closing mark (a quoted title, "the "Moon Patrol"
    host", has both marks and stays)."""
    tokens = list(tokens)
    # double marks only: a single one may be a possessive ("the Astros' doctor")
    marks = [i for i, t in enumerate(tokens) if t.text in {'"', "“", "”", "``", "''"}]
    if len(marks) % 2:
        return tokens[marks[-1] + 1 :]
    return tokens


def _strip_det(text: str) -> str:
    return re.sub(r"^(?:a|an)\s+", "", text, flags=re.IGNORECASE)


_WORK_NOUNS = frozenset(
    [
        "show",
        "programme",
        "program",
        "series",
        "film",
        "movie",
        "book",
        "novel",
        "album",
        "song",
        "single",
        "play",
        "musical",
        "podcast",
        "documentary",
        "sitcom",
        "drama",
    ]
)


def _is_named(ent: Any) -> bool:
    """The tagger calls the odd common noun ("café") or title ("cookery show Kitchen
    Knockout") a person: a person's name is capitalised and is not a work's title."""
    if ent.label_ != "PERSON":
        return True
    before = ent.doc[ent.start - 1].lower_ if ent.start > 0 else ""
    return any(t.text[:1].isupper() for t in ent) and before not in _WORK_NOUNS


def _entity(tokens: Sequence[Token], labels: set[str]) -> Any:
    ids = {t.i for t in tokens}
    best = None
    for ent in tokens[0].doc.ents if tokens else ():
        if ent.label_ in labels and ent.start in ids and _is_named(ent):
            best = ent  # the last one wins: "Russia's minister Igor K." -> the person
    return best


def _split_title(name: str) -> tuple[str, str | None]:
    """ "Nurse Grace Obi" -> ("Grace Obi", "Nurse"): titles the tagger put inside the name."""
    words = name.split()
    cut = 0
    while cut < len(words) - 1 and (
        words[cut].lower() in _TITLE_WORDS or words[cut].lower() in _PERSON_NOUNS
    ):
        cut += 1
    if cut == 0 or len(words) - cut < 1:
        return name, None
    return " ".join(words[cut:]), " ".join(words[:cut])


# a picture credit: "Mark Ode/AP", "Twitter / @user"
_CREDIT = re.compile(r"/\s*(?:AP|AFP|EPA|PA|Reuters|REUTERS|Getty|GETTY)\b|@\w+")


def _clean_name(name: str) -> str:
    name = re.sub(r"\s+(?:and|or|of|&)$", "", name.strip())  # "the Cincinnati Zoo and"
    name = re.sub(r"\s*\([^()]*\)?$", "", name.strip())  # "Halvard (HLV)": a ticker
    name = re.sub(r"(?:'s|’s|'|’)$", "", name.strip())
    words = name.split()
    while words and words[0].lower().strip(".") in {h.strip(".") for h in _HONORIFIC_WORDS}:
        words = words[1:]
    while len(words) > 1 and words[-1].lower().strip(".,") in _POST_NOMINALS:
        words = words[:-1]  # "John Fell KC"
    return " ".join(words).strip(" ,")


def _appos_role(head: Token) -> str | None:
    # "a co-founder of X" can come back as three appositions: co, -, founder
    tail = _hyphen_tail(head)
    skip = {t.i for t in tail}
    appositions = [
        c
        for h in (head, *tail)
        for c in h.children
        if c.dep_ == "appos" and c.i not in skip and not _parenthesised(c)
    ]
    if not appositions:
        return None
    start = min(c.left_edge.i for c in appositions)
    end = max(c.right_edge.i for c in appositions)
    # "another former defence minister, who served a short term as ...": the relative
    # clause tells a story; the role is what comes before it
    told = {t.i for c in appositions for r in c.subtree if r.dep_ == "relcl" for t in r.subtree}
    tokens = [t for t in _past_open_quote(head.doc[start : end + 1]) if t.i not in told]
    while tokens and tokens[-1].is_punct:
        tokens.pop()
    if all(t.ent_type_ == "DATE" or t.is_punct or t.is_space for t in tokens):
        return None  # "— Ada Quill (@adaquill) May 3, 2019": an embedded post's date
    role = _text(tokens)
    role = re.sub(r"^\d{1,3},\s*", "", role)  # "Greta Valk, 61, a former central banker"
    if not role or re.fullmatch(r"[\d\s,]+(?:years?\s+old)?", role):
        return None
    return role


def _canonical(ctx: _Context, name: str) -> str:
    if name in ctx.people:
        return name
    last = name.split()[-1] if name.split() else name
    if len(name.split()) == 1 and last in ctx.surnames:
        return ctx.surnames[last]
    if len(name.split()) == 1:
        # a family name written first ("Ren Guoqiang ... Ren said"): the only person whose
        # name begins with the word, if no one's name ends with it
        starting = {p for p in ctx.people if len(p.split()) > 1 and p.split()[0] == name}
        if len(starting) == 1:
            return starting.pop()
    return name


_CORPORATE_SUFFIXES = frozenset(
    [
        *("inc", "ltd", "corp", "plc", "llc", "nv", "ag", "sa", "co", "gmbh", "limited"),
        *("corporation", "incorporated"),
    ]
)


_BODY_SIGNS = re.compile(
    r"\b([A-Z][\w&-]+)(?:,\s+which\b|['’]s\s+(?:board|shareholders|shares|stock|"
    r"management|executives|chief\s+executive|revenue|profits?|headquarters|subsidiary))"
)


def _register_organisations(ctx: _Context) -> None:
    """A one-word name the tagger calls an organisation more often than a person, or that
    the article gives with a corporate suffix ("Qualcomm Inc."), is an organisation
    wherever it appears, unless it is the surname of a person the article names."""
    votes: Counter[tuple[str, str]] = Counter()
    incorporated: set[str] = set()
    surnames: set[str] = set()
    for ent in ctx.doc.ents:
        words = _clean_name(ent.text).split()
        if len(words) == 1 and ent.label_ in {"PERSON", "ORG"}:
            # "told the Enquirer": a name that takes "the" is no person's
            the = ent.start > 0 and ctx.doc[ent.start - 1].lower_ == "the"
            votes[words[0], "ORG" if the else ent.label_] += 1
        elif len(words) > 1 and words[-1].lower().strip(".") in _CORPORATE_SUFFIXES:
            incorporated.add(" ".join(words[:-1]).rstrip(","))
        elif len(words) > 1 and ent.label_ == "PERSON":
            surnames.add(words[-1])
    voted = {
        name
        for name, label in votes
        if label == "ORG" and votes[name, "ORG"] > votes[name, "PERSON"]
    }
    # "Qualcomm, which last week announced ...", "Qualcomm's board": no person's words
    bodies = {
        m.group(1)
        for m in _BODY_SIGNS.finditer(ctx.text)
        if (m.group(1), "PERSON") in votes and ctx.text.count(f"Mr. {m.group(1)}") == 0
    }
    ctx.organisations = (voted | incorporated | bodies) - surnames


def _register_people(ctx: _Context) -> None:
    """Every person named in the article, with the role given on first mention."""
    sent_of = _sentence_lookup(ctx)
    apposed = _apposed_names(ctx.doc)
    _register_organisations(ctx)
    people = [
        e
        for e in ctx.doc.ents
        if (e.label_ == "PERSON" and _is_named(e) and _clean_name(e.text) not in ctx.organisations)
        or _aged(ctx, e)
    ]
    for ent in people + apposed:
        name, inner_title = _split_title(_clean_name(ent.text))
        if not name or name.lower() in _PRONOUNS:
            continue
        canonical = _canonical(ctx, name)
        person = ctx.people.get(canonical)
        if person is None:
            person = _Person(name=canonical)
            ctx.people[canonical] = person
            words = canonical.split()
            if len(words) > 1:
                ctx.surnames.setdefault(words[-1], canonical)
        if person.role is None:
            person.role = _title_role(ent.root, ent.start) or inner_title or _appos_role(ent.root)
        if ent.root.dep_ == "appos" and ent.root.head.ent_type_ != "PERSON":
            head = ent.root.head
            title = _role_text([t for t in _np_core(head) if t.i < head.i + 1])
            if title:
                person.titles.append(title)
            if person.gender is None:  # "his mother, Jane,"
                person.gender = _NOUN_GENDER.get(head.lower_)
        before = ctx.doc[ent.start - 1].lower_ if ent.start > 0 else ""
        if before in _HONORIFICS and person.gender is None:
            person.gender = _HONORIFICS[before]
        age = _AGE_AFTER_NAME.match(ctx.text, ent.end_char)
        if age and person.age is None:
            person.age = int(age.group(1))
    for ent in [*ctx.doc.ents, *apposed]:
        # a name inside a quotation is talked about, not a candidate for "he" outside it
        if ent.label_ not in {"PERSON", "ORG", "GPE", "NORP", ""} or not _is_named(ent):
            continue
        if _inside(ent.start_char, ctx.quotes) is not None:
            continue
        name = _clean_name(ent.text)
        if not name or name.lower() in _PRONOUNS:
            continue
        root = ent.root
        canonical = _canonical(ctx, name)
        label = "PERSON" if canonical in ctx.people else ent.label_
        if canonical in ctx.organisations:
            label = "ORG"
        if (
            label in {"PERSON", "NORP"}
            and root.dep_ in {"compound", "amod"}
            and root.head.pos_ == "NOUN"
        ):
            continue  # "the Brixworth kitchen", "a Swiss firm": a modifier is no antecedent
        mention = (ent.start_char, canonical, label, _is_subject(root), sent_of(ent.start_char))
        ctx.mentions.append(mention)
    _register_missed_names(ctx)
    _register_pairs(ctx)
    _register_nominal_subjects(ctx)
    _register_untagged_subjects(ctx)
    ctx.mentions.sort(key=lambda m: m[0])


# how the parser attaches a name set off by commas after a noun ("his sister, Ana,")
_APPOSED = frozenset(["appos", "npadvmod"])


def _apposed_names(doc: Doc) -> list[Any]:
    """Names the tagger missed or mislabelled that a person's title or a word for a person
    introduces: "The Tánaiste, Niall Breen,", "his sister, Ana,"."""
    spans = []
    for token in doc:
        head = token.head
        if not (
            token.dep_ in _APPOSED
            and token.pos_ == "PROPN"
            and token.i > head.i
            and token.ent_type_ not in {"PERSON", "GPE", "NORP", "DATE", "TIME"}
            and token.text[:1].isupper()
            and (
                lower_in(head, _TITLE_WORDS)
                or (lower_in(head, _PERSON_NOUNS) and token.ent_type_ != "ORG")
            )
        ):
            continue
        tail = _hyphen_tail(token)
        spans.append(doc[_name_start(token) : (tail[-1] if tail else token).i + 1])
    return spans + _described_names(doc)


def _described_names(doc: Doc) -> list[Any]:
    """Names the tagger took for organisations that a description of a person follows:
    "Ilse Varga, a radio astronomer at Tellen University,"."""
    spans = []
    for token in doc:
        if token.pos_ != "PROPN" or token.ent_type_ not in {"ORG", "PRODUCT", ""}:
            continue
        described = [
            c
            for c in token.children
            if c.dep_ == "appos"
            and c.pos_ == "NOUN"
            and any(d.dep_ == "det" and d.lower_ in {"a", "an"} for d in c.children)
            and _a_person_word(c.lower_)
        ]
        start = _name_start(token)
        words = doc[start : token.i + 1]
        if (
            described
            and len(words) >= 2
            and all(t.text[:1].isupper() for t in words)
            and words[-1].lower_.strip(".") not in _CORPORATE_SUFFIXES
        ):
            spans.append(words)
    return spans


def _a_person_word(noun: str) -> bool:
    """ "astronomer", "physicist", "minister": a word for a person, not for a business."""
    if noun in _TITLE_WORDS or noun in _PERSON_NOUNS or noun in _EPITHETS:
        return True
    return (
        noun.endswith(("er", "or", "ist", "ian"))
        and not _a_business(noun)
        and noun not in _GENERIC_ORGS | _ORG_NOUNS | _PUBLIC_BODIES | _COLLECTIVES
    )


def _is_subject(token: Token) -> bool:
    return token.dep_ in {"nsubj", "nsubjpass"} or (
        token.dep_ == "pobj" and token.head.lower_ == "to" and token.head.head.lower_ == "according"
    )


def _register_missed_names(ctx: _Context) -> None:
    """A name the tagger missed on a later mention: a known surname ("Van Dijkstra later
    posted") or a known one-word body ("Broadcom did more than raise its offer")."""
    sent_of = _sentence_lookup(ctx)
    tagged = {t.i for ent in ctx.doc.ents for t in ent}
    surnames = {last.lower(): name for last, name in ctx.surnames.items()}
    for token in ctx.doc:
        if token.i in tagged or _inside(token.idx, ctx.quotes) is not None:
            continue
        if token.text in ctx.organisations:
            name, label = token.text, "ORG"
        elif token.pos_ == "PROPN" and token.lower_ in surnames:
            name, label = surnames[token.lower_], "PERSON"
        else:
            continue
        ctx.mentions.append((token.idx, name, label, _is_subject(token), sent_of(token.idx)))


def _register_pairs(ctx: _Context) -> None:
    """ "Mr. Croasmun and Mr. Hansen disputed that ...": two people named together as a
    subject are what a later "they" points to."""
    sent_of = _sentence_lookup(ctx)
    names = {m[0]: m[1] for m in ctx.mentions if m[2] == "PERSON"}
    for token in ctx.doc:
        if not _is_subject(token) or _inside(token.idx, ctx.quotes) is not None:
            continue
        group = [token, *(c for c in token.conjuncts if c.i > token.i)]
        people = [names.get(t.doc[_name_start(t)].idx) for t in group]
        if len(group) > 1 and all(people):
            name = " and ".join(dict.fromkeys(p for p in people if p))
            ctx.mentions.append((token.idx, name, "NOM", True, sent_of(token.idx)))


def _register_untagged_subjects(ctx: _Context) -> None:
    """ "Orion Semiconductor will build ..., the company announced": a capitalised subject
    the tagger did not recognise, and no known person, is most likely an organisation."""
    sent_of = _sentence_lookup(ctx)
    known = {n for _, n, _, _, _ in ctx.mentions}
    for token in ctx.doc:
        if not (
            token.dep_ in {"nsubj", "nsubjpass"}
            and token.pos_ == "PROPN"
            and not token.ent_type_
            and _inside(token.idx, ctx.quotes) is None
        ):
            continue
        name = _clean_name(_text(token.doc[_name_start(token) : token.i + 1]))
        if not name or _canonical(ctx, name) in ctx.people or name in known:
            continue
        if _title_role(token, _name_start(token)):
            continue  # "Coach Bell": a titled name is a person's
        ctx.mentions.append((token.idx, name, "ORG", True, sent_of(token.idx)))


_NOUN_GENDER = {
    **dict.fromkeys(
        ["woman", "girl", "mother", "daughter", "wife", "sister", "grandmother", "aunt", "widow"],
        "f",
    ),
    **dict.fromkeys(
        ["man", "boy", "father", "son", "husband", "brother", "grandfather", "uncle", "widower"],
        "m",
    ),
}


# what a known person is called on a later mention ("the billionaire entrepreneur"), as
# against words that bring in someone new ("the driver", "a witness")
_EPITHETS = frozenset(
    [
        *("entrepreneur", "billionaire", "tycoon", "magnate", "mogul", "businessman"),
        *("businesswoman", "investor", "singer", "actor", "actress", "musician", "rapper"),
        *("comedian", "star", "politician", "lawmaker", "founder", "filmmaker", "novelist"),
        *("scientist", "researcher", "astronomer", "physicist", "economist", "analyst"),
        *("expert", "academic", "historian", "biologist", "professor", "legend", "champion"),
        *("youngster", "teenager", "veteran", "blogger"),
    ]
)


# family words that, with "the", point back to someone just named ("The father said")
_KIN = frozenset(
    [
        *("father", "mother", "dad", "mum", "mom", "husband", "wife", "son", "daughter"),
        *("grandfather", "grandmother", "grandmother", "father-of-two", "mother-of-two"),
    ]
)
_FORMER = frozenset(["former", "late", "outgoing", "retired", "ousted", "embattled"])
# what keeps a description from pointing back: it brings in someone new
_NEW_PERSON_MODIFIERS = frozenset(["relcl", "acl", "nummod"])


def _points_back(token: Token) -> bool:
    """A definite description of a person that can only mean someone already named: an
    epithet ("the billionaire entrepreneur"), a family word ("the father, from Leeds"),
    or a person word a name or nationality marks ("the Brazilian driver", "the Williams
    driver", "Costa Rica's president" -- titles point back only by role, elsewhere)."""
    lower = token.lower_
    if token.pos_ != "NOUN" or token.ent_type_:
        return False
    definite = any(c.dep_ == "det" and c.lower_ == "the" for c in token.children)
    owner = any(c.dep_ == "poss" and c.pos_ == "PROPN" for c in token.children)
    if not (definite or owner):
        return False
    if any(
        c.dep_ in _NEW_PERSON_MODIFIERS or (c.dep_ == "prep" and c.lower_ in {"of", "for", "at"})
        for c in token.children
    ):
        return False  # "the driver of the car", "the man who was hurt"
    if lower in _EPITHETS or lower in _KIN:
        return definite
    if definite and any(c.dep_ == "amod" and c.lower_ in _FORMER for c in token.children):
        return lower in _TITLE_WORDS or lower in _PERSON_NOUNS  # "the former leader"
    marked = any(
        c.i < token.i and c.dep_ in {"compound", "amod", "poss"} and c.text[:1].isupper()
        for c in token.children
    )
    return marked and lower in _PERSON_NOUNS and lower not in _TITLE_WORDS


def _epithet_of(ctx: _Context, token: Token) -> str | None:
    """ "Ravi Mendel ... The billionaire entrepreneur said": a description that points
    back means the person named in the last sentence naming anyone (up to three back): the
    only one there, or else the one of them the article names most, if one clearly is."""
    if not _points_back(token):
        return None
    sentence = _sentence_lookup(ctx)(token.idx)
    before = [
        (name, subject, s)
        for p, name, label, subject, s in ctx.mentions
        if p < token.idx and label == "PERSON" and sentence - s <= 3
    ]
    if not before:
        return None
    last = max(s for _, _, s in before)
    named = {name for name, _, s in before if s == last}
    if len(named) == 1:
        return named.pop()
    counts = Counter(name for _, name, label, _, _ in ctx.mentions if label == "PERSON")
    ranked = sorted(named, key=lambda name: counts[name], reverse=True)
    return ranked[0] if counts[ranked[0]] > 2 * counts[ranked[1]] else None


def _register_nominal_subjects(ctx: _Context) -> None:
    """ "The daughter of one resident wept as she ...": a described person can be "she"."""
    sent_of = _sentence_lookup(ctx)
    for token in ctx.doc:
        if (
            _is_subject(token)
            and _inside(token.idx, ctx.quotes) is None
            and (known := _epithet_of(ctx, token)) is not None
        ):
            ctx.mentions.append((token.idx, known, "PERSON", True, sent_of(token.idx)))
            continue
        if not (
            token.dep_ in {"nsubj", "nsubjpass"}
            and token.head.dep_ == "ROOT"
            and token.pos_ == "NOUN"
            and token.lower_ in _PERSON_NOUNS
            and not token.ent_type_
            and any(c.dep_ == "det" for c in token.children)
            and _inside(token.idx, ctx.quotes) is None
        ):
            continue
        name = _text(_np_tokens(token))
        if name not in ctx.people:
            ctx.people[name] = _Person(name=name, gender=_NOUN_GENDER.get(token.lower_))
        ctx.mentions.append((token.idx, name, "NOM_PERSON", True, sent_of(token.idx)))
    for token in ctx.doc:
        if _a_group_subject(token) and _inside(token.idx, ctx.quotes) is None:
            # "While zoo officials are still investigating, they believe ...": "they"
            name = _strip_det(_text(_np_tokens(token)))
            ctx.mentions.append((token.idx, name, "NOM", True, sent_of(token.idx)))


_GROUPS = frozenset(
    [
        *("officials", "authorities", "police", "investigators", "prosecutors", "officers"),
        *("researchers", "scientists", "experts", "analysts", "economists", "doctors"),
        *("residents", "witnesses", "activists", "campaigners", "lawmakers", "leaders"),
        *("organisers", "organizers", "regulators", "executives", "sources", "critics"),
        *("lawyers", "attorneys", "diplomats", "negotiators", "protesters", "engineers"),
    ]
)


def _a_group_subject(token: Token) -> bool:
    """A plural subject naming people as a group: "zoo officials", "the researchers"."""
    return (
        token.dep_ in {"nsubj", "nsubjpass"}
        and token.pos_ in {"NOUN", "PROPN"}
        and token.lower_ in _GROUPS
        and not token.ent_type_
        and not any(t.tag_ in {"WP$", "WDT", "WP"} for t in token.subtree)  # "whose staff"
    )


_AGE_AFTER_NAME = re.compile(r"\s*,\s*(\d{1,3})\s*,")


def _aged(ctx: _Context, ent: Any) -> bool:
    """ "Ivo Marsh, 33,": whatever the tagger says, a name with an age is a person's."""
    return (
        ent.label_ in {"ORG", "GPE", "NORP", "PRODUCT"}
        and len(ent) > 1
        and all(t.text[:1].isupper() for t in ent)
        and _AGE_AFTER_NAME.match(ctx.text, ent.end_char) is not None
    )


def _title_role(root: Token, start: int) -> str | None:
    """Words of the noun phrase before the name: "Russia's Defence Minister" + name."""
    np = _np_tokens(root)
    before = _past_open_quote([t for t in np if t.i < start])
    if before:  # ""This is just bad, just stupid," Vettel": the parser ran the quote in
        marks = [t.i for t in root.doc[before[0].i : start] if t.text in {'"', "“", "”"}]
        before = [t for t in before if not marks or t.i > marks[-1]]
    while before and (before[0].dep_ == "det" or before[0].is_punct):
        before = before[1:]
    while before and (before[-1].lower_ in _HONORIFIC_WORDS or before[-1].is_punct):
        before = before[:-1]  # "team physician Dr James Muntz": Dr is no part of the role
    if not before or (
        before[0].i > 0
        and before[0].doc[before[0].i - 1].lower_ in {"a", "an"}
        and all(t.pos_ == "ADJ" and t.lower_ not in _TITLE_WORDS for t in before)
    ):
        return None  # "a furious Sebastian Vettel": a mood is no role
    role = _text(before)
    first = before[0]
    if first.is_sent_start and first.pos_ in {"ADJ", "NOUN"} and not first.ent_type_:
        role = role[:1].lower() + role[1:]  # "Former Russian culture minister X said"
    return role or None


def _sentence_lookup(ctx: _Context) -> Callable[[int], int]:
    starts = [s.start for s in ctx.sentences]

    def lookup(pos: int) -> int:
        return max(0, bisect.bisect_right(starts, pos) - 1)

    return lookup


def _resolve_pronoun(ctx: _Context, word: str, pos: int, sentence: int) -> tuple[str, str] | None:
    word = word.lower()
    if word in _PERSON_PRONOUNS:
        return _nearest(ctx, pos, sentence, {"PERSON", "NOM_PERSON"}, _PERSON_PRONOUNS[word])
    if word in {"they", "them"}:
        return _nearest(ctx, pos, sentence, {"ORG", "NORP", "NOM"}, None)
    if word == "it":
        return _nearest(ctx, pos, sentence, {"ORG", "DOC"}, None)
    return None


def _nearest(
    ctx: _Context,
    pos: int,
    sentence: int,
    labels: set[str],
    gender: str | None,
    fits: Callable[[str], bool] = lambda name: True,
    window: int = 4,
) -> tuple[str, str] | None:
    """The mention a reference points back to: the nearest sentence with a compatible
    mention, and within it a speaker before a subject before anything else."""
    candidates = [
        (p, n, lab, subj, s)
        for p, n, lab, subj, s in ctx.mentions
        if p < pos and lab in labels and sentence - s <= window
    ]
    speaker_names = {n for _, n, _, _ in ctx.speakers}

    def compatible(name: str) -> bool:
        person = ctx.people.get(name)
        agrees = gender is None or person is None or person.gender in (None, gender)
        return agrees and fits(name)

    def gendered(name: str) -> bool:  # known to be a "she" beats not known either way
        person = ctx.people.get(name)
        return gender is not None and person is not None and person.gender == gender

    for s in sorted({c[4] for c in candidates}, reverse=True):
        in_sentence = [c for c in candidates if c[4] == s and compatible(c[1])]
        if not in_sentence:
            continue
        ranked = sorted(
            in_sentence,
            key=lambda c: (c[1] in speaker_names, gendered(c[1]), c[3], c[0]),
            reverse=True,
        )
        name = ranked[0][1]
        person = ctx.people.get(name)
        if person is not None and gender is not None and person.gender is None:
            person.gender = gender
        return name, ranked[0][2]
    return None


@dataclass(frozen=True)
class _Description:
    """A person described rather than named: "the 26-year-old", "the Irishman"."""

    age: int | None = None
    gender: str | None = None


_DEMONYM_MEN = frozenset(
    ["irish", "dutch", "french", "english", "scots", "welsh", "cornish", "manx", "yorkshire"]
)
_YEAR_OLD = re.compile(r"the (\d{1,3})-year-old", re.IGNORECASE)


def _description(head: Token, np: Sequence[Token]) -> _Description | None:
    if not any(c.dep_ == "det" and c.lower_ == "the" for c in head.children):
        return None
    age = _YEAR_OLD.fullmatch(_text(np))
    if age:
        return _Description(age=int(age.group(1)))
    if len(np) != 2:
        return None
    word = head.lower_
    for suffix, gender in (("woman", "f"), ("man", "m")):
        if word.endswith(suffix) and word[: -len(suffix)] in _DEMONYM_MEN:
            return _Description(gender=gender)
    if head.ent_type_ == "NORP" and head.text[:1].isupper():  # "the German"
        return _Description()
    return None


def _resolve_description(
    ctx: _Context, description: _Description, pos: int, sentence: int
) -> _Speaker | None:
    """A person with that age if one was given, else the nearest compatible person."""
    people = [
        ctx.people[name]
        for p, name, label, _, _ in ctx.mentions
        if p < pos and label == "PERSON" and name in ctx.people
    ]
    aged = [p for p in people if description.age is not None and p.age == description.age]
    if aged:
        return _Speaker(aged[-1].name, aged[-1].role, "PERSON")

    def fits(name: str) -> bool:
        person = ctx.people.get(name)
        return person is None or description.age is None or person.age is None

    found = _nearest(ctx, pos, sentence, {"PERSON"}, description.gender, fits, window=2)
    if found is None:
        return None
    person = ctx.people.get(found[0])
    return _Speaker(found[0], person.role if person else None, "PERSON")


_GENERIC_ORGS = frozenset(
    [
        "company",
        "firm",
        "group",
        "organisation",
        "organization",
        "airline",
        "club",
        "bank",
        "manufacturer",
        "developer",
        "charity",
        "agency",
        "regulator",
        "supplier",
        "retailer",
        "carrier",
        "operator",
        "insurer",
        "union",
        "business",
        "broadcaster",
        "publisher",
        "platform",
        "startup",
        "lender",
        "utility",
    ]
)


def _plain_definite(head: Token, np: Sequence[Token]) -> bool:
    """ "the company", "the network operator": a description that points back."""
    has_det = any(t.dep_ == "det" and t.lower_ == "the" for t in head.children)
    modifiers = [t for t in np if t.i != head.i and t.dep_ != "det"]
    return (
        head.pos_ == "NOUN"
        and has_det
        and len(modifiers) <= 2
        and all(
            t.dep_ in {"compound", "amod"} and t.pos_ in {"NOUN", "ADJ"} and not t.ent_type_
            for t in modifiers
        )
    )


_COMMERCIAL = frozenset(
    [
        "company",
        "firm",
        "business",
        "retailer",
        "manufacturer",
        "lender",
        "insurer",
        "carrier",
        "airline",
        "startup",
        "supplier",
        "developer",
        "publisher",
        "broadcaster",
        "operator",
        "platform",
        "utility",
    ]
)
_PUBLIC_BODIES = frozenset(
    [
        "authority",
        "ministry",
        "department",
        "council",
        "office",
        "agency",
        "commission",
        "court",
        "police",
        "government",
        "parliament",
        "committee",
        "regulator",
        "constabulary",
        "tribunal",
        "assembly",
        "senate",
        "congress",
        "bureau",
        "administration",
        "institute",
        "service",
    ]
)


# an outlet the article has quoted: "the newspaper reported"
_MEDIA = frozenset(
    ["publication", "newspaper", "magazine", "tabloid", "outlet", "website", "newswire"]
)


def _a_body(ctx: _Context, name: str, label: str) -> bool:
    """An organisation, or a name the tagger took for a person's that the article never
    treats as one (no role, no he or she): "Chosun Ilbo said"."""
    if label == "ORG":
        return True
    person = ctx.people.get(name)
    return label == "PERSON" and (person is None or (person.role is None and person.gender is None))


# words for an outlet only with a nationality: "the French paper", "the German broadcaster"
_NATIONAL_MEDIA = frozenset(["paper", "daily", "broadcaster", "network", "channel", "agency"])


def _an_outlet(head: Token, np: Sequence[Token]) -> bool:
    """ "the publication", "the French paper": an outlet the article has quoted."""
    if len(np) != (2 if head.lower_ in _MEDIA else 3) or np[0].lower_ != "the":
        return False
    return head.lower_ in _MEDIA or (
        head.lower_ in _NATIONAL_MEDIA and np[1].ent_type_ == "NORP" and np[1].i == head.i - 1
    )


# more words for a business than a list can hold: "the chipmaker", "the tech giant"
_BUSINESS_WORDS = frozenset(["giant", "conglomerate", "multinational", "chain", "brand", "studio"])


def _a_business(noun: str) -> bool:
    return noun in _COMMERCIAL or noun in _BUSINESS_WORDS or noun.endswith("maker")


def _based_business(head: Token, np: Sequence[Token]) -> bool:
    """ "the Singapore-based firm", "the San Diego-based chipmaker"."""
    return (
        head.pos_ == "NOUN"
        and (head.lower_ in _GENERIC_ORGS or _a_business(head.lower_))
        and np[0].lower_ == "the"
        and all(t.i <= head.i for t in np)
        and any(t.lower_ == "based" for t in np)
    )


def _could_be(noun: str, name: str) -> bool:
    """ "the company" is not the Telecoms Standards Authority, nor "European regulators"."""
    words = name.split()
    if not _a_business(noun):
        return True
    return bool(words) and words[-1][:1].isupper() and words[-1].lower() not in _PUBLIC_BODIES


def _titled(ctx: _Context, noun: str, pos: int) -> str | None:
    """The person last named before ``pos`` whose role or a title holds ``noun``."""
    for p, name, label, _, _ in reversed(ctx.mentions):
        if p >= pos or label != "PERSON":
            continue
        person = ctx.people.get(name)
        if person and any(noun in t.lower() for t in [person.role or "", *person.titles]):
            return name
    return None


def _described(ctx: _Context, head: Token) -> _Speaker | None:
    """ "Costa Rica's president said", "The Brazilian driver said", "The father, from
    Leeds, said": a person described where the article has named them already."""
    if not (head.pos_ == "NOUN" and not head.ent_type_):
        return None
    owner = any(c.dep_ == "poss" and c.pos_ == "PROPN" for c in head.children)
    definite = any(c.dep_ == "det" and c.lower_ == "the" for c in head.children)
    name = None
    if (owner or definite) and head.lower_ in _TITLE_WORDS:
        name = _titled(ctx, head.lower_, head.idx)
    name = name or _epithet_of(ctx, head)
    if name is None:
        return None
    person = ctx.people.get(name)
    return _Speaker(name, person.role if person else None, "PERSON")


def _resolve_nominal(ctx: _Context, head: Token, pos: int, any_org: bool) -> str | None:
    noun = head.lower_
    if noun in _TITLE_WORDS or noun in _PERSON_NOUNS:
        return _titled(ctx, noun, pos) or _epithet_of(ctx, head)
    for p, name, _, _, _ in reversed(ctx.mentions):
        if p < pos and noun in name.lower().split():
            return name
    if (noun in _GENERIC_ORGS or _a_business(noun)) and any_org:
        bodies = [
            n
            for p, n, label, _ in ctx.speakers
            if p < pos and label == "ORG" and _could_be(noun, n)
        ]
        if bodies:
            latest = bodies[-1]
            # "Shares of the company fell, CNBC noted. The company said": not the outlet
            # that reported on the company, but the company it reported on
            said = [c.lower() for _, n, _, c in ctx.speakers if n == latest]
            reported = (
                n
                for n in reversed(bodies)
                if n != latest and any(n.lower() in c or re.search(rf"\b{noun}\b", c) for c in said)
            )
            return next(reported, latest)
        sentence = _sentence_lookup(ctx)(pos)
        found = _nearest(ctx, pos, sentence, {"ORG"}, None, lambda name: _could_be(noun, name))
        if found is not None:
            return found[0]
    return None


@dataclass(frozen=True)
class _Speaker:
    name: str
    role: str | None
    label: str


def _a_pronoun(head: Token) -> bool:
    return head.pos_ == "PRON" or (
        head.lower_ in _PRONOUNS and head.pos_ != "PROPN" and not head.is_upper
    )


# "one of the passengers", "some of its competitors": part of a group speaks
_PARTITIVES = frozenset(
    [
        *("one", "two", "three", "four", "five", "some", "many", "several", "most", "all"),
        *("none", "each", "both", "few", "half", "dozens", "hundreds", "thousands"),
    ]
)
_TIME_UNITS = frozenset(["second", "minute", "hour", "day", "week", "month", "year", "decade"])


def speaker_of(
    ctx: _Context, head: Token, sentence: int, depth: int = 0, before: int = sys.maxsize
) -> _Speaker | None:
    """Name and role of the speaker whose noun phrase is headed by ``head``; a pronoun
    points back to a mention ahead of ``before`` (where what it said begins)."""
    if depth > 3:
        return None
    head = _past_dateline(head)
    if head is None:
        return None
    head = _before_post_nominal(head)
    owner = next((c for c in head.children if c.dep_ == "poss"), None)
    if head.lower_ == "voice" and owner is not None:
        found = speaker_of(ctx, owner, sentence, depth + 1, before)  # "the pilot's voice"
        if found is None:
            return None
        return _Speaker(re.sub(r"\s*['’]s$", "", found.name), found.role, found.label)
    if head.ent_type_ in {"DATE", "TIME"} and head.lower_.rstrip("s") in _TIME_UNITS:
        return None  # "waited at least a month to disclose": a stretch of time says nothing
    lower = head.lower_
    if lower in _PARTITIVES and any(c.dep_ == "prep" and c.lower_ == "of" for c in head.children):
        return _Speaker(_text(_subtree_span(head)), None, "NOM")  # "one of the people"
    if _a_pronoun(head):
        resolved = _resolve_pronoun(ctx, lower, min(head.idx, before), sentence)
        if resolved is None:
            return None
        name, label = resolved
        person = ctx.people.get(name)
        return _Speaker(name, person.role if person else None, label)
    if head.pos_ in {"VERB", "AUX"}:
        return None  # a misparse: no speaker is a verb
    np = _np_tokens(head)
    description = _description(head, np)
    if description is not None:
        return _resolve_description(ctx, description, head.idx, sentence)
    if _an_outlet(head, np):
        # "'…,' Page Six wrote. The publication reported …": the body last quoted
        outlet = next(
            (n for p, n, lab, _ in reversed(ctx.speakers) if p < head.idx and _a_body(ctx, n, lab)),
            None,
        )
        if outlet is not None:
            return _Speaker(outlet, None, "ORG")
    if lower in _DOCUMENT_NOUNS:
        return (
            _document_author(ctx, head, sentence, depth)
            or _document_issuer(ctx, head, np)
            or _document_itself(head, np)
        )
    if head.pos_ == "NOUN" or _person_apposed(head):
        named = _appositive_name(ctx, head, np)
        if named is not None:
            return named
    if head.pos_ == "PROPN":
        # the tagger's entity label is unreliable on unfamiliar names; a name seen
        # before as a person, or introduced by a title or honorific, or described by a
        # person's title ("Nwosu, an A&E consultant"), is a person
        start = _name_start(head)
        name = _canonical(ctx, _clean_name(_text(_name_tokens(head, start, np))))
        titled = _title_role(head, start)
        appos = _appos_role(head)
        honorific = start > 0 and head.doc[start - 1].lower_ in _HONORIFIC_WORDS
        particled = any(t.text in _NAME_PARTICLES for t in head.doc[start : head.i])
        if (
            name in ctx.people
            or honorific
            or (particled and any(t.ent_type_ == "PERSON" for t in head.doc[start : head.i]))
            or any(role and _is_title(role) for role in (titled, appos))
        ):
            known = ctx.people.get(name)
            if known is None:
                known = ctx.people[name] = _Person(name=name, role=titled)
                if len(name.split()) > 1:
                    ctx.surnames.setdefault(name.split()[-1], name)
            if honorific and known.gender is None:
                known.gender = _HONORIFICS.get(head.doc[start - 1].lower_)
            return _Speaker(name, appos or titled or known.role, "PERSON")
    person = _entity(np, {"PERSON"})
    if person is not None and person.root.dep_ == "compound" and person.root.head.i == head.i:
        described = _described(ctx, head)  # "the Williams driver": not Williams
        if described is not None:
            return described
        if head.pos_ == "NOUN" and not head.ent_type_:
            # "the Trump administration", "a Biden spokesman": the body or its voice
            person_word = head.lower_ in _TITLE_WORDS or head.lower_ in _PERSON_NOUNS
            return _Speaker(_strip_det(_text(np)), None, "NOM_PERSON" if person_word else "ORG")
    if person is not None and (
        person.root.i == head.i or head.ent_type_ == "PERSON" or head.pos_ != "PROPN"
    ):
        # "a spokesman for Smith", "the office of Smith": the person is not the speaker
        if (
            head.ent_type_ != "PERSON"
            and head.pos_ == "NOUN"
            and any(t.lower_ in {"for", "of", "from"} and t.i < person.start for t in np)
        ):
            return _Speaker(_strip_det(_text(np)), None, "ORG")
        name, inner_title = _split_title(_clean_name(person.text))
        name = _canonical(ctx, name)
        if name in ctx.organisations:
            return _Speaker(name, None, "ORG")
        if name:
            known = ctx.people.get(name)
            role = (
                _appos_role(head)
                or _title_role(head, person.start)
                or inner_title
                or (known.role if known else None)
            )
            return _Speaker(name, role, "PERSON")
    org = _entity(np, {"ORG", "GPE", "NORP"})
    if _plain_definite(head, np) or _based_business(head, np):
        # "the aviation regulator" may be new; only a bare "the regulator" points back, or
        # a business said to be based somewhere ("The Singapore-based firm said")
        any_org = len(np) == 2 or _based_business(head, np)
        resolved_name = _resolve_nominal(ctx, head, head.idx, any_org=any_org)
        if resolved_name is not None:
            known = ctx.people.get(resolved_name)
            label = "PERSON" if known else "ORG"
            return _Speaker(resolved_name, known.role if known else None, label)
    if org is not None and org.root.i == head.i:
        return _Speaker(_clean_name(org.text), _appos_role(head), "ORG")
    described = _described(ctx, head)
    if described is not None:
        return described
    text = _strip_det(_text(np))
    if not text or text.lower() in _PRONOUNS or (head.is_stop and not _multiword_name(np)):
        return None  # "Page Six" is a name, though "six" alone is a stop word
    if text[0].islower() and not any(t.dep_ == "det" for t in np):
        text = text  # "officials", "police": keep as written
    if org is not None or head.pos_ == "PROPN":
        label = "ORG"  # a name not known as a person's: "Linkwave said"
    elif lower in _TITLE_WORDS or lower in _PERSON_NOUNS:
        label = "NOM_PERSON"  # "the mayor", "a witness": he or she later
    else:
        label = "NOM"  # "officials", "police": they later
    return _Speaker(text, _appos_role(head), label)


def _multiword_name(np: Sequence[Token]) -> bool:
    names = [t for t in np if t.pos_ == "PROPN" and t.text[:1].isupper()]
    return len(names) > 1


# a body of people in the singular: "the family said", "the panel found"
_COLLECTIVES = frozenset(
    [
        *("family", "crew", "staff", "panel", "jury", "public", "couple", "delegation"),
        *("coalition", "alliance", "opposition", "spokesperson", "management", "leadership"),
        *("majority", "minority", "parliament", "congress", "senate", "assembly", "cabinet"),
        *("court", "tribunal", "inquiry", "inquest", "industry", "sector", "market", "press"),
    ]
)


_AGENTIVE = ("er", "or", "ist", "ant", "ent", "man", "woman")
_EVIDENCE_CUES = frozenset(["show", "find", "reveal", "indicate", "suggest", "confirm"])


def _a_thing(head: Token) -> bool:
    """A singular common noun that names no person, body or document ("scheme", "plan",
    "email"): not a speaker. Plurals ("officials", "analysts") and organisations are."""
    lower = head.lower_
    return (
        head.pos_ == "NOUN"
        and not lower.endswith(_AGENTIVE)  # "visitor", "commenter", "provider": who does it
        and head.tag_ == "NN"
        and not head.ent_type_
        and lower not in _ORG_NOUNS | _GENERIC_ORGS | _PUBLIC_BODIES | _COLLECTIVES
        and lower not in _DOCUMENT_NOUNS | _SELF_SPEAKING_DOCUMENTS
        and lower not in _TITLE_WORDS | _PERSON_NOUNS
    )


def _past_dateline(head: Token) -> Token | None:
    """ "AUSTIN, Texas -- Brightpath Logistics ... announced": the parser made the
    dateline the subject; the company conjoined after it is the speaker."""
    dateline = _dateline_end(head.doc)
    if head.idx >= dateline:
        return head
    return next(
        (c for c in head.children if c.dep_ in {"conj", "appos"} and c.idx >= dateline), None
    )


# ---------------------------------------------------------------- cues


_TITLE_WORDS = frozenset(
    [
        "president",
        "minister",
        "secretary",
        "chancellor",
        "king",
        "queen",
        "prince",
        "premier",
        "governor",
        "mayor",
        "senator",
        "general",
        "gen.",
        "colonel",
        "col.",
        "lieutenant",
        "captain",
        "major",
        "admiral",
        "commander",
        "chief",
        "director",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "ambassador",
        "judge",
        "justice",
        "professor",
        "prof.",
        "dr",
        "dr.",
        "doctor",
        "analyst",
        "expert",
        "economist",
        "chairman",
        "chairwoman",
        "chair",
        "ceo",
        "executive",
        "officer",
        "leader",
        "head",
        "founder",
        "adviser",
        "advisor",
        "lawyer",
        "attorney",
        "representative",
        "rep.",
        "sen.",
        "gov.",
        "pope",
        "bishop",
        "coach",
        "manager",
        "captain",
        "inspector",
        "detective",
        "sergeant",
        "commissioner",
        "official",
        "researcher",
        "author",
        "scientist",
        "barrister",
        "solicitor",
        "prosecutor",
        "counsel",
        "magistrate",
        "coroner",
        "sheriff",
        "constable",
        "superintendent",
        "councillor",
        "councilman",
        "councilwoman",
        "lawmaker",
        "legislator",
        "congressman",
        "congresswoman",
        "striker",
        "midfielder",
        "defender",
        "goalkeeper",
        "winger",
        "boss",
        "chef",
        "pundit",
        "editor",
        "correspondent",
        "reviewer",
        "consultant",
        "surgeon",
        "meteorologist",
        "forecaster",
        "taoiseach",
        "tánaiste",
    ]
)


# abbreviated titles the parser may split from the name ("Sgt. Lisa Moreno")
_TITLE_ABBREVIATIONS = frozenset(
    [
        "sgt",
        "cpl",
        "pte",
        "lt",
        "capt",
        "col",
        "maj",
        "gen",
        "adm",
        "cmdr",
        "det",
        "insp",
        "supt",
        "rep",
        "sen",
        "gov",
        "dr",
        "prof",
        "rev",
        "fr",
        "hon",
        "mr",
        "mrs",
        "ms",
        "st",
    ]
)
# letters after a name that the parser may take as its head ("Alan Marsh KC")
_POST_NOMINALS = frozenset(
    [
        "kc",
        "qc",
        "sc",
        "mp",
        "msp",
        "mep",
        "jr",
        "sr",
        "ii",
        "iii",
        "iv",
        "obe",
        "cbe",
        "mbe",
        "dbe",
        "kbe",
        "phd",
        "md",
        "esq",
        "td",
    ]
)


def _before_post_nominal(head: Token) -> Token:
    if head.lower_.rstrip(".") not in _POST_NOMINALS or _person_apposed(head):
        return head  # "Nationals MP for Yarrang, Tim O'Halloran": a title, not letters
    names = [c for c in head.children if c.dep_ == "compound" and c.pos_ == "PROPN"]
    return names[-1] if names else head


def _is_title(role: str) -> bool:
    return any(
        w.lower().strip(",") in _TITLE_WORDS or w.lower() in _PERSON_NOUNS for w in role.split()
    )


# lower-case words inside a name: "Ursula von der Leyen", "Paulino do Rego Barros"
_NAME_PARTICLES = frozenset(
    [
        *("de", "da", "do", "dos", "das", "di", "del", "della", "van", "von", "der", "den"),
        *("du", "le", "la", "bin", "ibn", "al", "ter", "zu"),
    ]
)


def _name_word(token: Token) -> bool:
    """A capitalised word the parser made part of a name, whatever tag it gave it."""
    return token.text[:1].isupper() and (
        token.pos_ == "PROPN" or token.dep_ in {"compound", "nmod"}
    )


def _name_start(head: Token) -> int:
    """Index of the first word of the proper name ending at ``head``."""
    start = head.i
    doc = head.doc
    dateline = _dateline_end(doc)
    while start > 0:
        prev = doc[start - 1]
        if prev.idx < dateline <= head.idx:
            break
        particles = 0
        while start - particles > 1 and doc[start - particles - 1].text in _NAME_PARTICLES:
            particles += 1
        if start >= 2 and _hyphen_tail(doc[start - 2]):  # "Adeyemi-[Clarke]"
            start -= 1
        elif particles and _name_word(doc[start - particles - 1]):
            start -= particles + 1  # "Ursula von der [Leyen]", "Lula da [Silva]"
        elif prev.pos_ == "PROPN" and prev.dep_ in {"compound", "nmod"} and prev.head.i >= start:
            if (
                prev.lower_.strip(".") in _TITLE_WORDS
                or prev.lower_ in _HONORIFIC_WORDS
                or prev.lower_ in _PERSON_NOUNS
            ):
                break
            start -= 1
        else:
            break
    return int(start)


def _name_tokens(head: Token, start: int, np: Sequence[Token]) -> list[Token]:
    """The name from ``start`` to ``head`` and any remainder the parser split off after it
    ("Okafor-Reyes"), not a phrase that follows ("Jonathan Blake [of the Temple]")."""
    tokens = []
    for t in np:
        if t.i > head.i and t.pos_ != "PROPN" and t.text != "-":
            break
        if t.i >= start:
            tokens.append(t)
    return tokens


def _role_text(tokens: Sequence[Token]) -> str | None:
    tokens = _past_open_quote(tokens)
    while tokens and (
        tokens[0].dep_ == "det" or tokens[0].is_punct or tokens[0].lower_ in _POSSESSIVE_PRONOUNS
    ):
        tokens = tokens[1:]
    text = _text(tokens)
    return text or None


_POSSESSIVE_PRONOUNS = frozenset(["its", "their", "his", "her", "our", "my", "your"])


def _appositive_name(ctx: _Context, head: Token, np: Sequence[Token]) -> _Speaker | None:
    """ "Its chief executive, Daniel Okafor," / "the regulator Ofpower": the name speaks."""
    for child in head.children:
        if (
            child.dep_ == "conj"
            and child.ent_type_ == "PERSON"
            and lower_in(head, _TITLE_WORDS)
            and all(t.pos_ in {"NOUN", "ADJ", "PROPN", "CCONJ"} for t in child.subtree)
            and any(t.lower_ in _TITLE_WORDS and t.ent_type_ != "PERSON" for t in child.subtree)
        ):
            # "said company chairman and chief executive Richard Smith": two titles, one man
            start = min(t.i for t in child.subtree if t.ent_type_ == "PERSON")
            name = _canonical(ctx, _clean_name(head.doc[start : child.i + 1].text))
            role = _role_text([t for t in np if t.i < start])
            ctx.people.setdefault(name, _Person(name=name, role=role))
            return _Speaker(name, role, "PERSON")
        if child.dep_ in _APPOSED | {"compound"} and child.i > head.i and child.pos_ == "PROPN":
            name_tokens = [t for t in child.subtree if t.pos_ == "PROPN" or t.ent_type_]
            name_tokens = [t for t in name_tokens if t.dep_ not in {"appos"} or t is child]
            if not name_tokens:
                continue
            start = min(t.i for t in name_tokens)
            name = _clean_name(str(head.doc[start : child.i + 1].text))
            role = _role_text(
                [t for t in np if t.i < child.i and t.i not in {x.i for x in child.subtree}]
            )
            is_person = (
                child.ent_type_ == "PERSON"
                or _canonical(ctx, name) in ctx.people
                or (
                    lower_in(head, _TITLE_WORDS | _PERSON_NOUNS)
                    and child.ent_type_ not in {"ORG", "GPE", "NORP"}
                )
            )
            if is_person:
                name = _canonical(ctx, name)
                if name not in ctx.people:
                    ctx.people[name] = _Person(name=name, role=role)
                    if len(name.split()) > 1:
                        ctx.surnames.setdefault(name.split()[-1], name)
                if role:
                    ctx.people[name].titles.append(role)
                return _Speaker(name, role, "PERSON")
            return _Speaker(name, None, "ORG")
    return None


def _person_apposed(head: Token) -> bool:
    """ "The Tánaiste, Declan Furlong," / "Nationals MP for Yarrang, Tim O'Halloran,": a
    title the tagger took for a name, with a person's name in apposition."""
    if head.pos_ != "PROPN" or head.ent_type_ == "PERSON":
        return False
    titled = lower_in(head, _TITLE_WORDS) or head.lower_.rstrip(".") in _POST_NOMINALS
    return any(
        c.dep_ in _APPOSED
        and c.i > head.i
        and c.pos_ == "PROPN"
        and (c.ent_type_ == "PERSON" or titled)
        for c in head.children
    )


def lower_in(token: Token, words: frozenset[str]) -> bool:
    return bool(token.lower_ in words)


_SELF_SPEAKING_DOCUMENTS = frozenset(
    [
        "study",
        "report",
        "survey",
        "analysis",
        "poll",
        "assessment",
        "paper",
        "investigation",
        "inquiry",
        "review",
        "audit",
        "figures",
        "data",
        "statistics",
        "estimates",
        "census",
    ]
)


def _document_itself(head: Token, np: Sequence[Token]) -> _Speaker | None:
    """An unattributed study or report may speak for itself; a bare statement may not."""
    if head.lower_ in _SELF_SPEAKING_DOCUMENTS:
        return _Speaker(_strip_det(_text(np)), None, "DOC")  # "it" later, never "the company"
    return None


def _document_issuer(ctx: _Context, head: Token, np: Sequence[Token]) -> _Speaker | None:
    """ "the statement said", "the news release stated": whoever was last reported as
    speaking in such a document."""
    modifiers = [t for t in np[1:] if t.i != head.i]
    if np[0].lower_ != "the" or any(
        t.dep_ not in {"compound", "amod"} or t.ent_type_ or t.pos_ == "PROPN" for t in modifiers
    ):
        return None
    sent_of = _sentence_lookup(ctx)
    here = sent_of(head.idx)
    word = _document_words(head.lower_)
    for pos, name, label, _ in reversed(ctx.speakers):
        s = sent_of(pos)
        if pos < head.idx and here - s <= 3 and word.search(ctx.sentences[s].text):
            person = ctx.people.get(name)
            return _Speaker(name, person.role if person else None, label)
    return None


def _document_words(noun: str) -> re.Pattern[str]:
    """ "statement", "stated" or "stating", "announcement" or "announced": where a document
    was issued."""
    words = [noun]
    if noun.endswith("ment") and CUE_FORMS.get(noun[: -len("ment")]):
        verb = noun[: -len("ment")]
        words += [
            f for f, lemma in CUE_FORMS.items() if lemma == verb and f.endswith(("ed", "ing"))
        ]
    return re.compile(rf"\b(?:{'|'.join(map(re.escape, words))})\b", re.IGNORECASE)


def _document_author(ctx: _Context, head: Token, sentence: int, depth: int) -> _Speaker | None:
    """The author of "a statement from X", "X's report", "a Reuters report"."""
    for child in head.children:
        if child.dep_ == "poss":
            return speaker_of(ctx, child, sentence, depth + 1)
    for child in head.children:
        if child.dep_ == "prep" and child.lower_ in {"from", "by", "of"}:
            for obj in child.children:
                if obj.dep_ == "pobj":
                    return speaker_of(ctx, obj, sentence, depth + 1)
    for child in head.children:  # "a summary published by the Council"
        if child.dep_ == "acl":
            for agent in child.children:
                if agent.dep_ == "agent":
                    for obj in agent.children:
                        if obj.dep_ == "pobj":
                            return speaker_of(ctx, obj, sentence, depth + 1)
    for child in head.children:
        if child.dep_ in {"compound", "amod"} and child.ent_type_ in {
            "ORG",
            "GPE",
            "NORP",
            "PERSON",
        }:
            return speaker_of(ctx, child, sentence, depth + 1)
    return None


def _subject(verb: Token) -> Token | None:
    subjects = [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}]
    # "said Sgt. Lisa Moreno" can come back as two subjects, the title and the name
    named = [c for c in subjects if c.lower_.rstrip(".") not in _TITLE_ABBREVIATIONS]
    if named or subjects:
        subject = _main_subject(named or subjects)
        if subject.lower_ in {"who", "which"} and verb.dep_ == "relcl":
            return verb.head  # "Omar Haddad, who estimated that ..."
        return subject
    if (relative := _reduced_relative(verb)) is not None:
        return next(c for c in relative.children if c.dep_ == "nsubj")
    if verb.dep_ == "conj" and _is_cue_clause(verb.head):
        # "said the chef was "rewriting history" and claimed ...": the parser hung the
        # second cue inside the first one's clause; both belong to the first speaker
        return _subject(verb.head.head)
    if verb.dep_ == "xcomp" and verb.head.lower_ not in CUE_FORMS:
        # "That prompted the ambassador to say ...": the one prompted says it
        objects = [c for c in verb.head.children if c.dep_ == "dobj" and c.i < verb.i]
        if objects and objects[0].pos_ in {"NOUN", "PROPN"}:
            return objects[0]
    if verb.dep_ == "conj" and (nearer := _nearer_conjunct(verb)) is not None:
        return nearer
    if verb.dep_ in {"conj", "xcomp"} and verb.head is not verb:
        return _subject(verb.head)
    if (
        verb.dep_ == "acl"
        and verb.head.dep_ == "ROOT"
        and verb.head.pos_ in {"NOUN", "PROPN"}
        and any(c.dep_ == "ccomp" for c in verb.children)
        and not any(t.pos_ in {"VERB", "AUX"} for t in verb.sent if t.i < verb.head.i)
    ):
        return verb.head  # "Its analysts estimated that ...", parsed as a noun phrase
    if verb.dep_ == "acl" and _next_punct(verb) == ":":
        return verb.head  # "His wife, Kezia Lund, posted on Instagram: "...""
    if verb.dep_ == "advcl" and verb.lower_.endswith("ing"):  # "..., saying that ..."
        root = verb.sent.root
        if _comma_participle(verb) and root.i < verb.i:
            # "X rejected claims that ..., stating, ...": the parser may hang the
            # participle inside the clause; after a comma it speaks for the sentence's subject
            found = _subject(root) if root.pos_ in {"VERB", "AUX"} else None
            if found is not None:
                return found
        return _subject(verb.head)
    if verb.dep_ == "pcomp" and verb.head.lower_ == "as":
        return _quoted_as(verb.head.head)
    return None


def _nearer_conjunct(verb: Token) -> Token | None:
    """ "it felt as if ... before the captain came back and said: ...": the parser joined
    "said" to the main verb, but it goes with the verb just before "and", whose subject
    is named."""
    cc = verb.doc[verb.i - 1] if verb.i > 0 else None
    if cc is None or cc.dep_ != "cc" or cc.head.i == verb.head.i:
        return None
    other = cc.head
    while other.pos_ not in {"VERB", "AUX"} and other.head.i != other.i:
        other = other.head
    if not (verb.head.i < other.i < verb.i):
        return None
    subjects = [c for c in other.children if c.dep_ in {"nsubj", "nsubjpass"}]
    if subjects and subjects[0].pos_ in {"NOUN", "PROPN"}:
        return subjects[0]
    return None


def _main_subject(subjects: Sequence[Token]) -> Token:
    """Of the subjects the parser found, the first that is neither in an adverbial
    ("immediately after the launch said") nor an aside between commas ("In a post on X,
    formerly Twitter, rival founder Dana Whitcombe wrote")."""
    doc = subjects[0].doc

    def after(token: Token, words: Callable[[Token], bool]) -> bool:
        return token.left_edge.i > 0 and words(doc[token.left_edge.i - 1])

    dateline = _dateline_end(doc)
    candidates = [
        c
        for c in subjects
        if c.idx >= dateline and not after(c, lambda t: t.pos_ in {"SCONJ", "ADP"})
    ]
    candidates = candidates or list(subjects)
    subject = candidates[0]
    for later in candidates[1:]:
        between = doc[subject.i + 1 : later.left_edge.i]
        if after(subject, lambda t: t.text == ",") and any(t.text == "," for t in between):
            subject = later
    return subject


def _reduced_relative(cue: Token) -> Token | None:
    """ "Voters interviewed outside polling stations said ...": the parser took the
    participle for a clause the cue reports, and its noun for that clause's subject."""
    clauses = [c for c in cue.children if c.dep_ == "ccomp"]
    if len(clauses) < 2 or any(c.dep_ in {"nsubj", "nsubjpass"} for c in cue.children):
        return None
    first = clauses[0]
    return (
        first
        if first.i < cue.i < clauses[-1].i
        and first.right_edge.i + 1 == cue.i  # no comma: not a quotation before the cue
        and first.tag_ in {"VBN", "VBD"}
        and any(c.dep_ == "nsubj" for c in first.children)
        else None
    )


def _quoted_as(verb: Token) -> Token | None:
    """ "Solberg was quoted by LTV as saying", "LTV quoted Solberg as saying": the one
    quoted, not the one quoting."""
    deps = ("nsubjpass",) if _is_passive(verb) else ("dobj",)
    return next((c for c in verb.children if c.dep_ in deps), None)


def _is_cue_clause(token: Token) -> bool:
    """The reported clause of a cue verb ("said [the chef was ...]")."""
    return bool(token.dep_ == "ccomp" and token.head.lower_ in CUE_FORMS)


def _next_punct(token: Token) -> str | None:
    for t in token.doc[token.i + 1 : token.i + 6]:
        if t.is_punct and t.text not in {"-", "–"}:
            return str(t.text)
    return None


def _is_passive(verb: Token) -> bool:
    """ "The jury was told", "she is accused of": the subject is not the speaker."""
    return any(c.dep_ in {"nsubjpass", "auxpass"} for c in verb.children)


def _agent(verb: Token) -> Token | None:
    """The speaker of a passive cue, if named: "it was announced by the ministry"."""
    for child in verb.children:
        if child.dep_ == "agent":
            return next((c for c in child.children if c.dep_ == "pobj"), None)
    return None


def _inside(pos: int, quotes: Sequence[Quote]) -> Quote | None:
    for q in quotes:
        if q.start <= pos < q.end:
            return q
    return None


def _subtree_span(token: Token, exclude: Iterable[Token] = ()) -> list[Token]:
    """The subtree in text order (a non-projective parse yields it out of order), less
    the subtrees of ``exclude``."""
    skip = {t.i for e in exclude for t in e.subtree}
    return sorted((t for t in token.subtree if t.i not in skip), key=lambda t: t.i)


def _clause_text(tokens: Sequence[Token]) -> str:
    tokens = [t for t in tokens if not t.is_space]
    while (
        tokens
        and (tokens[0].dep_ == "mark" or tokens[0].is_punct)
        and tokens[0].lower_ not in '"“‘'
    ):
        tokens = tokens[1:]
    while tokens and (
        (tokens[-1].is_punct and tokens[-1].text not in {".", "!", "?", '"', "”", "’"})
        or tokens[-1].dep_ == "cc"  # "was fixed by early afternoon but [warned ...]"
    ):
        tokens = tokens[:-1]
    if not tokens:
        return ""
    tokens = _closing_mark_kept(tokens)
    pieces = []
    prev_end = None
    for t in tokens:
        if (prev_end is not None and t.idx > prev_end) or (
            prev_end is not None and t.i > 0 and t.doc[t.i - 1].whitespace_ and t.idx == prev_end
        ):
            pieces.append(" ")
        pieces.append(t.text)
        prev_end = t.idx + len(t.text)
    return "".join(pieces).strip()


def _closing_mark_kept(tokens: list[Token]) -> list[Token]:
    """'saying they had a "tough choice."': the parser hangs the closing mark on the
    cue; a clause that opens a quotation keeps the mark that closes it."""
    doc = tokens[0].doc
    following = [t for t in doc[tokens[-1].i + 1 : tokens[-1].i + 3]]
    for opening, closing, straight in (("“", "”", '"'), ("‘", "’", "'")):
        opened = sum(t.text == opening for t in tokens) - sum(t.text == closing for t in tokens)
        if opened <= 0 and sum(t.text == straight for t in tokens) % 2 == 0:
            continue
        for n, t in enumerate(following):
            if t.text in {closing, straight}:
                return tokens + following[: n + 1]
            if not t.is_punct:
                break
    return tokens


def _tidy(content: str) -> str:
    content = re.sub(r"[,;]\s*([\"”’])\s*\.?$", r"\1", content)
    content = re.sub(r"[,;:]\s*([.!?])$", r"\1", content)  # "..., according to X." leaves ",."
    return re.sub(r"\s+([.,;:!?])$", r"\1", content).strip()


_AGAINST_CUES = frozenset(["caution", "warn", "advise", "argue", "urge"])


def _semicolon_between(clause: Token, cue: Token) -> bool:
    """ "Most countries call it illegal; the administration has described it as ...": a
    clause closed by a semicolon before the cue is no part of what the cue reports."""
    return clause.i < cue.i and any(t.text == ";" for t in cue.doc[clause.right_edge.i + 1 : cue.i])


def _content_of(cue: Token, lemma: str) -> Token | None:
    deps = {"ccomp"}
    if lemma in _XCOMP_CUES:
        deps.add("xcomp")
    if lemma in _OBJECT_CUES:
        deps.update({"dobj", "xcomp", "pcomp"})
    elif lemma in _CLAUSAL_OBJECT_CUES:
        deps.update({"xcomp", "pcomp"})
    relative = _reduced_relative(cue)
    clauses = [
        c
        for c in cue.children
        if c.dep_ in deps and c != relative and not _semicolon_between(c, cue)
    ]
    if clauses:
        # "One thing is certain: Musk says the launch will be ...": of two clauses, the
        # one after the cue is what it reports
        after = [c for c in clauses if c.i > cue.i]
        return after[0] if len(clauses) > 1 and after else clauses[0]
    if lemma in _AGAINST_CUES:
        for child in cue.children:
            if child.dep_ == "prep" and child.lower_ == "against":
                return child  # "cautioned against reading too much into it"
    if lemma in _CLAUSAL_OBJECT_CUES:
        for child in cue.children:
            if child.dep_ == "dobj" and any(t.pos_ in {"VERB", "AUX"} for t in child.subtree):
                return child
    return None


def extract(doc: Doc, sentences: Sequence[Sentence]) -> list[Found]:
    """Every attribution in ``doc`` (a parse of the joined cleaned text)."""
    text = doc.text
    every_quote = find_quotes(text)
    ctx = _Context(doc=doc, text=text, sentences=sentences, quotes=every_quote)
    # a quoted title ("Moon Patrol") is no one's words; it still shields its words from
    # being taken for cues or speakers (ctx.quotes)
    quotes = [q for q in every_quote if not _names_a_work(ctx, q)]
    _register_people(ctx)
    used: set[int] = set()  # quote starts already attributed
    found: list[Found] = []
    sent_of = _sentence_lookup(ctx)
    spans = [doc.char_span(s.start, s.end, alignment_mode="expand") for s in sentences]

    for s_index, span in enumerate(spans):
        if span is None:
            continue
        sentence = sentences[s_index]
        in_sentence = [q for q in quotes if q.start < sentence.end and q.end > sentence.start]
        cues = [
            (tok, lemma)
            for tok in span
            if _inside(tok.idx, quotes) is None and (lemma := _cue_lemma(tok)) is not None
        ]
        cues.sort(key=lambda c: c[1] != "according to")
        clauses = {cue.i: _clause_chars(cue, lemma) for cue, lemma in cues}
        made_here = 0
        for cue, lemma in cues:
            if _not_said(cue, lemma) or _reported_within(cue, lemma, clauses):
                continue
            own = [
                q
                for q in in_sentence
                if not _claimed_elsewhere(q, cue.i, clauses)
                and not _participle_between(cue, q, [c for c, _ in cues])
            ]
            made = _attribute(ctx, cue, lemma, span, sentence, own, quotes, used)
            if made is not None:
                _record(ctx, made, cue.idx, found)
                made_here += 1
        if not made_here and (colon := _colon_quote(ctx, span, sentence, used)) is not None:
            _record(ctx, colon[0], colon[1], found)

    found.extend(_continuations(ctx, quotes, used, found, sent_of))
    found.extend(_embedded_posts(ctx, found))
    found.sort(key=lambda f: (f.attribution.sentence, f.sentences))
    return found


_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
# the signature a social post keeps when a page embeds it: "— Elon Musk (@elonmusk) May 3, 2019"
_POST_SIGNATURE = re.compile(
    rf"\s*[—–]\s*(?P<name>[^\n()@—–]{{2,60}}?)\s*\(@\w{{1,30}}\)\s*(?:{_MONTHS})"
    rf"\s+\d{{1,2}},\s+\d{{4}}\s*$"
)


def _shared_link(body: str) -> bool:
    """ "Milky Way in technicolor https://t.co/x": a headline and a link, not a statement."""
    return bool(re.search(r"https?://\S+$", body)) and not re.search(r"[.!?]\s", body)


def _embedded_posts(ctx: _Context, found: Sequence[Found]) -> list[Found]:
    """A paragraph that ends in a post's signature is that account's words, quoted whole."""
    taken = {s for f in found for s in f.sentences}
    paragraphs: dict[int, list[Sentence]] = {}
    for sentence in ctx.sentences:
        paragraphs.setdefault(sentence.paragraph, []).append(sentence)
    posts = []
    for sentences in paragraphs.values():
        start, end = sentences[0].start, sentences[-1].end
        signature = _POST_SIGNATURE.search(ctx.text, start, end)
        indexes = tuple(s.index for s in sentences)
        if signature is None or taken.intersection(indexes):
            continue
        body = ctx.text[start : signature.start()].strip()
        name = _canonical(ctx, _clean_name(signature.group("name")))
        if len(body.split()) < 3 or not name or _shared_link(body):
            continue
        attribution = Attribution(
            speaker=name,
            speaker_role=ctx.people[name].role if name in ctx.people else None,
            cue="posted",
            content=body,
            kind=AttributionKind.DIRECT,
            sentence=indexes[0],
        )
        label = "PERSON" if name in ctx.people else "ORG"
        posts.append(Found(attribution=attribution, sentences=indexes, label=label))
    return posts


# "according to X", "as per X": the source of the rest of the sentence
_SOURCE_PREPOSITIONS = {"according": "to", "as": "per"}


_MINOR_WORDS = frozenset(
    ["a", "an", "the", "of", "and", "or", "in", "on", "at", "to", "for", "by", "with", "from"]
)


_NAMING = re.compile(
    r"\b(?:known\s+as|dubbed|nicknamed|so-called|termed|referred\s+to\s+as|billed\s+as)\s*[\"“‘']?$",
    re.IGNORECASE,
)


def _names_a_work(ctx: _Context, q: Quote) -> bool:
    """ "classics like "Moon Patrol"", "the "Night Tide" finale": a short title-cased
    quotation that no speech cue or colon introduces is the title of a work."""
    words = q.text.rstrip(",.;").split()
    if not 1 <= len(words) <= 4 or q.text[-1:] in "?!":
        return False
    if _NAMING.search(ctx.text[max(0, q.start - 30) : q.start]):
        return True  # "the discs of light are known as "Einstein discs"": a name for a thing
    if not words[0][:1].isupper() or not all(
        w[:1].isupper() or not w[:1].isalpha() or w.lower() in _MINOR_WORDS for w in words
    ):
        return False
    doc = ctx.doc
    before = ctx.text[max(0, q.start - 60) : q.start].rstrip()
    if before.endswith(":"):
        return False
    span = doc.char_span(q.start, q.end, alignment_mode="expand")
    if span is None:
        return False
    lead = [t for t in doc[max(0, span.start - 3) : span.start] if not t.is_punct]
    if any(t.lower_ in CUE_FORMS for t in lead):
        return False
    opens_sentence = span.start == 0 or doc[span.start].is_sent_start or "\n" in before[-2:]
    if opens_sentence:
        after = doc[span.end : span.end + 4]
        return not any(t.lower_ in CUE_FORMS for t in after)
    return True


def _cue_lemma(tok: Token) -> str | None:
    """The cue's lemma if ``tok`` is a cue: a speech verb, "according to" or "as per"."""
    nxt = tok.nbor() if tok.i + 1 < len(tok.doc) else None
    if nxt is not None and _SOURCE_PREPOSITIONS.get(tok.lower_) == nxt.lower_:
        return "according to"
    lemma = CUE_FORMS.get(tok.lower_)
    if lemma is None or tok.dep_ in {"amod", "compound"}:
        return None
    # "..., writing: "...": the tagger may call a participle after a comma a noun
    participle = tok.dep_ == "advcl" and tok.lower_.endswith("ing")
    return lemma if tok.pos_ in {"VERB", "AUX"} or participle else None


_VENUES = frozenset(["court", "inquest", "tribunal", "hearing", "inquiry", "committee"])


def _is_venue(subject: Token | None) -> bool:
    """ "the court heard", "Northgate Crown Court heard": what was said there; a person who
    "heard" something is not its source."""
    return subject is not None and any(t.lower_ in _VENUES for t in _np_tokens(subject))


def _record(ctx: _Context, made: Found, pos: int, found: list[Found]) -> None:
    """Keep an attribution; its speaker is now the likeliest "he" or "the company"."""
    found.append(made)
    name = made.attribution.speaker
    ctx.speakers.append((pos, name, made.label, made.attribution.content))
    ctx.mentions.append((pos, name, made.label, True, made.attribution.sentence))
    ctx.mentions.sort(key=lambda m: m[0])


def _colon_quote(
    ctx: _Context, span: Any, sentence: Sentence, used: set[int]
) -> tuple[Found, int] | None:
    """ "Castellane was emphatic: "No."", "His verdict is blunt: "..."": a person, or a
    person's words, introduce a quotation with a colon and no cue verb."""
    colon = next((t for t in span if t.text == ":" and _inside(t.idx, ctx.quotes) is None), None)
    if colon is None:
        return None
    after = colon.idx + 1
    quote = next(
        (q for q in ctx.quotes if q.start >= after and not ctx.text[after : q.start].strip()),
        None,
    )
    if quote is None or quote.start in used or quote.words < 2:
        return None
    subjects = [
        c
        for t in span
        if t.i < colon.i and t.pos_ in {"VERB", "AUX"}
        for c in t.children
        if c.dep_ == "nsubj" and c.i < colon.i
    ]
    if not subjects:
        return None
    head = subjects[-1]
    if head.pos_ == "NOUN" and not _describes_person(head):  # "His verdict": the possessor
        head = next((c for c in head.children if c.dep_ == "poss"), None)
    speaker = speaker_of(ctx, head, sentence.index) if head is not None else None
    if speaker is None or speaker.label != "PERSON":
        return None
    used.add(quote.start)
    sent_of = _sentence_lookup(ctx)
    last = sent_of(max(quote.start, quote.end - 2))
    attribution = Attribution(
        speaker=speaker.name,
        speaker_role=speaker.role,
        cue=":",
        content=quote.text,
        kind=AttributionKind.DIRECT,
        sentence=sentence.index,
    )
    found = Found(
        attribution=attribution,
        sentences=tuple(range(sentence.index, last + 1)),
        label=speaker.label,
    )
    return found, colon.idx


def _describes_person(head: Token) -> bool:
    """ "Monroe's longtime collaborator, producer Dex Hollander": a person, not a verdict."""
    return lower_in(head, _TITLE_WORDS | _PERSON_NOUNS) or any(
        c.dep_ == "appos" and c.ent_type_ == "PERSON" for c in head.children
    )


def _attribute(
    ctx: _Context,
    cue: Token,
    lemma: str,
    span: Any,
    sentence: Sentence,
    in_sentence: Sequence[Quote],
    quotes: Sequence[Quote],
    used: set[int],
) -> Found | None:
    sent_of = _sentence_lookup(ctx)
    if lemma == "according to":
        if any(t.dep_ in {"relcl", "acl"} for t in [cue, *cue.ancestors]):
            # "a grant for the works, which is due to start in March according to the
            # decision": the source of the relative clause only, not of the sentence
            return None
        to = ctx.doc[cue.i + 1]
        objs = [c for c in to.children if c.dep_ == "pobj"]
        if not objs:
            return None
        subject = objs[0]
        speaker = speaker_of(ctx, subject, sentence.index)
        cue_text = f"{cue.lower_} {to.lower_}"
    trailing: tuple[Token, list[Token]] | None = None
    inverted = _inverted_report(cue, lemma, span)
    if inverted is not None:
        trailing = inverted
    if lemma != "according to":
        subject = inverted[0] if inverted else _agent(cue) if _is_passive(cue) else _subject(cue)
        if subject is None and not _is_passive(cue):
            trailing = _trailing_report(cue, span)
            subject = trailing[0] if trailing else None
        named = _misparsed_name(ctx, cue, subject)
        if named is not None:
            subject, speaker = named
        else:
            if subject is None or _inside(subject.idx, ctx.quotes) is not None:
                return None
            speaker = speaker_of(ctx, subject, sentence.index)
        cue_text = cue.text
    if speaker is not None and _CREDIT.search(speaker.name):
        # "Twitter / @user Zoo directors", "Mark Ode/AP": a picture credit glued to a caption
        rest = _CREDIT.split(speaker.name)[-1].strip()
        speaker = _Speaker(rest, speaker.role, speaker.label) if rest[:1].isupper() else None
    if speaker is None or (
        speaker.name.strip().lower() in _PRONOUNS and not speaker.name.isupper()  # WHO
    ):
        return None  # a speaker is never a bare pronoun, however the tagger read it
    if speaker.label not in {"PERSON", "NOM_PERSON"} and any(c in speaker.name for c in '"“”'):
        return None  # "the "Moon Patrol" season": a thing named by a quoted title
    if (
        speaker.label == "NOM"
        and (cue.lower_.endswith("ing") or lemma in _EVIDENCE_CUES or lemma == "express")
        and lemma != "according to"
        and _a_thing(subject)
    ):
        # "The scheme involves an email ..., claiming ...", "A CT scan showed ...": a thing
        # claims nothing; what it shows is the outlet's report
        return None

    # direct quotations beside the cue (not containing it), nearest first
    attached = [q for q in in_sentence if q.start not in used and q.words >= 2]
    # "told the BBC:" at the end of a sentence: the quotation follows in the next one
    if (colon := _colon_end(cue)) and not ctx.text[colon : sentence.end].strip():
        nxt = [q for q in quotes if q.start >= sentence.end and q.start not in used]
        if not attached and nxt and sent_of(nxt[0].start) <= sentence.index + 1:
            attached = [nxt[0]]
    content_head = _content_of(cue, lemma) if lemma != "according to" and not inverted else None
    if not attached and content_head is None and trailing is None and lemma in _PARENTHETICAL:
        before = _quote_just_before(ctx, cue, subject, span, quotes, used)
        attached = [before] if before is not None else []
    clause: list[Token] = []
    if content_head is not None:
        clause = _subtree_span(content_head, _conjoined_cues(content_head))
        clause = _stray_subject(cue, lemma, content_head) + clause
    elif trailing is not None:
        clause = trailing[1]
    elif lemma == "according to":
        # the sentence minus "according to X" and the commas around it
        skip = {t.i for t in cue.subtree}
        clause = [t for t in span if t.i not in skip]
    elif lemma == "accuse" and (of := _accused_of(cue)) is not None:
        clause = of
    elif lemma in _CHARACTERISE:
        # "called the figures "a national scandal"": only with a quotation in the predicate
        others = [subject] if subject is not None else []
        others += [c for c in cue.children if c.dep_ in {"conj", "cc"}]  # "and urged ..."
        predicate = [t for t in _subtree_span(cue, others) if t.i > cue.i]
        if any(q.start >= cue.idx for q in in_sentence) or (
            lemma in _AS_CUES and any(t.lower_ == "as" and t.dep_ == "prep" for t in predicate)
        ):
            clause = predicate
    elif (fallback := _fallback_clause(cue, lemma, span)) is not None:
        clause = fallback
    elif (orphan := _orphaned_clause(cue)) is not None:
        clause = orphan
    elif (
        cue.dep_ in {"parataxis", "ccomp"}
        and cue.head.i != cue.i
        and not _is_cue_clause(cue)  # "said he had told her ...": reported, not parenthetical
        and not attached
        and lemma in _PARENTHETICAL
    ):
        # "The talks, he said, were productive."
        skip = {t.i for t in cue.subtree}
        clause = [t for t in span if t.i not in skip]

    clause_chars = (clause[0].idx, clause[-1].idx + len(clause[-1].text)) if clause else None
    direct_quotes = [
        q
        for q in attached
        if clause_chars is None
        or not clause_chars[0] <= q.start < clause_chars[1]
        or _mostly_quote(clause_chars, q)
    ]
    said = (
        (min(q.start for q in direct_quotes), max(q.end for q in direct_quotes))
        if direct_quotes and lemma != "according to"
        else clause_chars
    )
    if subject is not None and said and said[1] <= subject.idx and _a_pronoun(subject):
        # "…, they said": what they said names no one "they" can be
        speaker = speaker_of(ctx, subject, sentence.index, before=said[0])
        if speaker is None:
            return None
    if direct_quotes and lemma != "according to":
        direct_quotes.sort(key=lambda q: q.start)
        for q in direct_quotes:
            used.add(q.start)
        content = " ".join(q.text for q in direct_quotes)
        covered = {sent_of(q.start) for q in direct_quotes} | {
            sent_of(max(q.start, q.end - 2)) for q in direct_quotes
        }
        covered.add(sentence.index)
        lo, hi = min(covered), max(covered)
        kind = AttributionKind.DIRECT
        sentences = tuple(range(lo, hi + 1))
    elif clause:
        content = _tidy(_clause_text(clause))
        if len(content.split()) < 3:
            return None
        quoted = [
            q for q in in_sentence if clause_chars and clause_chars[0] <= q.start < clause_chars[1]
        ]
        if clause_chars and any(q.start in used and _mostly_quote(clause_chars, q) for q in quoted):
            return None  # "“I’ll see the light,” says X" when the quote is already X's
        for q in quoted:
            used.add(q.start)
        kind = AttributionKind.MIXED if quoted else AttributionKind.INDIRECT
        sentences = (sentence.index,)
    else:
        return None
    if lemma == "hear" and not _is_venue(subject):
        return None
    if lemma in _WEAK_CUES and kind is not AttributionKind.DIRECT and speaker.label == "NOM":
        return None
    if lemma == "think" and kind is not AttributionKind.DIRECT:
        return None  # "she thought the lights had done it": a thought the outlet narrates
    try:
        attribution = Attribution(
            speaker=speaker.name,
            speaker_role=speaker.role,
            cue=cue_text,
            content=content,
            kind=kind,
            sentence=sentence.index,
        )
    except ValueError:
        return None
    return Found(attribution=attribution, sentences=sentences, label=speaker.label)


_PARENTHETICAL = frozenset(
    ["say", "add", "tell", "claim", "insist", "warn", "note", "explain", "stress", "argue"]
)
# cues that characterise through "as", quoted or not: "described him as very experienced"
_AS_CUES = ("describe", "identify", "characterise", "characterize", "portray")
_CHARACTERISE = frozenset(
    ["call", "hail", "describe", "brand", "dub", "label", "accuse", "slam", "blast", *_AS_CUES]
)


def _trailing_report(cue: Token, span: Any) -> tuple[Token, list[Token]] | None:
    """ "The restaurant will reopen next month, a source close to the business revealed."
    when the parser missed the shape: the speaker between the last comma and the cue,
    the content before that comma, nothing but adverbials after the cue."""
    tokens = [t for t in span if not t.is_space]
    after = [t for t in tokens if t.i > cue.i]
    if any(t.pos_ in {"VERB", "AUX"} or t.is_quote for t in after):
        return None
    # the last comma with words after it: "..., the inquiry's chair, Helen Marchetti, told"
    commas = [
        t
        for t in tokens
        if t.text == "," and t.i < cue.i and any(not u.is_punct for u in t.doc[t.i + 1 : cue.i])
    ]
    if not commas:
        return None
    comma = commas[-1]
    between = [t for t in tokens if comma.i < t.i < cue.i and not t.is_punct]
    content = [t for t in tokens if t.i < comma.i]
    heads = [t for t in between if t.pos_ in {"NOUN", "PROPN"} and not comma.i < t.head.i < cue.i]
    if len(heads) != 1 or any(t.pos_ in {"VERB", "AUX"} for t in between):
        return None
    if len(content) < 4 or not any(t.pos_ in {"VERB", "AUX"} for t in content):
        return None
    return heads[0], content


def _misparsed_name(
    ctx: _Context, cue: Token, subject: Token | None
) -> tuple[Token, _Speaker] | None:
    """Names the parser took for other words: a known surname right before a cue with no
    subject ("Nicely said", tagged an adverb), or a person's name opening the sentence
    before the description it found as the subject ("Brittany Nicely, a zoo visitor who
    ..., described ...")."""
    doc = cue.doc
    if subject is None and cue.i > 0:
        prev = doc[cue.i - 1]
        name = ctx.surnames.get(prev.text) or (prev.text if prev.text in ctx.people else None)
        if name is not None and prev.pos_ not in {"PROPN", "NOUN", "PRON"}:
            return prev, _Speaker(
                name, ctx.people[name].role if name in ctx.people else None, "PERSON"
            )
    if subject is None or subject.pos_ != "NOUN":
        return None
    start = subject.left_edge.i
    if start < 2 or doc[start - 1].text != ",":
        return None
    ent = next((e for e in doc.ents if e.end == start - 1 and e.label_ == "PERSON"), None)
    if ent is None or ent.start != ent.sent.start or ent.root.dep_ in {"nsubj", "appos"}:
        return None
    name = _canonical(ctx, _clean_name(ent.text))
    if name not in ctx.people:
        return None
    role = _role_text([t for t in _np_core(subject) if t.i <= subject.i])
    return ent.root, _Speaker(name, role or ctx.people[name].role, "PERSON")


_INVERTING_CUES = frozenset(["say", "report", "add", "write", "note", "explain", "state"])


def _inverted_report(cue: Token, lemma: str, span: Any) -> tuple[Token, list[Token]] | None:
    """ "Authorities obtained a list ..., reported The Associated Press.": a cue after a
    comma with its speaker after it, at the sentence's end, which the parser took for
    the cue's object; the content is everything before the comma."""
    tokens = [t for t in span if not t.is_space]
    words = [t for t in tokens if not t.is_punct]
    if (
        lemma not in _INVERTING_CUES
        or cue.i == 0
        or cue.doc[cue.i - 1].text != ","
        or cue.dep_ not in {"conj", "ROOT"}
        or not words
    ):
        return None
    after = [c for c in cue.children if c.i > cue.i and c.dep_ in {"dobj", "nsubj", "attr"}]
    if len(after) != 1 or after[0].right_edge.i != words[-1].i:
        return None
    speaker = after[0]
    if not (speaker.pos_ == "PROPN" or speaker.ent_type_ in {"ORG", "PERSON"}):
        return None
    content = [t for t in tokens if t.i < cue.i - 1]
    if len(content) < 4 or not any(t.pos_ in {"VERB", "AUX"} for t in content):
        return None
    return speaker, content


def _quote_just_before(
    ctx: _Context, cue: Token, subject: Token, span: Any, quotes: Sequence[Quote], used: set[int]
) -> Quote | None:
    """ ""Forty-one in a playoff game?" Whitfield said.": a question or exclamation ends the
    quotation, so the sentence splitter put the speaker in a sentence of its own."""
    lead = {t.i for t in subject.subtree} | {cue.i}
    if any(t.i < cue.i and t.i not in lead and not t.is_space for t in span):
        return None
    start = span[0].idx
    for q in quotes:
        gap = ctx.text[q.end : start]
        if q.end <= start and not gap.strip() and "\n" not in gap and q.start not in used:
            return q
    return None


def _accused_of(cue: Token) -> list[Token] | None:
    """ "accused the firm of ignoring safety reports" -> "ignoring safety reports"."""
    heads = [cue, *(c for c in cue.children if c.dep_ in {"dobj", "xcomp"})]
    for child in (c for h in heads for c in h.children):
        if child.dep_ == "prep" and child.lower_ == "of":
            objects = [c for c in child.children if c.dep_ in {"pcomp", "pobj"}]
            if objects:
                return _subtree_span(objects[0])
    return None


_NO_ADDRESSEE = frozenset(["say", "add", "claim", "insist", "note", "explain", "announce", "state"])


def _stray_subject(cue: Token, lemma: str, content_head: Token) -> list[Token]:
    """ "said the fault, in its system, was fixed": the parser made the clause's subject
    the cue's object; give it back to the clause."""
    if lemma not in _NO_ADDRESSEE or any(
        c.dep_ in {"nsubj", "nsubjpass", "expl"} for c in content_head.children
    ):
        return []
    objects = [c for c in cue.children if c.dep_ == "dobj" and c.i < content_head.i]
    if not objects:
        return []
    return [t for t in cue.doc[objects[0].left_edge.i : content_head.left_edge.i]]


def _conjoined_cues(head: Token) -> list[Token]:
    """ "[the chef was ...] and claimed ...": a cue conjoined inside a clause is not its
    content, nor is a participle cue after a comma ("[claims that ...], stating, ...")."""
    conjoined = [c for c in head.children if c.dep_ == "conj" and c.lower_ in CUE_FORMS]
    return conjoined + [t for t in head.subtree if t.i != head.i and _comma_participle(t)]


def _comma_participle(token: Token) -> bool:
    """ "..., stating, ...", "..., adding that ...": a participle cue after a comma."""
    return (
        token.dep_ == "advcl"
        and token.lower_.endswith("ing")
        and token.lower_ in CUE_FORMS
        and token.i > 0
        and token.doc[token.i - 1].text == ","
    )


def _clause_chars(cue: Token, lemma: str) -> tuple[int, int] | None:
    """Where the cue's reported clause sits, if the parse gives it one."""
    head = _content_of(cue, lemma) if lemma != "according to" else None
    if head is None:
        return None
    tokens = _subtree_span(head, _conjoined_cues(head))  # as _attribute takes the clause
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)


def _reported_within(cue: Token, lemma: str, clauses: dict[int, tuple[int, int] | None]) -> bool:
    """ "Birch said the outages showed ...", "asked whether he would call ...": a weak or
    characterising cue inside someone's reported clause is part of what they said."""
    if lemma not in _WEAK_CUES and lemma not in _CHARACTERISE:
        return False
    return any(
        chars is not None and chars[0] <= cue.idx < chars[1]
        for other, chars in clauses.items()
        if other != cue.i
    )


def _claimed_elsewhere(q: Quote, cue: int, clauses: dict[int, tuple[int, int] | None]) -> bool:
    """A quotation inside another cue's clause is that cue's ("denied X and alleged "Y"")."""

    def within(chars: tuple[int, int] | None) -> bool:
        # the opening mark may hang on the cue, outside its clause: 'stating, "The ...'
        return chars is not None and chars[0] <= q.start + 1 < chars[1]

    return not within(clauses[cue]) and any(
        within(chars) for other, chars in clauses.items() if other != cue
    )


def _participle_between(cue: Token, q: Quote, cues: Sequence[Token]) -> bool:
    """ "estimated that ..., calling the price "aggressive"": a quotation after a later
    participle cue is that cue's, not the earlier one's."""
    return any(
        other.i > cue.i and _comma_participle(other) and cue.idx < other.idx < q.start
        for other in cues
    )


def _fallback_clause(cue: Token, lemma: str, span: Any) -> list[Token] | None:
    """What a misparse hid: "told reporters ... that X" or "told the paper he ..."."""
    if lemma not in {"say", "tell", "add", "claim", "warn", "insist", "state", "explain", "note"}:
        return None
    for child in cue.children:
        if child.dep_ in {"dobj", "dative"}:
            for grand in child.children:
                if grand.dep_ == "relcl" and grand.i > child.i:
                    return _subtree_span(grand)
        if child.dep_ == "prep" and child.lower_ in {"in", "on"}:
            # "said in a statement it learned of the breach": a clause with a subject of
            # its own, not "which", that the parser hung on the statement
            for pobj in (g for g in child.children if g.dep_ == "pobj"):
                for grand in pobj.children:
                    if (
                        grand.dep_ == "relcl"
                        and grand.i > pobj.i
                        and pobj.lower_ in _DOCUMENT_NOUNS | {"interview", "post", "call"}
                        and any(
                            c.dep_ in {"nsubj", "nsubjpass"} and c.tag_ not in {"WDT", "WP"}
                            for c in grand.children
                        )
                    ):
                        return _subtree_span(grand)
    tokens = [t for t in span if t.i > cue.i]
    for i, t in enumerate(tokens):
        if t.lower_ == "that" and t.dep_ in {"mark", "dobj", "nsubj"} and i + 2 < len(tokens):
            rest = tokens[i + 1 :]
            if any(r.pos_ in {"VERB", "AUX"} for r in rest):
                return rest
    return None


def _finite(verb: Token) -> bool:
    """ "expressed", "expresses", "have expressed"; not "expressing" or "be expressed"."""
    if verb.tag_ in {"VBD", "VBZ", "VBP"}:
        return True
    auxiliaries = {c.lower_ for c in verb.children if c.dep_ == "aux"}
    return verb.tag_ == "VBN" and bool(auxiliaries & {"have", "has", "had", "'ve", "’ve"})


def _not_said(cue: Token, lemma: str) -> bool:
    """Nothing was said: "did not say", "is expected to announce", "add to earnings"; or
    nothing is reported: "all we know is what Mr. Barros said"."""
    return (
        _negated(cue)
        or _unrealised(cue)
        or (lemma == "add" and _adds_to_something(cue))
        or (lemma == "express" and not _finite(cue))  # "found to be expressing hatred"
        or (
            lemma not in _CHARACTERISE  # "what she calls a "franchise"" is hers
            and any(
                c.tag_ == "WP" and c.i < cue.i and c.dep_ in {"dobj", "ccomp"} for c in cue.children
            )
        )
    )


def _orphaned_clause(cue: Token) -> list[Token] | None:
    """ "with the SES warning the levee could be overtopped": the parser made "the levee"
    the cue's object and hung "could be overtopped" elsewhere; they are one clause."""
    obj = next((c for c in cue.children if c.dep_ == "dobj"), None)
    doc = cue.doc
    if obj is None or obj.right_edge.i + 1 >= len(doc):
        return None
    verb = doc[obj.right_edge.i + 1]
    while verb.dep_ in {"aux", "auxpass", "neg"} and verb.head.i > verb.i:
        verb = verb.head
    if verb.pos_ not in {"AUX", "VERB"} or verb.tag_ == "TO" or cue in verb.ancestors:
        return None
    return list(doc[obj.left_edge.i : verb.right_edge.i + 1])


def _negated(cue: Token) -> bool:
    """ "did not say", "declined to say whether": nothing was said."""
    if any(c.dep_ == "neg" for c in cue.children):
        return True
    head = cue.head
    return (
        cue.dep_ == "xcomp"
        and head.lower_ in {"declined", "declines", "refused", "refuses", "would", "wouldn't"}
    ) or (cue.dep_ == "xcomp" and any(c.dep_ == "neg" for c in head.children))


# "expected to announce", "set to confirm", "plans to say", "asked to comment": not said yet
_PROSPECTIVE = frozenset(
    [
        *("expect", "expects", "expected", "plan", "plans", "planned", "set", "due"),
        *("intend", "intends", "intended", "hope", "hopes", "hoped", "likely", "going"),
        *("scheduled", "poised", "want", "wants", "wanted", "preparing"),
        # asked of someone: "observers are encouraged to report what they saw"
        *("encouraged", "urged", "asked", "invited", "called"),
    ]
)


# "will announce", "could confirm", "might say": not said (yet)
_MODALS = frozenset(
    ["will", "'ll", "’ll", "wo", "shall", "may", "might", "could", "would", "'d", "should", "must"]
)


def _unrealised(cue: Token) -> bool:
    if any(c.dep_ == "aux" and c.lower_ in _MODALS for c in cue.children):
        return True
    infinitive = any(c.dep_ == "aux" and c.tag_ == "TO" for c in cue.children)
    return infinitive and cue.head.i != cue.i and cue.head.lower_ in _PROSPECTIVE


def _adds_to_something(cue: Token) -> bool:
    """ "to add to earnings", "added to the pressure": adding to a thing is not speech;
    nor is adding a thing ("Bell added a 10-yard run", "adds another step")."""
    return any(
        (c.dep_ == "prep" and c.lower_ == "to" and any(g.dep_ == "pobj" for g in c.children))
        or (
            c.dep_ == "dobj"
            and c.pos_ in {"NOUN", "PROPN"}
            and any(g.dep_ in {"det", "nummod", "amod", "compound"} for g in c.children)
        )
        for c in cue.children
    )


def _colon_end(cue: Token) -> int:
    """Where a colon right after the cue ends ("told the BBC:"), or 0."""
    for t in cue.doc[cue.i + 1 : cue.i + 4]:
        if t.text == ":":
            return int(t.idx) + 1
        if t.is_punct:
            return 0
    return 0


def _mostly_quote(clause_chars: tuple[int, int], q: Quote) -> bool:
    length = max(1, clause_chars[1] - clause_chars[0])
    return (q.end - q.start) / length >= 0.8


def _continuations(
    ctx: _Context,
    quotes: Sequence[Quote],
    used: set[int],
    found: Sequence[Found],
    sent_of: Callable[[int], int],
) -> list[Found]:
    """A quotation standing alone right after an attributed one continues it."""
    extra: list[Found] = []
    by_last: dict[int, Found] = {}
    for f in found:
        # 'Ren said China's stance had not changed. "We are determined to ..."': a
        # quotation standing alone after reported speech is the same speaker's too
        if f.attribution.kind is AttributionKind.DIRECT or (
            f.label == "PERSON" and not _caption_like(ctx, max(f.sentences))
        ):
            by_last[max(f.sentences)] = f
    sentence_starts = {s.start for s in ctx.sentences}
    for q in quotes:
        if q.start in used or q.words < 2 or q.start not in sentence_starts:
            continue
        first = sent_of(q.start)
        last = sent_of(max(q.start, q.end - 2))
        before = first - 1
        while before > first - 3 and before not in by_last and _caption_like(ctx, before):
            before -= 1  # a photo caption the page put between two quoted paragraphs
        prev = by_last.get(before)
        if prev is None:
            continue
        tail = ctx.sentences[last]
        after = ctx.text[q.end : tail.end].strip(" .,")
        if after:  # something follows the quote in its sentence: not a bare continuation
            continue
        used.add(q.start)
        a = prev.attribution
        made = Found(
            attribution=Attribution(
                speaker=a.speaker,
                speaker_role=a.speaker_role,
                cue=a.cue,
                content=q.text,
                kind=AttributionKind.DIRECT,
                sentence=first,
            ),
            sentences=tuple(range(first, last + 1)),
            label=prev.label,
        )
        extra.append(made)
        by_last[last] = made
    return extra


def _caption_like(ctx: _Context, index: int) -> bool:
    """A line without final punctuation that holds no quotation: a caption or credit."""
    if index < 0:
        return False
    sentence = ctx.sentences[index]
    text = ctx.text[sentence.start : sentence.end].rstrip()
    return text[-1:] not in '.?!"”’:' and _inside(sentence.start, ctx.quotes) is None
