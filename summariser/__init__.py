"""Text in, attributed facts out.

The pipeline, per article: :mod:`~summariser.cleaning` drops boilerplate,
:mod:`~summariser.sentences` splits, spaCy parses (with those boundaries),
:mod:`~summariser.attribution` finds who said what, :mod:`~summariser.salience`
chooses the facts and (optionally) :mod:`~summariser.gist` writes a one-line gist.
Pure: no network, no database; models are loaded lazily and only once.

    >>> from summariser import Summariser, Article
    >>> summary = Summariser().summarise(Article(id="1", text=text))
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import islice
from typing import Any

import numpy as np

from summariser.attribution import CUE_FORMS, Found, extract, find_quotes
from summariser.cleaning import clean
from summariser.salience import (
    Candidate,
    Matrix,
    choose,
    lexical_vectors,
    score_candidates,
    shortlist,
)
from summariser.sentences import Sentence, join_paragraphs, split_sentences
from summariser.types import (
    Article,
    Attribution,
    AttributionKind,
    Fact,
    FactKind,
    Summary,
)

__all__ = [
    "Article",
    "Attribution",
    "AttributionKind",
    "Fact",
    "FactKind",
    "Summariser",
    "SummariserOptions",
    "Summary",
    "summarise",
]

BATCH = 16
MAX_FACT_SENTENCES = 4
MAX_MERGED_SENTENCES = 3
MAX_CANDIDATES = 40  # later sentences rarely carry the point; they still yield attributions
EMBED_WORDS = 48
MIN_WORDS = 6


@dataclass(frozen=True, kw_only=True)
class SummariserOptions:
    facts: int = 5
    embeddings: bool = True
    spacy_model: str | None = None
    gist_model: str | None = None
    max_chars: int = 40_000


@dataclass
class _Prepared:
    article: Article
    sentences: list[Sentence]
    text: str
    doc: Any = None

    @cached_property
    def cased(self) -> bool:
        """False for text some corpora lowercase throughout."""
        return any(c.isupper() for c in self.text)


@dataclass(frozen=True)
class _Unit:
    lo: int
    hi: int
    found: Found | None


class Summariser:
    """Summarises articles; holds the (lazily loaded) models, so reuse one instance."""

    def __init__(self, options: SummariserOptions = SummariserOptions()) -> None:
        self.options = options
        self._gister: Any = None

    @property
    def nlp(self) -> Any:
        from summariser.nlp import load_nlp

        return load_nlp(self.options.spacy_model)

    def summarise(self, article: Article, *, facts: int | None = None) -> Summary:
        return next(iter(self.summarise_many([article], facts=facts)))

    def summarise_many(
        self, articles: Iterable[Article], *, facts: int | None = None
    ) -> Iterator[Summary]:
        """Summaries in input order; parsing and embedding run a batch at a time."""
        k = self.options.facts if facts is None else facts
        for prepared in self._parsed(articles):
            yield from self._finish(prepared, k)

    def candidates(self, articles: Iterable[Article]) -> Iterator[list[Candidate]]:
        """Every possible fact of each article, in input order: what selection chooses from
        (the salience tuning bench scores these)."""
        for prepared in self._parsed(articles):
            for p in prepared:
                yield [c for _, c in _candidates(p, extract(p.doc, p.sentences))]

    # -- stages

    def _prepare(self, article: Article) -> _Prepared:
        text = article.text
        if len(text) > self.options.max_chars:
            cut = text.rfind("\n", 0, self.options.max_chars)
            text = text[: cut if cut > 0 else self.options.max_chars]
        paragraphs = clean(text).paragraphs
        return _Prepared(
            article=article,
            sentences=split_sentences(paragraphs),
            text=join_paragraphs(paragraphs),
        )

    @staticmethod
    def _make_doc(nlp: Any, p: _Prepared) -> Any:
        doc = nlp.make_doc(p.text)
        starts = {s.start for s in p.sentences}
        for token in doc:
            token.is_sent_start = token.idx in starts or (token.i == 0)
        return doc

    def _parsed(self, articles: Iterable[Article]) -> Iterator[list[_Prepared]]:
        """Cleaned, split and parsed articles, a batch at a time."""
        iterator = iter(articles)
        while batch := list(islice(iterator, BATCH)):
            prepared = [self._prepare(a) for a in batch]
            nlp = self.nlp
            docs = nlp.pipe((self._make_doc(nlp, p) for p in prepared), batch_size=BATCH)
            for p, doc in zip(prepared, docs, strict=True):
                p.doc = doc
            yield prepared

    def _finish(self, prepared: Sequence[_Prepared], k: int) -> Iterator[Summary]:
        found = [extract(p.doc, p.sentences) for p in prepared]
        options = [_candidates(p, f) for p, f in zip(prepared, found, strict=True)]
        units = [[u for u, _ in o] for o in options]
        candidates = [[c for _, c in o] for o in options]
        texts = [[c.text for c in cs] for cs in candidates]
        lexical = [lexical_vectors(ts) for ts in texts]
        scores = [score_candidates(c, v) for c, v in zip(candidates, lexical, strict=True)]
        if self.options.embeddings:
            # only the best few by the lexical scores are embedded
            keep = [shortlist(s, k) for s in scores]
            embedded: list[Matrix | None] = list(
                self.embed([[ts[i] for i in ix] for ts, ix in zip(texts, keep, strict=True)])
            )
        else:
            keep = [list(range(len(c))) for c in candidates]
            embedded = [None] * len(candidates)
        for p, f, us, cs, sc, lx, ix, em in zip(
            prepared, found, units, candidates, scores, lexical, keep, embedded, strict=True
        ):
            chosen = choose(cs, sc, lx, ix, em, k)
            facts = tuple(_fact(us[i], cs[i].text) for i in chosen)
            yield Summary(
                id=p.article.id,
                title=p.article.title or _headline(p),
                url=p.article.url,
                outlet=p.article.outlet,
                facts=facts,
                attributions=tuple(x.attribution for x in f),
                gist=self._gist(p),
            )

    def embed(self, texts: Sequence[Sequence[str]]) -> list[Matrix]:
        """Sentence embeddings for every article of a batch in one call, shortest first."""
        from summariser.embeddings import shared_embedder

        flat = [" ".join(t.split()[:EMBED_WORDS]) for ts in texts for t in ts]
        order = sorted(range(len(flat)), key=lambda i: len(flat[i]))  # less padding
        encoded = shared_embedder().encode([flat[i] for i in order])
        rows = np.empty_like(encoded)
        rows[order] = encoded
        result, start = [], 0
        for ts in texts:
            result.append(rows[start : start + len(ts)])
            start += len(ts)
        return result

    def _gist(self, p: _Prepared) -> str | None:
        if not self.options.gist_model:
            return None
        if self._gister is None:
            from summariser.gist import Gister

            self._gister = Gister(self.options.gist_model)
        gist: str | None = self._gister.gist(p.text)
        return gist


def summarise(article: Article, **kw: Any) -> Summary:
    """One article with default (or given) options: ``summarise(a, facts=3, embeddings=False)``."""
    facts = kw.pop("facts", None)
    return _default(SummariserOptions(**kw)).summarise(article, facts=facts)


_instances: dict[SummariserOptions, Summariser] = {}


def _default(options: SummariserOptions) -> Summariser:
    if options not in _instances:
        _instances[options] = Summariser(options)
    return _instances[options]


# -- helpers


def _candidates(p: _Prepared, found: Sequence[Found]) -> list[tuple[_Unit, Candidate]]:
    """The article's possible facts, each with the sentence run it comes from."""
    result = []
    for u in _units(p, found):
        text = _unit_text(p, u)
        candidate = Candidate(
            index=u.lo,
            text=text,
            entities=_entities(p, u),
            speaker=u.found.attribution.speaker if u.found else None,
            attributed=u.found is not None,
            sentences=u.hi - u.lo + 1,
        )
        result.append((u, candidate))
    return result


