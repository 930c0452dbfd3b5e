"""Pinned floors on our own labelled articles, so attribution quality cannot slide.

Measured when pinned: on articles.json (19 articles, 175 labelled attributions)
precision 0.977, recall 0.971, roles 46/55; on heldout.json (15 articles in other
house styles, 153 labels, written without looking at the rules) precision 0.987,
recall 0.961, roles 29/29, up from 0.782 / 0.725 before the rules were reworked
against it. heldout2.json (15 articles in yet other styles, 156 labels, also written
blind) scored 0.900 / 0.877 blind and 0.987 / 0.994, roles 40/42, after the general
fixes it prompted (articles.json then 0.971 / 0.971, roles 49/55). After the rules were
reworked on real news heldout2.json gives 0.981 / 0.994: the new spurious one is a nested
report ("X told investigators that …, the indictment states") credited to both; articles.json
0.972 / 0.983, roles 50/56; heldout.json 0.993 / 0.967. The floors sit a little below.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from summariser import Article, Summariser
from summariser.evaluation import Score, load_fixtures, score, total


@dataclass(frozen=True)
class Floors:
    precision: float
    recall: float
    roles: float
    min_articles: int
    min_labels: int = 100


# fixture name -> its floors
FLOORS = {
    "articles": Floors(precision=0.95, recall=0.93, roles=0.78, min_articles=15),
    "heldout_articles": Floors(precision=0.96, recall=0.93, roles=0.85, min_articles=12),
    "heldout2_articles": Floors(precision=0.96, recall=0.96, roles=0.88, min_articles=12),
}
BOILERPLATE = ("read more", "sign up", "latest from", "live blog", "subscribe", "share this")


@pytest.fixture(scope="session")
def heldout2_articles() -> list[dict[str, Any]]:
    """A second set labelled before the rules were read, in other styles again."""
    return load_fixtures(Path(__file__).parent / "fixtures" / "heldout2.json")


def _summaries(summariser: Summariser, articles: list[dict[str, Any]]) -> list[Any]:
    items = [Article(id=a["id"], text=a["text"], title=a["title"]) for a in articles]
    return list(summariser.summarise_many(items))


@pytest.mark.parametrize("fixture", sorted(FLOORS))
def test_fixture_set_is_big_enough(fixture: str, request: pytest.FixtureRequest) -> None:
    articles: list[dict[str, Any]] = request.getfixturevalue(fixture)
    assert len(articles) >= FLOORS[fixture].min_articles
    assert sum(len(a["attributions"]) for a in articles) >= FLOORS[fixture].min_labels


@pytest.mark.parametrize("fixture", sorted(FLOORS))
def test_attribution_precision_and_recall_floors(
    fixture: str, request: pytest.FixtureRequest, lexical: Summariser
) -> None:
    articles: list[dict[str, Any]] = request.getfixturevalue(fixture)
    scores: list[Score] = []
    for article, summary in zip(articles, _summaries(lexical, articles), strict=True):
        result, _, _ = score(summary.attributions, article["attributions"])
        scores.append(result)
    overall = total(scores)
    floors = FLOORS[fixture]
    assert overall.precision >= floors.precision, overall
    assert overall.recall >= floors.recall, overall
    assert overall.roles_right / overall.roles_labelled >= floors.roles, overall


def test_facts_are_verbatim_attributed_and_clean(
    articles: list[dict[str, Any]], summariser: Summariser
) -> None:
    for article, summary in zip(articles, _summaries(summariser, articles), strict=True):
        flat = " ".join(article["text"].split())
        assert 1 <= len(summary.facts) <= 5
        for fact in summary.facts:
            assert fact.text in flat, (article["id"], fact.text)
            assert not any(b in fact.text.lower() for b in BOILERPLATE)
            if fact.kind.value != "report":
                assert fact.speaker and fact.speaker.lower() not in {"he", "she", "they", "it"}
        speakers = [f.speaker for f in summary.facts if f.speaker]
        assert len(set(speakers)) >= min(2, len(speakers)), article["id"]
