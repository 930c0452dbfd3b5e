"""Whatever the file holds, the loader returns a Config or a ConfigError whose every
line has the FILE:LINE: key: message shape — never another exception."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.config import Config, parse_config
from bot.errors import ConfigError

LINE = re.compile(r"^cfg\.yaml:\d+: \S.*: .+$")

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-10, 10**6),
    st.text(max_size=20),
    st.sampled_from(["15m", "0 8 * * *", "https://x.example/rss", "${HOME}", "${NOPE}", "UTC"]),
)
keys = st.sampled_from(
    [
        "database",
        "feeds",
        "routes",
        "name",
        "url",
        "interval",
        "platform",
        "schedule",
        "timezone",
        "channel",
        "tags",
        "slack",
        "discord",
        "token",
        "mode",
        "summariser",
        "x",
    ]
)
documents = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=5)),
    max_leaves=25,
)


def check(text: str) -> None:
    try:
        config = parse_config(text, Path("cfg.yaml"), {"HOME": "/home/x"})
    except ConfigError as exc:
        assert exc.problems
        for problem in exc.problems:
            assert LINE.match(problem), problem
    else:
        assert isinstance(config, Config)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_structured_documents(document: object) -> None:
    check(yaml.safe_dump(document))


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_text(text: str) -> None:
    check(text)
