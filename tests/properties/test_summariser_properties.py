"""The summariser on arbitrary text: no crash, facts are verbatim spans, speakers are named."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from summariser import Article, Summariser, SummariserOptions

PRONOUNS = {"he", "she", "they", "it", "we", "i", "you", "him", "her", "them", "us", "me"}
SETTINGS = settings(
    max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)

_summariser: Summariser | None = None


def summariser() -> Summariser:
    global _summariser  # spaCy loads once per module, not once per example
    if _summariser is None:
        _summariser = Summariser(SummariserOptions(embeddings=False))
    return _summariser


NAMES = ["Ana Ruiz", "the council", "He", "She", "They", "Dr. Oren Baltic", "it", "Mr Lee", "NATO"]
CUES = ["said", "told reporters", "says", "added", "warned", "according to", "claimed"]
CLAUSES = [
    "the bridge will reopen in May",
    "prices rose 4.5% in March",
    "we will not back down",
    "nobody knew",
    "the talks had failed",
    "",
]
QUOTES = ['"', "\u201c", "\u201d", "'", "\u2018", "\u2019", "\u00ab", "\u00bb"]


@st.composite
def news_sentence(draw: st.DrawFn) -> str:
    name, cue, clause = (draw(st.sampled_from(x)) for x in (NAMES, CUES, CLAUSES))
    q1, q2 = draw(st.sampled_from(QUOTES)), draw(st.sampled_from(QUOTES))
    shape = draw(st.integers(0, 4))
    if shape == 0:
        return f"{q1}{clause.capitalize()},{q2} {name} {cue}."
    if shape == 1:
        return f"{name} {cue} that {clause}."
    if shape == 2:
        return f"{cue.capitalize()} {name}, {clause}."
    if shape == 3:
        return f"{q1}{clause}{q2}"
    return draw(st.text(max_size=80))


news_text = st.lists(
    st.tuples(news_sentence(), st.sampled_from([" ", "\n", "\n\n", "  ", "\r\n", "\t"])),
    max_size=12,
).map(lambda parts: "".join(s + sep for s, sep in parts))
texts = st.one_of(news_text, st.text(max_size=600))


def check(text: str, title: Any = None, *, verbatim: bool = False) -> None:
    summary = summariser().summarise(
        Article(id="x", text=text, title=title, outlet="Harbour Times"), facts=5
    )
    flat = " ".join(text.split())
    assert len(summary.facts) <= 5
    for fact in summary.facts:
        assert fact.text.strip()
        if verbatim:
            assert " ".join(fact.text.split()) in flat, fact.text
        if fact.speaker is not None:
            assert fact.speaker.strip().lower() not in PRONOUNS, fact
    for attribution in summary.attributions:
        assert attribution.speaker.strip().lower() not in PRONOUNS, attribution


@SETTINGS
@given(texts, st.one_of(st.none(), st.text(max_size=40)))
def test_arbitrary_text(text: str, title: str | None) -> None:
    check(text, title)


@SETTINGS
@given(texts)
def test_facts_are_verbatim_spans(text: str) -> None:
    check(text, verbatim=True)


def test_a_fact_never_straddles_a_dropped_line() -> None:
    # found by the property above: cleaning drops the "0" line between two sentences
    text = '"It will reopen," the council said.\n0\n"It will reopen," the council said.'
    check(text, None, verbatim=True)


def test_facts_are_verbatim_spans_of_plain_prose() -> None:
    text = (
        '"The bridge will reopen in May," the council said. Prices rose 4.5% in March, '
        "according to Ana Ruiz.\n\nDr. Oren Baltic told reporters that the talks had failed."
    )
    check(text, verbatim=True)


def test_a_plain_article_works() -> None:
    text = 'The bridge will reopen in May, the council said. "We are ready," said Ana Ruiz.'
    check(text, verbatim=True)
    assert summariser().summarise(Article(id="y", text=text)).facts


@pytest.mark.parametrize("text", ["", " ", "\n\n", "\x00", '"', "He said.", "\u202e" * 5])
def test_degenerate_inputs(text: str) -> None:
    check(text)
