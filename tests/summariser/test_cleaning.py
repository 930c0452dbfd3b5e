from __future__ import annotations

from typing import Any

import pytest

from summariser.cleaning import boilerplate_reason, clean


@pytest.mark.parametrize(
    "line",
    [
        "READ MORE: Minister quits after row",
        "READ MORE SUN STORIES",
        "Read our election live blog for every result as it comes in",
        "🔴 Read our live blog for minute-by-minute coverage",
        "➡️ Follow us on Facebook",
        "latest from europe",
        "Sign up to our free morning newsletter",
        "Get the best stories delivered to your inbox - subscribe for free",
        "We use cookies to improve your experience. By continuing you accept our cookie policy.",
        "Share this article",
        "SHARE | TWEET | EMAIL",
        "Subscribe now for unlimited access",
        "Read her other columns and follow her reports on Twitter @janedoe.",
        "Sorry, this zipcode is not in our deliverable area for this subscription service.",
        "Re-enter zip code or sign up for digital access.",
        "Categories Categories Select Category Local News Sport Weather",
        "Media playback is unsupported on your device Media caption The ferry left at dawn.",
        "Image copyright Harbour Press Image caption Ola Berg said the crossing was rough.",
        "Courier Email Enter your email address Please enter an email address Email address is "
        "invalid",
        "This article is only available to subscribers",
        "Advertisement",
        "When did the talks begin?",
        "What has been said so far?",
        "The road to recovery",
        "By Jane Smith and Tom Brown",
        "By Anna Kowalski, Political Editor",
        "Published: 10:32, 28 February 2022",
        "Photo: Crowds gather in the square (Reuters)",
        "Firefighters at the scene on Monday | Getty Images",
        "Image: The museum at night (Alamy)",
        "Reporting by Ola Nordmann; Editing by John Doe",
        "TOP STORIES",
        "Copyright © 2026 Example Media",
        "Photos: The harbour strike Dockworkers leave the main gate at dawn on Tuesday, "
        "carrying banners and flags as the first ships turn back from the port entrance.",
        "Crowds line the quay as the ferry arrives for the last time. Hide Caption 4 of 12",
        "Ten ferries ranked Express Travel ranks the best crossings Play slideshow 1 of 10",
        "GETTY Ferry captain Ola Berg steers through the storm on Friday",
        "Getty - Contributor Harbour Board revealed the pier had failed two inspections",
        "SWNS • PA Dana Vey survived the ferry crash which left three hurt",
        "A photo released by the coastguard shows the ferry listing near the harbour mouth.",
        "In this March 3, 2026 photo, dockworkers leave the main gate at dawn.",
        "FILE - In this Dec. 13, 2025, file photo, the port authority's logo hangs over the gate.",
        "In this Friday, Dec. 29, 2025, file photo, a ferry leaves the harbour at dusk.",
        "This undated handout picture shows the ferry's engine room after the fire.",
    ],
)
def test_boilerplate_is_dropped(line: str) -> None:
    assert boilerplate_reason(line) is not None


@pytest.mark.parametrize(
    "line",
    [
        "AFTER a week of explosions, the two sides agreed to talk.",
        "The union said it would sign up new members at the rally.",
        '"Why would we stop now?" she asked.',
        "Officials said the bridge would reopen in May",  # a paragraph without final punctuation
        "NATO leaders met in Brussels on Tuesday to discuss the war.",
        "EPA Administrator Lena Horvat said the rules would change in May.",
        "The U.S. and the EU imposed sanctions on Friday.",
        "The photos: taken on Monday, they show the bridge cracked in three places.",
        "Fans follow him everywhere, and his Instagram account has 2 million followers.",
        "Residents were asked to enter their zip code on the council's website.",
        "A photographer was injured when the crowd surged towards the stage.",
        "PAUL Berg, the ferry's captain, said the crossing would resume on Monday.",
        "This year the photo competition drew 4,000 entries from 30 countries.",
    ],
)
def test_article_text_is_kept(line: str) -> None:
    assert boilerplate_reason(line) is None


def test_clean_drops_fixture_boilerplate(articles: list[dict[str, Any]]) -> None:
    for article in articles:
        kept = clean(article["text"]).paragraphs
        for line in article["dropped"]:
            assert line not in kept, (article["id"], line)
        assert len(kept) >= 8, article["id"]


