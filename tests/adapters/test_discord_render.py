"""The embed renderer: limits, order, attribution and links (pure; no discord.py)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.adapters.discord_render import (
    LIMITS,
    DiscordMessage,
    clip,
    embed_size,
    limit_problems,
    render_digest,
    render_reply,
    story_embeds,
)
from bot.commands.types import CommandReply
from bot.digest.model import Digest, DigestStory
from summariser.types import Disagreement, Fact, FactKind, Source, StoryFact, StorySummary
from tests.fakes.discord import make_story

NOW = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)


def digest(*stories: DigestStory, note: str | None = None, title: str = "Morning news") -> Digest:
    return Digest(route="morning", title=title, created_at=NOW, stories=stories, note=note)


def all_text(messages: list[DiscordMessage]) -> str:
    parts: list[str] = []
    for message in messages:
        parts.append(message.content or "")
        for embed in message.embeds:
            parts += [embed.get("title", ""), embed.get("description", "")]
            parts += [f"{f['name']}\n{f['value']}" for f in embed.get("fields", ())]
    return "\n".join(parts)


def test_a_small_digest_is_one_message_with_one_embed_per_story() -> None:
    messages = render_digest(digest(make_story(1), make_story(2, is_update=True)))
    assert len(messages) == 1
    (message,) = messages
    assert message.content == "**Morning news** · 2 stories"
    first, second = message.embeds
    assert first["title"] == "Story 1: bridge to reopen after repairs"
    assert first["url"] == "https://news0.example/story/1_(a)"
    assert second["title"].startswith("Update: Story 2")
    assert second["color"] != first["color"]
    assert limit_problems(message) == []


def test_facts_are_bullets_with_speaker_and_role_or_outlets() -> None:
    (message,) = render_digest(digest(make_story(1, facts=3)))
    lines = message.embeds[0]["description"].split("\n")
    assert len(lines) == 3
    assert all(line.startswith("• ") for line in lines)
    assert lines[0].endswith("— Example Times, Daily Sample")  # the outlets' own reporting
    assert lines[1].endswith("— Maria Lopez, transport minister")
    assert lines[2].endswith("— City Council")


def test_sources_are_markdown_links_that_survive_parentheses() -> None:
    (message,) = render_digest(digest(make_story(7, sources=2)))
    (sources,) = [f for f in message.embeds[0]["fields"] if f["name"] == "Sources"]
    assert sources["value"].split("\n") == [
        "[Outlet 0](https://news0.example/story/7_%28a%29)",
        "[Outlet 1](https://news1.example/story/7_%28a%29)",
    ]


def test_disagreements_are_a_field_each() -> None:
    a, b = make_story(1, facts=2).summary.facts
    story = DigestStory(
        story_id=1,
        summary=StorySummary(
            headline="Toll disputed",
            facts=(a,),
            sources=(),
            disagreements=(Disagreement(subject="deaths", facts=(a, b)),),
        ),
    )
    (embed,) = story_embeds(story)
    (field,) = embed["fields"]
    assert field["name"] == "⚖ Sources differ: deaths"
    assert field["value"].count("\n– ") == 1


def test_markdown_in_facts_is_escaped() -> None:
    fact = Fact(
        text="Prices rose *sharply* in Q_3",
        kind=FactKind.REPORT,
        speaker=None,
        speaker_role=None,
        cue=None,
        sentence=0,
    )
    story = DigestStory(
        story_id=1,
        summary=StorySummary(
            headline="Prices",
            facts=(StoryFact(fact=fact, outlets=("Wire",), key="k"),),
            sources=(Source(outlet="Wire [EU]", url="https://wire.example/p"),),
        ),
    )
    (embed,) = story_embeds(story)
    assert embed["description"] == r"• Prices rose \*sharply\* in Q\_3 — Wire"
    assert embed["fields"][0]["value"] == r"[Wire \[EU\]](https://wire.example/p)"


def test_an_empty_digest_shows_the_routes_note() -> None:
    (message,) = render_digest(digest(note="Nothing new since 8am."))
    assert message.content == "**Morning news**"
    assert message.embeds[0]["description"] == "Nothing new since 8am."
    (default,) = render_digest(digest())
    assert default.embeds[0]["description"] == "Nothing new."


def test_a_big_digest_splits_in_order_within_every_limit() -> None:
    stories = [make_story(i, facts=10, fact_length=300, sources=6) for i in range(30)]
    messages = render_digest(digest(*stories))
    assert len(messages) > 3
    for message in messages:
        assert limit_problems(message) == []
    assert messages[0].content and all(m.content is None for m in messages[1:])
    titles = [e["title"] for m in messages for e in m.embeds]
    assert titles == [f"Story {i}: bridge to reopen after repairs" for i in range(30)]


def test_one_huge_story_continues_over_several_embeds_and_messages() -> None:
    story = make_story(1, facts=10, fact_length=3000, sources=60, headline="H" * 400)
    embeds = story_embeds(story)
    assert len(embeds) > 2
    assert len(embeds[0]["title"]) == LIMITS.title and embeds[0]["title"].endswith("…")
    assert all(e["title"].endswith(" (cont.)") for e in embeds[1:])
    assert all(len(e["title"]) <= LIMITS.title for e in embeds)
    messages = render_digest(digest(story))
    assert all(limit_problems(m) == [] for m in messages)
    text = all_text(messages)
    for n in range(10):  # every fact is there, in order, even if clipped
        assert f"Fact {n} of story 1" in text
    assert text.index("Fact 3 of") < text.index("Fact 4 of")
    assert text.count("](https://") == 60


def test_clip_and_size() -> None:
    assert clip("abc", 3) == "abc"
    assert clip("abcdef", 4) == "abc…"
    embed = {"title": "ab", "description": "cde", "fields": [{"name": "f", "value": "gh"}]}
    assert embed_size(embed) == 8


def test_a_reply_is_text_plus_story_embeds() -> None:
    (message,) = render_reply(CommandReply(text="2 latest", stories=(make_story(1),)))
    assert message.content == "2 latest"
    assert len(message.embeds) == 1
    long = render_reply(CommandReply(text="word " * 1000))
    assert long[0].content is None
    assert all(limit_problems(m) == [] for m in long)
    assert render_reply(CommandReply(text=""))[0].content == "(no results)"


texts = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=1500
).filter(lambda s: s.strip())


@st.composite
def stories(draw: st.DrawFn) -> DigestStory:
    facts = []
    for n in range(draw(st.integers(0, 12))):
        speaker = draw(st.none() | st.text(min_size=1, max_size=300).filter(lambda s: s.strip()))
        kinds = st.sampled_from([FactKind.QUOTE, FactKind.CLAIM])
        kind = FactKind.REPORT if speaker is None else draw(kinds)
        fact = Fact(
            text=draw(texts),
            kind=kind,
            speaker=speaker,
            speaker_role=draw(st.none() | st.text(max_size=200)),
            cue=None,
            sentence=n,
        )
        outlets = tuple(draw(st.lists(st.text(max_size=80), max_size=4)))
        facts.append(StoryFact(fact=fact, outlets=outlets, key=f"k{n}"))
    sources = tuple(
        Source(outlet=draw(st.none() | st.text(max_size=300)), url=draw(st.none() | texts))
        for _ in range(draw(st.integers(0, 40)))
    )
    disagreements = ()
    if len(facts) >= 2 and draw(st.booleans()):
        disagreements = (Disagreement(subject=draw(texts), facts=tuple(facts[:2])),)
    return DigestStory(
        story_id=draw(st.none() | st.integers(1, 10**6)),
        is_update=draw(st.booleans()),
        summary=StorySummary(
            headline=draw(st.text(max_size=600)),
            facts=tuple(facts),
            sources=sources,
            disagreements=disagreements,
        ),
    )


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(stories(), max_size=15), st.text(min_size=0, max_size=400), st.none() | texts)
def test_any_digest_renders_within_limits_in_order(
    items: list[DigestStory], title: str, note: str | None
) -> None:
    messages = render_digest(digest(*items, note=note, title=title or "News"))
    assert messages
    for message in messages:
        assert limit_problems(message) == [], message
    # stories stay in order: each story's first embed follows the previous story's
    flat = [e for m in messages for e in m.embeds]
    expected = sum(len(story_embeds(s)) for s in items) + (1 if note or not items else 0)
    assert len(flat) == expected
    for embed in flat:  # links are web links, or there is no link at all
        assert embed.get("url", "https://").startswith(("http://", "https://"))
        for item in embed.get("fields", ()):
            if not item["name"].startswith("Sources"):
                continue
            for url in re.findall(r"(?<!\\)\]\(([^)]*)\)", item["value"]):
                assert url.startswith(("http://", "https://")) and " " not in url


@settings(max_examples=40, deadline=None)
@given(texts, st.lists(stories(), max_size=12), st.booleans())
def test_any_reply_renders_within_limits(
    text: str, items: list[DigestStory], ephemeral: bool
) -> None:
    messages = render_reply(CommandReply(text=text, stories=tuple(items), ephemeral=ephemeral))
    assert all(limit_problems(m) == [] for m in messages)
