"""``/news`` argument parsing never raises and keeps its promises on any text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.commands.parse import ALIASES, MAX_ARGS, parse_command
from bot.commands.types import CommandRequest

SETTINGS = settings(max_examples=400, deadline=None, database=None)
plain_words = st.text(
    st.characters(
        blacklist_categories=["Cs", "Cc", "Zs", "Zl", "Zp"], blacklist_characters="\"'\\"
    ),
    min_size=1,
    max_size=12,
)


@SETTINGS
@given(st.text(max_size=3000), st.sampled_from(["/news", "/nachrichten", "news"]))
def test_any_text_gives_a_request(text: str, command: str) -> None:
    request = parse_command(text, command=command, platform="slack", user="U1", channel="C1")
    assert isinstance(request, CommandRequest)
    assert request.subcommand and request.subcommand == request.subcommand.lower()
    assert len(request.args) <= MAX_ARGS
    assert all(arg and "\x00" not in arg for arg in request.args)
    assert (request.platform, request.user, request.channel) == ("slack", "U1", "C1")


@SETTINGS
@given(st.lists(plain_words, min_size=1, max_size=25), st.booleans())
def test_plain_words_round_trip(words: list[str], prefixed: bool) -> None:
    text = ("/news " if prefixed else "") + " ".join(words)
    request = parse_command(text)
    head = words[0].lower()
    if head in ("/news", "news"):
        return  # the command name itself, typed twice
    assert request.subcommand == ALIASES.get(head, head)
    assert list(request.args) == words[1 : 1 + MAX_ARGS]


@SETTINGS
@given(st.lists(plain_words, min_size=1, max_size=4))
def test_quoted_phrases_stay_together(words: list[str]) -> None:
    phrase = " ".join(words)
    request = parse_command(f'/news search "{phrase}" 5')
    assert request.subcommand == "search"
    assert request.args == (phrase, "5")