def test_inline_photo_credit_is_removed() -> None:
    cleaned = clean("Crowds filled the square on Sunday evening. (Image: Reuters)\n")
    assert cleaned.paragraphs == ("Crowds filled the square on Sunday evening.",)


@pytest.mark.parametrize(
    ("line", "kept"),
    [
        ("VELMORA (Wire) — Dockworkers walked out at dawn.", "Dockworkers walked out at dawn."),
        ("BERLIN, Nov 3 (Reuters) - The bank cut rates.", "The bank cut rates."),
        ("(AP) — Officials reported a sixth case.", "Officials reported a sixth case."),
        ("NEW YORK — The index closed higher on Friday.", "The index closed higher on Friday."),
        ("PORT LOUIS, Costa Verde - Rescuers found the boat.", "Rescuers found the boat."),
        ("- Retiring early takes discipline.", "Retiring early takes discipline."),
        ("• Fares will rise in January.", "Fares will rise in January."),
        ("AFTER a week of talks, both sides agreed.", "AFTER a week of talks, both sides agreed."),
        ("COVID-19 cases rose by a tenth in March.", "COVID-19 cases rose by a tenth in March."),
    ],
)
def test_datelines_and_bullets_are_trimmed(line: str, kept: str) -> None:
    assert clean(line).paragraphs == (kept,)


def test_a_dateline_is_trimmed_from_the_first_paragraph_only() -> None:
    text = "OSLO — The fund sold its last coal shares.\nNATO — the alliance — met on Tuesday."
    assert clean(text).paragraphs == (
        "The fund sold its last coal shares.",
        "NATO — the alliance — met on Tuesday.",
    )


@pytest.mark.parametrize(
    "line",
    [
        "Glowing: The actress waved to fans outside the premiere in Leicester Square on Monday",
        "Not impressed: One viewer wrote that the finale had been rushed and confusing",
        "Review: Saltmarsh's second album gets lost between folk, pop and a long tour diary",
    ],
)
def test_a_labelled_caption_without_a_full_stop_is_dropped(line: str) -> None:
    assert clean(line).paragraphs == ()
    assert clean(line).dropped == ((line, "caption/credit"),)


def test_a_labelled_paragraph_that_ends_its_sentence_is_kept() -> None:
    line = "Update: The council said the coast road would reopen at noon on Friday."
    assert clean(line).paragraphs == (line,)


def test_an_agency_dateline_after_the_highlights_is_trimmed() -> None:
    text = (
        "Highlights: the harbour reopens\n"
        "Port Elwin, Tasmania (AP) — Ferries resumed sailing on Monday after the storm."
    )
    assert clean(text).paragraphs[-1] == "Ferries resumed sailing on Monday after the storm."


def test_a_name_with_a_bracket_inside_a_sentence_is_not_a_dateline() -> None:
    line = "Later on, Ivo Sand (AP) said the pier was unsafe."
    assert clean(f"First.\n{line}").paragraphs == ("First.", line)


@pytest.mark.parametrize(
    "line", ["Harbour Board Confirms Another 'Safety Lapse'", "“Five Minutes In, We Were Hooked”"]
)
def test_a_title_case_line_closed_by_a_quotation_mark_is_a_heading(line: str) -> None:
    assert clean(line).dropped == ((line, "sub-head"),)


def test_a_short_sentence_with_names_and_a_full_stop_is_kept() -> None:
    line = "Maria Lopez Joined Harbour Board In 2019."
    assert clean(line).paragraphs == (line,)


def test_a_quoted_sub_head_in_title_case_is_a_heading() -> None:
    line = "“The Schedule Was So Horrible”"
    assert clean(line).dropped == ((line, "sub-head"),)


def test_the_headlines_after_read_more_are_other_stories() -> None:
    text = (
        "The gull was set free, the spokesman wrote.\n"
        "Read more:\n"
        "Ferry operator apologises after passengers say cabins left them ‘covered in bites’\n"
        "A man got a middle seat on a long flight. Passengers filmed his rage, then arrest.\n"
    )
    assert clean(text).paragraphs == ("The gull was set free, the spokesman wrote.",)