def _units(p: _Prepared, found: Sequence[Found]) -> list[_Unit]:
    """Candidate facts: attributed sentence runs, then other usable sentences."""
    units: list[_Unit] = []
    owned: set[int] = set()
    for f in sorted(found, key=lambda f: f.attribution.kind is not AttributionKind.DIRECT):
        lo, hi = min(f.sentences), max(f.sentences)
        if hi - lo + 1 > MAX_FACT_SENTENCES:
            lo = hi = f.attribution.sentence
        if any(i in owned for i in range(lo, hi + 1)):
            continue
        owned.update(range(lo, hi + 1))
        units.append(_Unit(lo, hi, f))
    units = _merge_same_speaker(units)
    unattributed_quotes = [q for q in find_quotes(p.text) if q.words >= 4]
    for s in p.sentences:
        if s.index in owned or not _usable(p, s, unattributed_quotes):
            continue
        units.append(_Unit(s.index, s.index, None))
    units.sort(key=lambda u: u.lo)
    keep = [u for u in units if u.lo < MAX_CANDIDATES or u.found is not None]
    return [_verbatim(p, u) for u in keep]


def _verbatim(p: _Prepared, u: _Unit) -> _Unit:
    """A fact is a span of the article as published. Cleaning drops whole lines, so a run of
    sentences can straddle a dropped line; such a run shrinks to its attributed sentence."""
    if u.lo == u.hi:
        return u
    original = " ".join(p.article.text.split())
    if " ".join(_unit_text(p, u).split()) in original:
        return u
    anchor = u.found.attribution.sentence if u.found is not None else u.lo
    anchor = anchor if u.lo <= anchor <= u.hi else u.lo
    return _Unit(anchor, anchor, u.found)


