from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.commands.parse import parse_command
from bot.commands.types import SUBCOMMANDS


def test_full_and_bare_forms() -> None:
    for text in ("/news latest ukraine 5", "latest ukraine 5", "  LATEST   ukraine 5 "):
        request = parse_command(text, platform="slack", user="U1", channel="C1")
        assert request.subcommand == "latest"
        assert request.args == ("ukraine", "5")
        assert (request.platform, request.user, request.channel) == ("slack", "U1", "C1")


def test_quotes_aliases_and_empty() -> None:
    assert parse_command('search "central bank" rates').args == ("central bank", "rates")
    assert parse_command('search "unbalanced').args == ("unbalanced",)
    assert parse_command("summarize https://x.example").subcommand == "summarise"
    assert parse_command("").subcommand == "help"
    assert parse_command("/news").subcommand == "help"
    assert parse_command("frobnicate now").subcommand == "frobnicate"


@given(st.text(max_size=3000))
def test_any_text_parses(text: str) -> None:
    request = parse_command(text)
    assert request.subcommand
    assert len(request.args) <= 20
    assert request.subcommand in SUBCOMMANDS or request.subcommand == request.subcommand.lower()
