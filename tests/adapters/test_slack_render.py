from __future__ import annotations

from datetime import UTC, datetime

from bot.adapters.slack_render import (
    MAX_BLOCKS,
    MAX_HEADER,
    MAX_SECTION,
    block_chars,
    escape,
    render_digest,
    render_reply,
)
from bot.commands.types import CommandReply
from bot.digest.model import Digest, DigestStory
from summariser.types import Fact, FactKind, Source, StoryFact, StorySummary
from tests.fakes.slack import sample_digest, sample_story


def _texts(message: dict) -> str:
    parts = []
    for block in message["blocks"]:
        if isinstance(block.get("text"), dict):
            parts.append(block["text"]["text"])
        parts += [e["text"] for e in block.get("elements", ())]
    return "\n".join(parts)


def _check_limits(message: dict) -> None:
    assert len(message["blocks"]) <= MAX_BLOCKS
    assert sum(block_chars(b) for b in message["blocks"]) < 12_000
    assert message["text"]
    for block in message["blocks"]:
        if block["type"] == "header":
            assert len(block["text"]["text"]) <= MAX_HEADER
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= MAX_SECTION
        if block["type"] == "context":
            assert len(block["elements"]) <= 10


def test_small_digest_is_one_message_with_header_sections_context() -> None:
    messages = render_digest(sample_digest(2))
    assert len(messages) == 1
    blocks = messages[0]["blocks"]
    assert blocks[0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "Morning news", "emoji": True},
    }
    kinds = [b["type"] for b in blocks]
    assert kinds == ["header", "section", "context", "divider", "section", "context"]
    story = blocks[1]["text"]["text"]
    assert story.startswith("*Story 0 headline*")
    assert "• Fact 0.0" in story and "— _Ana Speaker0, minister_ (Outlet A, Outlet B)" in story
    assert "— _Police_" in story
    assert "— _Outlet A, Outlet B_" in story  # the outlet's own reporting
    assert "<https://news0.example/0|Outlet A>" in blocks[2]["elements"][0]["text"]
    assert "Story 1 headline" in messages[0]["text"]  # plain-text fallback
    _check_limits(messages[0])


def test_mrkdwn_is_escaped() -> None:
    fact = Fact(
        text="Profits <up> & rising",
        kind=FactKind.REPORT,
        speaker=None,
        speaker_role=None,
        cue=None,
        sentence=0,
    )
    story = DigestStory(
        story_id=1,
        summary=StorySummary(
            headline="A & B <c>",
            facts=(StoryFact(fact=fact, outlets=("X&Y",), key="k"),),
            sources=(Source(outlet="X|Y <z>", url="https://e.example/?a=1&b=<2>"),),
        ),
    )
    digest = Digest(route="r", title="T", created_at=datetime.now(UTC), stories=(story,))
    text = _texts(render_digest(digest)[0])
    assert "*A &amp; B &lt;c&gt;*" in text
    assert "Profits &lt;up&gt; &amp; rising" in text
    assert "<https://e.example/?a=1&b=%3C2%3E|X¦Y &lt;z&gt;>" in text
    assert escape("<&>") == "&lt;&amp;&gt;"


def test_big_digest_is_split_within_limits_and_keeps_every_fact() -> None:
    digest = sample_digest(50, facts=10, fact_len=250, sources=12)
    messages = render_digest(digest)
    assert len(messages) > 1
    for message in messages:
        _check_limits(message)
    assert messages[1]["blocks"][0]["text"]["text"] == "Morning news (continued)"
    everything = "\n".join(_texts(m) for m in messages)
    for n in range(50):
        assert f"*Story {n} headline*" in everything
        for i in range(10):
            assert f"Fact {n}.{i} " in everything


def test_one_huge_story_is_split_into_sections() -> None:
    story = sample_story(0, facts=10, fact_len=900)
    digest = Digest(route="r", title="T" * 400, created_at=datetime.now(UTC), stories=(story,))
    messages = render_digest(digest)
    assert len(messages) == 2  # ~9,500 characters: continued in a second message
    for message in messages:
        _check_limits(message)
    assert messages[0]["blocks"][0]["text"]["text"].endswith("…")
    everything = "\n".join(_texts(m) for m in messages)
    assert all(f"Fact 0.{i} " in everything for i in range(10))
    sections = [b for m in messages for b in m["blocks"] if b["type"] == "section"]
    assert len(sections) >= 4


def test_empty_digest_shows_the_note_and_mention() -> None:
    digest = Digest(
        route="r",
        title="T",
        created_at=datetime.now(UTC),
        stories=(),
        note="Quiet day",
        mention="<!here>",
    )
    [message] = render_digest(digest)
    assert "Quiet day" in _texts(message)
    assert "&lt;!here&gt;" in _texts(message)


def test_reply_with_and_without_stories() -> None:
    [plain] = render_reply(CommandReply(text="a <b>\nline 2", ephemeral=True))
    assert plain["blocks"][0]["text"]["text"] == "a &lt;b&gt;\nline 2"
    with_stories = render_reply(
        CommandReply(text="Latest\n2 stories", stories=(sample_story(1), sample_story(2)))
    )
    blocks = with_stories[0]["blocks"]
    assert blocks[0]["type"] == "header" and blocks[0]["text"]["text"] == "Latest"
    assert blocks[1]["text"]["text"] == "2 stories"