def _merge_same_speaker(units: list[_Unit]) -> list[_Unit]:
    """Adjacent attributions to one speaker ("He added that ...") make one fact."""
    units = sorted(units, key=lambda u: u.lo)
    merged: list[_Unit] = []
    for u in units:
        prev = merged[-1] if merged else None
        if (
            prev is not None
            and prev.found is not None
            and u.found is not None
            and prev.found.attribution.speaker == u.found.attribution.speaker
            and u.lo == prev.hi + 1
            and u.hi - prev.lo < MAX_MERGED_SENTENCES
        ):
            merged[-1] = _Unit(prev.lo, u.hi, prev.found)
        else:
            merged.append(u)
    return merged


def _usable(p: _Prepared, s: Sentence, quotes: Sequence[Any]) -> bool:
    text = s.text
    if len(text.split()) < MIN_WORDS or text.endswith(("?", ":")):
        return False
    if text.startswith(("...", "…")) or (text[0].islower() and p.cased):
        return False  # a fragment: elided text, or a sentence cut from its start
    if any(q.start < s.end and q.end > s.start for q in quotes):
        return False  # an unattributed quotation must not pass as the outlet's own words
    span = p.doc.char_span(s.start, s.end, alignment_mode="expand")
    if span is not None:
        for tok in span:
            if tok.lower_ in CUE_FORMS and any(
                c.dep_ == "nsubj" and c.pos_ == "PRON" for c in tok.children
            ):
                return False  # "he said ..." with no one to attribute it to
    return True


def _unit_text(p: _Prepared, u: _Unit) -> str:
    raw = p.text[p.sentences[u.lo].start : p.sentences[u.hi].end]
    return re.sub(r"\s*\n\s*", " ", raw).strip()


def _entities(p: _Prepared, u: _Unit) -> int:
    start, end = p.sentences[u.lo].start, p.sentences[u.hi].end
    return sum(
        1
        for e in p.doc.ents
        if start <= e.start_char < end and e.label_ not in {"CARDINAL", "ORDINAL"}
    )


def _fact(u: _Unit, text: str) -> Fact:
    if u.found is None:
        return Fact(
            text=text,
            kind=FactKind.REPORT,
            speaker=None,
            speaker_role=None,
            cue=None,
            sentence=u.lo,
        )
    a = u.found.attribution
    kind = FactKind.QUOTE if a.kind is AttributionKind.DIRECT else FactKind.CLAIM
    return Fact(
        text=text,
        kind=kind,
        speaker=a.speaker,
        speaker_role=a.speaker_role,
        cue=a.cue,
        sentence=u.lo,
    )


def _headline(p: _Prepared) -> str | None:
    for s in p.sentences:
        if len(s.text.split()) >= MIN_WORDS and not s.text.endswith(("?", ":")):
            return s.text
    return p.sentences[0].text if p.sentences else None
