from __future__ import annotations

from summariser.stories import fact_key, figures, merge_summaries, normalise
from summariser.types import Fact, FactKind, Summary


def report(text: str, sentence: int = 0) -> Fact:
    return Fact(
        text=text,
        kind=FactKind.REPORT,
        speaker=None,
        speaker_role=None,
        cue=None,
        sentence=sentence,
    )


def said(text: str, speaker: str, *, quote: bool = False, role: str | None = None) -> Fact:
    return Fact(
        text=text,
        kind=FactKind.QUOTE if quote else FactKind.CLAIM,
        speaker=speaker,
        speaker_role=role,
        cue="said",
        sentence=1,
    )


def summary(id: str, outlet: str, title: str, *facts: Fact) -> Summary:
    return Summary(
        id=id,
        title=title,
        url=f"https://{outlet.lower()}.example/{id}",
        outlet=outlet,
        facts=facts,
    )


CLOSED = "The Kellan harbour bridge was closed after a cargo ship struck it."
POWER = "The ship lost power shortly after leaving the terminal."


def test_same_fact_from_several_outlets_appears_once_with_every_outlet() -> None:
    story = merge_summaries(
        [
            summary(
                "1", "Post", "Ship hits Kellan bridge", report(CLOSED), said(POWER, "Ines Duro")
            ),
            summary("2", "Herald", "Kellan bridge closed", report(CLOSED.upper())),
            summary("3", "Wire", "Bridge shut in Kellan", report(CLOSED + "  ")),
        ]
    )
    texts = [f.fact.text for f in story.facts]
    assert texts.count(CLOSED) == 1 and len(texts) == 2
    assert story.facts[0].fact.text == CLOSED  # corroborated facts first
    assert story.facts[0].outlets == ("Post", "Herald", "Wire")
    assert [s.outlet for s in story.sources] == ["Post", "Herald", "Wire"]


def test_lightly_edited_wire_copy_merges_but_other_speakers_do_not() -> None:
    a = said("The crew reported a total power failure minutes before the crash.", "Ines Duro")
    b = said("The crew reported a total power failure minutes before the crash", "Ines Duro")
    c = said("The crew reported a total power failure minutes before the crash.", "Police")
    story = merge_summaries([summary("1", "Post", "t", a), summary("2", "Wire", "t", b, c)])
    assert len(story.facts) == 2
    by_speaker = {f.fact.speaker: f for f in story.facts}
    assert by_speaker["Ines Duro"].outlets == ("Post", "Wire")
    assert by_speaker["Police"].outlets == ("Wire",)


def test_quotes_keep_their_speaker_and_role() -> None:
    quote = said(
        "We will reopen it as soon as it is safe.", "Ines Duro", quote=True, role="harbour master"
    )
    story = merge_summaries([summary("1", "Post", "t", quote)])
    fact = story.facts[0].fact
    assert (fact.kind, fact.speaker, fact.speaker_role) == (
        FactKind.QUOTE,
        "Ines Duro",
        "harbour master",
    )


def test_keys_are_stable_as_articles_join() -> None:
    first = merge_summaries([summary("1", "Post", "t", report(CLOSED))])
    later = merge_summaries(
        [
            summary("1", "Post", "t", report(CLOSED)),
            summary("2", "Herald", "t", report(CLOSED + "!"), report(POWER)),
        ]
    )
    assert first.facts[0].key in {f.key for f in later.facts}
    assert fact_key(report(CLOSED)) == fact_key(
        report("  the kellan harbour bridge was closed after a cargo ship struck it")
    )
    assert fact_key(said(POWER, "Ines Duro")) != fact_key(said(POWER, "Police"))


def test_headline_is_the_most_central_title() -> None:
    story = merge_summaries(
        [
            summary("1", "Post", "Chaos on the water", report(CLOSED)),
            summary("2", "Herald", "Cargo ship hits Kellan bridge", report(POWER)),
            summary("3", "Wire", "Kellan bridge closed after cargo ship hits pier", report(POWER)),
        ]
    )
    assert story.headline in {
        "Cargo ship hits Kellan bridge",
        "Kellan bridge closed after cargo ship hits pier",
    }
    untitled = Summary(id="x", title=None, url=None, outlet=None, facts=(report(CLOSED),))
    assert merge_summaries([untitled]).headline == CLOSED


def test_different_figures_from_different_sources_are_a_disagreement() -> None:
    police = said("Police said 12 people were killed in the fire at the market.", "Police")
    union = said(
        "The traders' union said 15 people were killed in the market fire.", "Traders' union"
    )
    other = report("The fire started shortly after 3am in the covered market.")
    story = merge_summaries(
        [
            summary("1", "Post", "Market fire", police, other),
            summary("2", "Herald", "Market fire kills 15", union),
        ]
    )
    assert len(story.disagreements) == 1
    dispute = story.disagreements[0]
    assert dispute.subject == "people"
    assert {f.fact.speaker for f in dispute.facts} == {"Police", "Traders' union"}


def test_same_figure_or_unrelated_figures_are_not_a_disagreement() -> None:
    a = report("Twelve people were killed, 12 people in total, officials confirmed.")
    b = said("The bridge carries 40,000 vehicles a day.", "Council")
    c = said("At least 12 people were killed in the fire.", "Police")
    story = merge_summaries([summary("1", "Post", "t", a, b), summary("2", "Wire", "t", c)])
    assert story.disagreements == ()


def test_figures() -> None:
    assert figures("12 people died and 1,200 homes lost power; rates rose to 4.5%.") == [
        (12.0, "people"),
        (1200.0, "home"),
        (4.5, "%"),
    ]
    assert figures("In 2026 about 3 million visitors came") == [(3e6, "visitor")]
    assert normalise("  “Hello,”   World’s ") == "hello worlds"


def test_every_outlets_lead_shows_before_anyones_second_fact() -> None:
    a = [report(f"Post fact {i} about the Kellan ferry and item {i}.", i) for i in range(3)]
    b = [report(f"Wire line {i} on the harbour budget and point {i}.", i) for i in range(3)]
    story = merge_summaries([summary("1", "Post", "t", *a), summary("2", "Wire", "t", *b)])
    assert [f.fact.text for f in story.facts] == [
        a[0].text,
        b[0].text,
        a[1].text,
        b[1].text,
        a[2].text,
        b[2].text,
    ]


def test_with_embeddings_a_paraphrase_joins_the_fact_but_other_figures_do_not() -> None:
    from summariser.embeddings import shared_embedder

    lead = report("A cargo ship struck the Kellan harbour bridge on Monday, forcing it to close.")
    same = report("The Kellan harbour bridge was shut on Monday after a cargo ship hit it.")
    three = report("3 people were hurt when a cargo ship struck the Kellan bridge on Monday.")
    five = report("5 people were hurt when a cargo ship struck the Kellan bridge on Monday.")
    summaries = [
        summary("1", "Post", "t", lead, three),
        summary("2", "Wire", "t", same, five),
    ]
    lexical = merge_summaries(summaries)
    assert len(lexical.facts) == 4  # the lead's words differ too much; the figures differ
    story = merge_summaries(summaries, embed=shared_embedder().encode)
    texts = [f.fact.text for f in story.facts]
    assert texts[0] == lead.text and story.facts[0].outlets == ("Post", "Wire")
    assert same.text not in texts
    assert three.text in texts and five.text in texts  # different figures: never one fact
    assert [d.subject for d in story.disagreements] == ["people"]
