"""HTML extraction on arbitrary and mutated pages: an article or an ExtractionError."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.errors import ExtractionError
from bot.ingest.extract import Extracted, extract_sync
from tests.fakes.feeds import article_page
from tests.properties.strategies import mutated

PARAGRAPHS = [
    "The harbour authority said on Tuesday that the new breakwater would be finished by "
    "spring, two years later than first planned, after storms damaged the foundations.",
    '"We will not let the town down," said Mayor Ana Ruiz, who has led the council since 2019.',
    "Fishermen say the delay has cost them a second season of repairs and lost catches, "
    "according to a survey by the local cooperative published last month.",
] * 3
PAGE = article_page("Breakwater delayed again", PARAGRAPHS).encode()
SETTINGS = settings(
    max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)


def check(page: str | bytes) -> None:
    try:
        result = extract_sync(page, "https://news.example.org/harbour/1")
    except ExtractionError as exc:
        assert str(exc)
        return
    assert isinstance(result, Extracted)
    assert result.text.strip()
    for value in (result.title, result.author, result.site_name, result.language):
        assert value is None or isinstance(value, str)


@SETTINGS
@given(st.text(max_size=1500))
def test_arbitrary_text(page: str) -> None:
    check(page)


@SETTINGS
@given(st.binary(max_size=1500))
def test_arbitrary_bytes(page: bytes) -> None:
    check(page)


@SETTINGS
@given(mutated(PAGE))
def test_mutated_article_page(page: bytes) -> None:
    check(page)


def test_the_page_extracts() -> None:
    assert "breakwater" in extract_sync(PAGE, "https://news.example.org/harbour/1").text
