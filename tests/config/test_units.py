from __future__ import annotations

from datetime import timedelta

import pytest

from bot.config.units import parse_duration, parse_size


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        (90, 90),
        ("45s", 45),
        ("10m", 600),
        ("1h30m", 5400),
        ("2d", 172800),
        ("1.5h", 5400),
        ("250ms", 0.25),
        ("1w", 604800),
        ("30", 30),
    ],
)
def test_durations(text: object, seconds: float) -> None:
    assert parse_duration(text) == timedelta(seconds=seconds)


@pytest.mark.parametrize("text", ["", "soon", "10 q", "-5m", "m10", True, None, "1h-"])
def test_bad_durations(text: object) -> None:
    with pytest.raises(ValueError):
        parse_duration(text)


def test_sizes() -> None:
    assert parse_size("5MB") == 5_000_000
    assert parse_size("512KiB") == 524_288
    assert parse_size(100) == 100
    for bad in ("lots", 0, "-1MB", True):
        with pytest.raises(ValueError):
            parse_size(bad)
