from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from summariser.sentences import join_paragraphs, split_paragraph, split_sentences


def texts(para: str) -> list[str]:
    return [para[s:e] for s, e in split_paragraph(para)]


def test_abbreviations_initials_and_acronyms() -> None:
    para = (
        "Mr. Smith met Gen. Ford and Dr. Li in Washington. George W. Bush was there. "
        "The U.S. Senate voted 51-49. The deal was signed in the U.S. It took effect on Jan. 5."
    )
    assert texts(para) == [
        "Mr. Smith met Gen. Ford and Dr. Li in Washington.",
        "George W. Bush was there.",
        "The U.S. Senate voted 51-49.",
        "The deal was signed in the U.S.",
        "It took effect on Jan. 5.",
    ]


def test_decimals_and_money() -> None:
    assert texts("Growth was 2.5% in May. Shares rose to $4.75 on Friday.") == [
        "Growth was 2.5% in May.",
        "Shares rose to $4.75 on Friday.",
    ]


def test_quotes() -> None:
    para = '"Why?" she asked. "We will stay. We will fight," he said. "No." He left.'
    assert texts(para) == [
        '"Why?" she asked.',
        '"We will stay.',
        'We will fight," he said.',
        '"No."',
        "He left.",
    ]


def test_curly_quotes_and_ellipsis() -> None:
    para = "“We are ready… and we are waiting,” she said. “It is time.” Then she left."
    assert texts(para) == [
        "“We are ready… and we are waiting,” she said.",
        "“It is time.”",
        "Then she left.",
    ]


def test_paragraph_end_is_a_boundary_without_punctuation() -> None:
    sentences = split_sentences(["Officials said the bridge would reopen", "It will. Soon."])
    assert [s.text for s in sentences] == [
        "Officials said the bridge would reopen",
        "It will.",
        "Soon.",
    ]
    assert [s.paragraph for s in sentences] == [0, 1, 1]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.text(alphabet="ab .?!\"'”ABC1", min_size=1, max_size=60), min_size=1, max_size=4)
)
def test_offsets_are_verbatim_and_cover_the_text(paragraphs: list[str]) -> None:
    paragraphs = [" ".join(p.split()) for p in paragraphs if p.strip()]
    joined = join_paragraphs(paragraphs)
    sentences = split_sentences(paragraphs)
    for s in sentences:
        assert joined[s.start : s.end] == s.text
        assert s.text == s.text.strip()
    covered = "".join(s.text for s in sentences).replace(" ", "")
    assert covered == joined.replace(" ", "").replace("\n", "")
