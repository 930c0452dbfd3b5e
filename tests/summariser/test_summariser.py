from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from summariser import Article, FactKind, Summariser, SummariserOptions, Summary, summarise


def test_summary_json_shape(lexical: Summariser, articles: list[dict[str, Any]]) -> None:
    a = articles[0]
    summary = lexical.summarise(Article(id=a["id"], text=a["text"], outlet=a["outlet"]))
    data = summary.to_json()
    assert set(data) == {"id", "title", "url", "outlet", "facts", "attributions"}
    assert data["id"] == a["id"] and data["outlet"] == a["outlet"]
    for fact in data["facts"]:
        assert set(fact) == {"text", "kind", "speaker", "speaker_role", "cue", "sentence"}
    for attribution in data["attributions"]:
        assert set(attribution) == {"speaker", "speaker_role", "cue", "content", "kind", "sentence"}
    assert Summary.from_json(data) == summary


def test_headline_is_title_or_first_good_sentence(lexical: Summariser) -> None:
    text = (
        "Breaking news\nThe dam burst at dawn, flooding three villages downstream.\nMore follows."
    )
    assert lexical.summarise(Article(id="1", text=text)).title == (
        "The dam burst at dawn, flooding three villages downstream."
    )
    assert lexical.summarise(Article(id="1", text=text, title="Dam bursts")).title == "Dam bursts"


def test_summarise_many_keeps_order_and_facts_count(
    summariser: Summariser, articles: list[dict[str, Any]]
) -> None:
    items = [Article(id=a["id"], text=a["text"]) for a in articles[:5]]
    summaries = list(summariser.summarise_many(items, facts=3))
    assert [s.id for s in summaries] == [a.id for a in items]
    assert all(len(s.facts) == 3 for s in summaries)


def test_unattributed_quote_never_becomes_a_report(lexical: Summariser) -> None:
    text = (
        "The storm hit the coast on Friday night, cutting power to 20,000 homes.\n"
        '"It was the worst night of my life."\n'
        "Repair crews expect to restore power by Sunday evening at the latest."
    )
    summary = lexical.summarise(Article(id="q", text=text))
    assert all("worst night" not in f.text for f in summary.facts)


def test_max_chars_and_empty_text() -> None:
    small = Summariser(SummariserOptions(embeddings=False, max_chars=1_000))
    long_text = "\n".join(
        f"Paragraph {i} reports that the river rose by {i} cm." for i in range(200)
    )
    summary = small.summarise(Article(id="long", text=long_text))
    assert all(f.sentence < 40 for f in summary.facts)
    empty = small.summarise(Article(id="e", text="  \n "))
    assert empty.facts == () and empty.title is None


def test_convenience_function() -> None:
    summary = summarise(
        Article(id="c", text="Officials said on Monday that the border crossing would reopen."),
        embeddings=False,
        facts=1,
    )
    assert summary.facts[0].kind is FactKind.CLAIM
    assert summary.facts[0].speaker == "Officials"


@pytest.mark.parametrize("embeddings", [True, False])
def test_report_facts_have_no_speaker(embeddings: bool, articles: list[dict[str, Any]]) -> None:
    s = Summariser(SummariserOptions(embeddings=embeddings))
    summary = s.summarise(Article(id="r", text=articles[1]["text"]))
    for fact in summary.facts:
        assert (fact.kind is FactKind.REPORT) == (fact.speaker is None)


_WORDS = ["He", "said", '"', "the", "minister", ".", "Police", "told", "according", "to", "Mr."]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.one_of(st.sampled_from(_WORDS), st.text(min_size=1, max_size=8)),
        max_size=60,
    ).map(" ".join)
)
def test_never_crashes_and_facts_stay_verbatim(lexical: Summariser, text: str) -> None:
    summary = lexical.summarise(Article(id="h", text=text))
    flat = " ".join(text.split())
    for fact in summary.facts:
        assert fact.text in flat
    for a in summary.attributions:
        assert a.speaker.strip().lower() not in {"he", "she", "they", "it"}


def test_fragments_are_not_facts(lexical: Summariser) -> None:
    text = (
        "The museum reopened on Saturday after a two-year renovation costing 30 million.\n"
        "... visitors queued from dawn and the doors opened at nine in the morning.\n"
        "The new wing holds the city's collection of maritime paintings and models.\n"
        "and then the mayor cut the ribbon in front of the main entrance to cheers."
    )
    facts = lexical.summarise(Article(id="m", text=text)).facts
    assert [f.sentence for f in facts] == [0, 2]
