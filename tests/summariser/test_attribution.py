"""Who said what, pattern by pattern (the quality gate covers whole articles)."""

from __future__ import annotations

from typing import Any

import pytest

from summariser import Article, Summariser
from summariser.attribution import CUE_FORMS, find_quotes
from summariser.types import Attribution, AttributionKind


def attributions(lexical: Summariser, text: str) -> list[Attribution]:
    return list(lexical.summarise(Article(id="t", text=text)).attributions)


def only(lexical: Summariser, text: str) -> Attribution:
    found = attributions(lexical, text)
    assert len(found) == 1, found
    return found[0]


def test_cue_forms_cover_inflections() -> None:
    for form in ["said", "says", "told", "warned", "denies", "denied", "insisted", "admitted"]:
        assert form in CUE_FORMS
    assert CUE_FORMS["announced"] == "announce"


def test_find_quotes_pairs_straight_and_curly_marks() -> None:
    text = 'He said "we are ready" and “so are they”.\n"A quote that runs on'
    quotes = find_quotes(text)
    assert [q.text for q in quotes] == ["we are ready", "so are they", "A quote that runs on"]


def test_tokenised_clitics_and_decades_open_no_quote() -> None:
    text = "rose will follow mcilroy 's lead . i 'm sure we 're close , as in the '90s ."
    assert find_quotes(text) == []
    assert [q.text for q in find_quotes("she said 'we are ready' on monday .")] == ["we are ready"]


def test_direct_quote_speaker_after(lexical: Summariser) -> None:
    a = only(lexical, '"We will rebuild every house," said Mayor Lena Varga on Monday.')
    assert (a.speaker, a.kind, a.cue) == ("Lena Varga", AttributionKind.DIRECT, "said")
    assert a.content == "We will rebuild every house"
    assert a.speaker_role == "Mayor"


def test_direct_quote_speaker_before(lexical: Summariser) -> None:
    a = only(lexical, 'Coach Anton Bell said: "We played badly and we deserved to lose."')
    assert a.speaker == "Anton Bell"
    assert a.kind is AttributionKind.DIRECT
    assert a.content.startswith("We played badly")


def test_split_quote_is_one_attribution(lexical: Summariser) -> None:
    a = only(lexical, '"This is a good day," Maria Ortiz said, "and there will be more."')
    assert a.speaker == "Maria Ortiz"
    assert a.content == "This is a good day and there will be more."


def test_multi_sentence_and_multi_paragraph_quote(lexical: Summariser) -> None:
    text = (
        'Nurse Grace Obi said: "We worked for twenty hours. Nobody went home.\n'
        '"We would do it again tomorrow."'
    )
    found = attributions(lexical, text)
    assert {a.speaker for a in found} == {"Grace Obi"}
    contents = " ".join(a.content for a in found)
    assert "Nobody went home" in contents and "do it again tomorrow" in contents


@pytest.mark.parametrize(
    "cue",
    ["said", "warned", "claimed", "insisted", "announced", "argued", "admitted", "stressed"],
)
def test_indirect_speech_cue_verbs(lexical: Summariser, cue: str) -> None:
    a = only(lexical, f"Finance Minister Ana Ruiz {cue} that the budget would be balanced by 2027.")
    assert a.speaker == "Ana Ruiz"
    assert a.cue == cue
    assert a.kind is AttributionKind.INDIRECT
    assert a.content == "the budget would be balanced by 2027"
    assert a.speaker_role == "Finance Minister"


def test_pronoun_resolves_to_the_named_person(lexical: Summariser) -> None:
    text = (
        "Senator Ruth Adler spoke to reporters in the capital on Tuesday.\n"
        "She said the bill would pass before the summer recess.\n"
        "He added that talks would continue."
    )
    found = attributions(lexical, text)
    assert [a.speaker for a in found] == ["Ruth Adler"]  # "He" has no antecedent: dropped


def test_nominal_speaker_resolves_to_the_titled_person(lexical: Summariser) -> None:
    text = (
        "Health Minister Karl Weber opened the new hospital wing on Friday.\n"
        "The minister said that waiting lists had fallen by a third."
    )
    a = only(lexical, text)
    assert a.speaker == "Karl Weber"


def test_organisation_and_document_speakers(lexical: Summariser) -> None:
    text = (
        "Taxes will rise next year, according to a statement from the office of "
        "Prime Minister Jonas Berg.\n"
        "The Ministry of Finance said the rise would be temporary."
    )
    found = attributions(lexical, text)
    assert "Jonas Berg" in found[0].speaker and "office" in found[0].speaker
    assert found[1].speaker == "The Ministry of Finance"


def test_according_to_with_apposition_role(lexical: Summariser) -> None:
    a = only(
        lexical,
        "According to analyst Mira Holt, a partner at Delta Research, prices will fall 5%.",
    )
    assert a.speaker == "Mira Holt"
    assert a.speaker_role == "a partner at Delta Research"
    assert a.content.startswith("prices will fall")


def test_negated_cue_is_not_an_attribution(lexical: Summariser) -> None:
    text = "Police chief Omar Diaz did not say whether arrests had been made."
    assert attributions(lexical, text) == []


def test_speaker_is_never_a_bare_pronoun(
    lexical: Summariser, articles: list[dict[str, Any]]
) -> None:
    pronouns = {"he", "she", "they", "it", "we", "i", "you", "him", "her", "them"}
    for article in articles:
        for a in attributions(lexical, article["text"]):
            assert a.speaker.lower() not in pronouns


def test_passive_cue_speaks_only_through_its_agent(lexical: Summariser) -> None:
    told = "The committee was told that the bridge had been closed for safety checks."
    assert attributions(lexical, told) == []
    a = only(lexical, "It was announced by the ministry that 300 new teachers would be hired.")
    assert a.speaker == "the ministry"
    assert "300 new teachers would be hired" in a.content


def test_a_plea_is_not_an_attribution(lexical: Summariser) -> None:
    text = "Tom Reyes, 35, denies three counts of burglary and admitted one count of theft."
    assert attributions(lexical, text) == []


def test_quote_closed_by_question_mark_before_its_speaker(lexical: Summariser) -> None:
    text = (
        'Coach Ada Frey was asked about the result.\n"Did we deserve it? Probably not?" Frey said.'
    )
    a = only(lexical, text)
    assert a.speaker == "Ada Frey"
    assert "Did we deserve it" in a.content


def test_colon_quote_without_cue_verb_needs_a_person(lexical: Summariser) -> None:
    text = 'Mayor Nina Holt was blunt: "We cannot afford this stadium and we will not build it."'
    a = only(lexical, text)
    assert (a.speaker, a.kind) == ("Nina Holt", AttributionKind.DIRECT)
    sign = 'The sign on the door was clear: "No entry after dark for anyone at all."'
    assert attributions(lexical, sign) == []


def test_split_title_and_post_nominal_letters(lexical: Summariser) -> None:
    a = only(
        lexical, "The van was later found abandoned, said Sgt. Rita Vance of the county police."
    )
    assert a.speaker == "Rita Vance"
    b = only(lexical, "Barrister John Fell KC told the jury that the contract had been forged.")
    assert b.speaker == "John Fell"


def test_a_court_hears_but_a_person_who_heard_is_no_source(lexical: Summariser) -> None:
    a = only(lexical, "The driver had drunk six pints before the crash, the court heard.")
    assert a.speaker == "the court"
    assert attributions(lexical, "Neighbours heard that the factory would close.") == []


def test_a_dateline_is_never_the_speaker(lexical: Summariser) -> None:
    a = only(
        lexical,
        "DENVER -- Ridgeline Foods, a maker of frozen pizza, said Tuesday it would close "
        "two plants.",
    )
    assert a.speaker == "Ridgeline Foods"
    b = only(
        lexical, "NAIROBI, Kenya (Wire) — Kenya Power said on Monday that the blackout was over."
    )
    assert b.speaker == "Kenya Power"


@pytest.mark.parametrize(
    ("text", "speaker", "role"),
    [
        (
            "Ruth Adeyemi-Clarke, the charity's director, said demand had doubled.",
            "Ruth Adeyemi-Clarke",
            "the charity's director",
        ),
        (
            "Chief executive Sam O'Brien-Kelly said profits would fall.",
            "Sam O'Brien-Kelly",
            "chief executive",
        ),
        # a title speaks through the name in apposition
        ("The Tánaiste, Niall Breen, said the talks were going well.", "Niall Breen", "Tánaiste"),
        (
            "Nationals MP for Wendell, Rob Kerr, said farmers had been forgotten.",
            "Rob Kerr",
            "Nationals MP for Wendell",
        ),
    ],
)
def test_hyphenated_surnames_and_titled_names_give_speaker_and_role(
    lexical: Summariser, text: str, speaker: str, role: str
) -> None:
    a = only(lexical, text)
    assert (a.speaker, a.speaker_role) == (speaker, role)


def test_quoted_as_saying_speaks_for_the_one_quoted(lexical: Summariser) -> None:
    passive = only(
        lexical,
        "Rovers striker Dan Ojo was quoted by the Gazette as saying that he wanted to stay.",
    )
    active = only(
        lexical,
        "The state broadcaster quoted Defence Minister Ivan Rus as saying the drills would "
        "continue.",
    )
    assert (passive.speaker, active.speaker) == ("Dan Ojo", "Ivan Rus")
    assert active.content == "the drills would continue"


def test_as_per_names_a_source(lexical: Summariser) -> None:
    a = only(lexical, "As per figures from the transport ministry, 1,200 buses run on diesel.")
    assert a.speaker == "the transport ministry"
    assert a.content.startswith("1,200 buses run on diesel")


def test_what_was_not_said_is_no_attribution(lexical: Summariser) -> None:
    assert (
        attributions(lexical, "The board is expected to announce a new chief executive on Friday.")
        == []
    )
    a = only(lexical, "The strike will add to pressure on the government, analysts said.")
    assert a.speaker == "analysts"


def test_a_participle_after_the_speaker_is_not_reported_content(lexical: Summariser) -> None:
    a = only(lexical, "Shoppers questioned outside the store said prices had risen sharply.")
    assert (a.speaker, a.content) == ("Shoppers", "prices had risen sharply")


def test_writing_colon_quote_belongs_to_the_person_in_apposition(lexical: Summariser) -> None:
    text = (
        'Her neighbour, actor Tom Vale, shared a video on Instagram, writing: "Best view in town."'
    )
    a = only(lexical, text)
    assert (a.speaker, a.kind) == ("Tom Vale", AttributionKind.DIRECT)


def test_a_colon_takes_the_next_quotation_only_when_nothing_follows_it(lexical: Summariser) -> None:
    text = (
        "Ida Marsh has found a flat in the town. She has asked for one thing, she says: a window.\n"
        "“I’ll still see the sea,” says Marsh. “It just won’t need me any more.”"
    )
    found = attributions(lexical, text)
    quotes = [a for a in found if "still see the sea" in a.content]
    assert len(quotes) == 1 and quotes[0].kind is AttributionKind.DIRECT
    assert all(a.speaker == "Ida Marsh" for a in found)


def test_a_role_never_runs_back_into_the_quotation(lexical: Summariser) -> None:
    text = (
        "The probe landed on Tuesday. "
        '"While engineers have not yet reached the summit directly, we have found the next '
        'best thing: a ridge of solid ice," lead researcher and planetary scientist '
        "Marta Kessler said."
    )
    a = only(lexical, text)
    assert a.speaker == "Marta Kessler"
    assert a.speaker_role == "lead researcher and planetary scientist"


def test_a_ticker_in_brackets_is_not_part_of_the_name(lexical: Summariser) -> None:
    a = only(lexical, "Halvard (HLV) said the bulk of the charge will come from a new levy.")
    assert (a.speaker, a.speaker_role) == ("Halvard", None)
    b = only(lexical, "Analysts at Brightmoor (BRM) said the shares were undervalued.")
    assert b.speaker == "Analysts at Brightmoor"
    # an embedded post signed "— Name (@handle) date": neither handle nor date is a role
    text = (
        "The launch will be exciting. Will have double the thrust. "
        "— Ada Quill (@adaquill) May 3, 2019\n"
        '"It was great," Quill said.'
    )
    found = attributions(lexical, text)
    assert [(a.speaker, a.speaker_role) for a in found] == [("Ada Quill", None)] * 2


def test_a_quoted_title_is_no_quotation_and_no_speaker(lexical: Summariser) -> None:
    assert (
        attributions(lexical, 'Borrowing from classics like "Moon Patrol," it tells the story.')
        == []
    )
    text = 'Ada Quill, the "Moon Patrol" host, said the show would return next year.'
    a = only(lexical, text)
    assert (a.speaker, a.kind) == ("Ada Quill", AttributionKind.INDIRECT)
    assert a.content == "the show would return next year"
    # a short title-cased quotation a cue or colon introduces is still someone's words
    assert only(lexical, '"Thank You All," Ada Quill said.').kind is AttributionKind.DIRECT
    assert only(lexical, 'Ada Quill said: "Never Again."').kind is AttributionKind.DIRECT


def test_what_a_modal_puts_in_the_future_is_not_said(lexical: Summariser) -> None:
    text = (
        "Tax advisers expect that many other large firms will announce similar one-off "
        "charges on their overseas cash in the coming weeks."
    )
    assert attributions(lexical, text) == []
    text = "The minister may confirm the closures next week, and officials could reveal the cost."
    assert attributions(lexical, text) == []
    a = only(lexical, "We will tell you more tomorrow, the spokesman said.")
    assert (a.speaker, a.cue) == ("the spokesman", "said")


def test_an_epithet_points_back_to_the_person_just_named(lexical: Summariser) -> None:
    text = (
        "Ravi Mendel wants to put cheap internet in every home. The billionaire entrepreneur "
        'has asked regulators to approve a project which he claims "would be like rebuilding '
        'the whole network" from orbit.'
    )
    assert only(lexical, text).speaker == "Ravi Mendel"
    text = "Ravi Mendel arrived on Monday. The tech entrepreneur said the project was on track."
    assert only(lexical, text).speaker == "Ravi Mendel"
    # two people named, neither the article's subject: the description stays a description
    text = (
        "Ravi Mendel met Sarah Collins on Monday. "
        "The billionaire entrepreneur said the project would cost $10 billion."
    )
    assert only(lexical, text).speaker == "The billionaire entrepreneur"


def test_a_thing_claiming_something_is_no_speaker(lexical: Summariser) -> None:
    text = (
        "The scheme involves an email from someone posing as a banker, claiming the recipient "
        "is owed millions of dollars."
    )
    assert attributions(lexical, text) == []
    a = only(lexical, "The ministry issued a statement on Friday, saying the talks had failed.")
    assert a.speaker == "The ministry"
    a = only(lexical, "A zoo visitor filmed the scene, saying the crowd had panicked.")
    assert a.speaker == "zoo visitor"


def test_according_to_inside_a_relative_clause_is_not_the_sentence_source(
    lexical: Summariser,
) -> None:
    text = (
        "The regional council on Tuesday approved a grant of 4 million euros for the harbour "
        "works, which is due to start in March according to the decision."
    )
    assert attributions(lexical, text) == []
    a = only(lexical, "According to the decision, the harbour works will start in March.")
    assert (a.speaker, a.content) == ("the decision", "the harbour works will start in March.")


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        pytest.param(
            "Ivo Marsh, 33, has signed a new deal, and Sam Ode, 24, has extended his contract.\n"
            '"I want to finish my career here," the 33-year-old said.',
            "Ivo Marsh",
            id="age_description_resolves_to_the_person_with_that_age",
        ),
        pytest.param(
            "Senator Paula Grey said the figures showed the scheme was 'a costly failure'.",
            "Paula Grey",
            id="weak_cue_inside_reported_clause_is_not_a_speaker",
        ),
        pytest.param(
            "In a post on X, formerly Twitter, council leader Omar Pike wrote that the park "
            "would stay open.",
            "Omar Pike",
            id="an_aside_before_the_subject_is_not_the_speaker",
        ),
        pytest.param(
            "Greg Lowe, who drives a taxi, called his sister, Ana, after the crash.\n"
            'She told the Courier that he had sounded "badly shaken".',
            "Ana",
            id="a_first_name_in_apposition_is_a_person_with_a_gender",
        ),
    ],
)
def test_the_speaker_resolves_to_the_named_person(
    lexical: Summariser, text: str, speaker: str
) -> None:
    assert only(lexical, text).speaker == speaker


def test_quote_paragraphs_run_together_each_open_a_quotation() -> None:
    text = 'Lena Torp said: "We saw the water rise. "Then the lights went out. "Nobody came.'
    assert [q.text for q in find_quotes(text)] == [
        "We saw the water rise.",
        "Then the lights went out.",
        "Nobody came.",
    ]


def test_a_paragraph_opening_with_a_single_mark_runs_on() -> None:
    text = "'It was the best day of my life,' Rosa Vey said.\n'I can't thank them enough."
    assert [q.text for q in find_quotes(text)] == [
        "It was the best day of my life",
        "I can't thank them enough.",
    ]


def test_quotation_paragraphs_continue_past_a_caption(lexical: Summariser) -> None:
    text = (
        'Farmer Colm Reddy said: "The river came over the wall at midnight.\n'
        "Colm Reddy pictured beside his flooded barn on Tuesday\n"
        '"We lost forty sheep in an hour. "There was nothing we could do."'
    )
    found = attributions(lexical, text)
    assert [a.speaker for a in found] == ["Colm Reddy"] * 3
    assert "nothing we could do" in found[-1].content


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        pytest.param(
            "Dario Velt, 41, was on the ferry when it struck the pier.\n"
            "The father, from Harwick, said passengers were thrown to the floor.",
            "Dario Velt",
            id="a_family_word_points_back",
        ),
        pytest.param(
            "Marta Solano crashed out on lap 30 of her final race.\n"
            '"I will miss this place," Solano told reporters. "It made me."\n'
            "The Chilean driver also said she would race sports cars next year.",
            "Marta Solano",
            id="a_nationality_marks_a_description",
        ),
        pytest.param(
            "Jon Abel finished fourth in the sprint.\n"
            "The Kessler driver admitted the tyres had faded.",
            "Jon Abel",
            id="a_team_name_before_a_description_is_not_the_speaker",
        ),
        pytest.param(
            "President Ilse Marke said in a statement that the search would go on.\n"
            '"Every team is in the field," Lindara\'s president said.',
            "Ilse Marke",
            id="a_possessed_title_points_back_by_role",
        ),
    ],
)
def test_a_description_resolves_to_the_person_named_before(
    lexical: Summariser, text: str, speaker: str
) -> None:
    assert attributions(lexical, text)[-1].speaker == speaker


def test_a_participle_cue_after_a_comma_speaks_for_the_sentence_subject(
    lexical: Summariser,
) -> None:
    text = (
        "The Harbour Board rejected claims that the dredging had anything to do with the "
        'flooding, stating, "The works ended a month before the storm."\n'
        "The statement explained that the channel is dredged every spring."
    )
    found = attributions(lexical, text)
    assert {a.speaker for a in found} == {"The Harbour Board"}
    assert any("dredged every spring" in a.content for a in found)
    quoted = [a for a in found if a.cue == "stating"]
    assert [(a.kind, a.content) for a in quoted] == [
        (AttributionKind.DIRECT, "The works ended a month before the storm.")
    ]
    assert not any("stating" in a.content for a in found)


def test_a_quotation_after_a_participle_cue_is_that_cues(lexical: Summariser) -> None:
    text = (
        "Analyst Rui Mendes estimated that the firm would sell 9,000 bikes, calling the price "
        '"bold but fair."'
    )
    estimate = attributions(lexical, text)[0]
    assert (estimate.kind, estimate.content) == (
        AttributionKind.INDIRECT,
        "the firm would sell 9,000 bikes",
    )


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("Anke von der Wehl said the bloc would respond.", "Anke von der Wehl"),
        ("Luiz Inácio Lula da Silva said he was ready.", "Luiz Inácio Lula da Silva"),
    ],
)
def test_lower_case_particles_stay_inside_a_name(
    lexical: Summariser, text: str, speaker: str
) -> None:
    a = only(lexical, text)
    assert (a.speaker, a.speaker_role) == (speaker, None)


def test_a_business_word_points_back_to_the_company(lexical: Summariser) -> None:
    text = (
        "Veltrix has countered that its future is brighter on its own.\n"
        "The chipmaker says it is close to breaking into new markets."
    )
    assert [a.speaker for a in attributions(lexical, text)] == ["Veltrix", "Veltrix"]


def test_a_name_given_with_a_corporate_suffix_is_a_company(lexical: Summariser) -> None:
    text = (
        "Orbisant Inc. rejected the bid from Kalder on Monday. Kalder chief executive Mina "
        "Tallis said the offer was final. She wants Orbisant for its modem chip division, "
        'an example of what she calls a "franchise" that will last. Orbisant has argued that '
        "regulators would never approve the deal. The chipmaker says it is close to new markets."
    )
    speakers = [a.speaker for a in attributions(lexical, text)]
    assert speakers == ["Mina Tallis", "Mina Tallis", "Orbisant", "Orbisant"]


def test_a_speaker_after_a_trailing_cue_is_the_source(lexical: Summariser) -> None:
    text = (
        "The ferry's owner had twice failed safety checks last year, reported The Coastal Herald."
    )
    a = only(lexical, text)
    assert (a.speaker, a.content) == (
        "The Coastal Herald",
        "The ferry's owner had twice failed safety checks last year",
    )


def test_a_known_surname_the_parser_took_for_an_adverb(lexical: Summariser) -> None:
    text = (
        "Tara Nicely, a ferry passenger who was on deck when the boat hit the pier, described "
        'a chaotic scene in an interview with the Harwick Post, saying: "Everyone ran for the '
        'doors."\n'
        "Nicely said the boat tilted within seconds and water poured in."
    )
    assert [a.speaker for a in attributions(lexical, text)] == ["Tara Nicely", "Tara Nicely"]


def test_a_name_that_takes_the_is_no_person(lexical: Summariser) -> None:
    text = (
        "Lea Brandt told the Courier that the lights went out first.\n"
        "The Courier said the power cut lasted an hour.\n"
        '"We waited in the dark," she said.'
    )
    assert attributions(lexical, text)[-1].speaker == "Lea Brandt"


@pytest.mark.parametrize(
    ("text", "content"),
    [
        (
            "Rektor Ines Falk praised the crews, saying they had made a “brave call.”",
            "they had made a “brave call.”",
        ),
        (
            "Tomas Lind, an economist, spoke on Monday. The new rules 'reflect a harder "
            "line', he said.",
            "The new rules 'reflect a harder line'",
        ),
    ],
)
def test_a_clause_that_opens_a_quotation_keeps_its_closing_mark(
    lexical: Summariser, text: str, content: str
) -> None:
    assert attributions(lexical, text)[-1].content == content


def test_a_described_release_points_back_to_its_issuer(lexical: Summariser) -> None:
    text = (
        "The pier was closed at noon, according to a news release from the harbour board.\n"
        "Ferries would run from the north quay until further notice, the news release stated."
    )
    assert [a.speaker for a in attributions(lexical, text)] == ["the harbour board"] * 2


def test_a_business_said_to_be_based_somewhere_points_back(lexical: Summariser) -> None:
    text = (
        "Corvane said its offer stood whatever happened to the rival bid. European regulators "
        "said they had approved the merger.\n"
        'The Oslo-based firm said it was prepared to pay a "significant" fee.'
    )
    assert attributions(lexical, text)[-1].speaker == "Corvane"


def test_a_narrated_thought_is_no_attribution(lexical: Summariser) -> None:
    text = "Mara Linde thought her new heater had broken the meter, because the bill was huge."
    assert attributions(lexical, text) == []


def test_a_scholarly_epithet_points_back(lexical: Summariser) -> None:
    text = (
        "Helen Marsh, a radio astronomer at Tellen University, has worked with the team since "
        "2019.\n"
        '"There is goodwill on both sides," the scientist said.'
    )
    assert only(lexical, text).speaker == "Helen Marsh"


def test_a_name_a_description_of_a_person_follows_is_a_person(lexical: Summariser) -> None:
    text = (
        "Ilse Varga, a radio astronomer at Tellen University, has worked with the team since "
        "2019.\n"
        '"There is goodwill on both sides," the scientist said.'
    )
    a = only(lexical, text)
    assert (a.speaker, a.speaker_role) == ("Ilse Varga", "a radio astronomer at Tellen University")


def test_a_pronoun_the_tagger_took_for_a_name_never_speaks(lexical: Summariser) -> None:
    text = (
        "Ana Ruiz said that the bridge will reopen in May. Said She, the bridge will reopen "
        'in May. "The bridge will reopen in May," They said.'
    )
    assert [a.speaker for a in attributions(lexical, text)] == ["Ana Ruiz"]


def test_an_acronym_that_spells_a_pronoun_is_a_speaker(lexical: Summariser) -> None:
    text = "The WHO said it would review the data before making any recommendation."
    assert only(lexical, text).speaker == "WHO"


def test_they_points_to_a_group_named_in_the_same_sentence(lexical: Summariser) -> None:
    text = (
        "The pier was shut for an hour, according to the Harbour Gazette. While harbour "
        "officials are still investigating, they said the crane had failed."
    )
    assert attributions(lexical, text)[-1].speaker == "harbour officials"


def test_a_family_name_written_first_resolves_to_the_full_name(lexical: Summariser) -> None:
    text = (
        "Senior Colonel Wen Haolin was answering questions on Thursday.\n"
        'Wen said that "conflict cannot be the answer".'
    )
    assert attributions(lexical, text)[-1].speaker == "Wen Haolin"


def test_the_former_leader_points_back(lexical: Summariser) -> None:
    text = (
        "One of the crew was the cousin of ex-President Marta Quiroga, the former leader said "
        "on her Twitter account."
    )
    assert only(lexical, text).speaker == "Marta Quiroga"


def test_an_embedded_post_is_its_authors_words(lexical: Summariser) -> None:
    text = (
        "The launch has been teased for weeks.\n"
        "The rocket flies next month from the old pad. Guaranteed to be loud, one way or "
        "another. — Ravi Okoro (@ravi_okoro) December 2, 2025\n"
        "Harbour news in your inbox https://t.co/abc123 — Harbour Gazette (@hgazette) "
        "December 3, 2025"
    )
    a = only(lexical, text)
    assert (a.speaker, a.kind, a.cue) == ("Ravi Okoro", AttributionKind.DIRECT, "posted")
    assert a.content.endswith("one way or another.")


def test_what_a_thing_shows_is_no_ones_words(lexical: Summariser) -> None:
    text = (
        "A cache of messages sent to the brokers, obtained by the Harbour Gazette, reveal that "
        '"67 messages were sent from staff accounts".'
    )
    assert attributions(lexical, text) == []


@pytest.mark.parametrize(
    ("text", "speakers"),
    [
        (
            "Twitter / @harbourwatch Pier managers insisted the railings were safe.",
            ["Pier managers"],
        ),
        ("Lena Ode/AP said the rules were clear.", []),
    ],
)
def test_a_picture_credit_is_never_part_of_a_speaker(
    lexical: Summariser, text: str, speakers: list[str]
) -> None:
    assert [a.speaker for a in attributions(lexical, text)] == speakers


def test_a_name_never_ends_in_a_conjunction() -> None:
    from summariser.attribution import _clean_name

    assert _clean_name("the Tellen Zoo and") == "the Tellen Zoo"


def test_of_two_clauses_the_one_after_the_cue_is_reported(lexical: Summariser) -> None:
    text = "But one thing's for certain already: Okoro says next month's launch will be \"loud.\""
    assert only(lexical, text).content == 'next month\'s launch will be "loud."'


def test_the_one_prompted_to_say_it_is_the_speaker(lexical: Summariser) -> None:
    text = "That prompted the Lindaran envoy to say the vote would make 2026 a year of renewal."
    assert only(lexical, text).speaker == "the Lindaran envoy"


def test_a_quotation_after_a_persons_reported_speech_is_theirs(lexical: Summariser) -> None:
    text = (
        "Colonel Wen Haolin spoke on Thursday. Wen said the country's position had not "
        'changed. "We are determined to keep the peace and to talk."'
    )
    found = attributions(lexical, text)
    assert [a.speaker for a in found] == ["Wen Haolin", "Wen Haolin"]
    assert found[-1].kind is AttributionKind.DIRECT


def test_a_role_opening_the_sentence_is_written_in_lower_case(lexical: Summariser) -> None:
    a = only(lexical, "Former harbour master Ivo Sand said the pier was unsafe.")
    assert (a.speaker, a.speaker_role) == ("Ivo Sand", "former harbour master")


def test_they_never_points_into_what_they_said(lexical: Summariser) -> None:
    text = (
        "Ms. Varga and Mr. Ollen rejected the claim that they had hidden anything. The trust "
        "gave a useful service to firms whose directors might live abroad, they said."
    )
    said = [a for a in attributions(lexical, text) if "useful service" in a.content]
    assert [a.speaker for a in said] == ["Varga and Ollen"]


def test_they_points_to_a_group_not_to_a_nationality_modifying_a_noun(
    lexical: Summariser,
) -> None:
    text = (
        "Once the lawyers were informed of his identity by a Danish bank, they ran a check and "
        'concluded that taking him on would be "too risky."'
    )
    assert only(lexical, text).speaker == "the lawyers"


def test_what_someone_is_asked_to_say_is_not_said(lexical: Summariser) -> None:
    text = (
        "Walkers are being encouraged to report what they saw to the coastguard. "
        "Residents were urged to report any damage to the council. "
        "The mayor was forced to admit that the budget had failed."
    )
    assert [a.speaker for a in attributions(lexical, text)] == ["The mayor"]


def test_an_outlet_named_with_a_number_word_speaks(lexical: Summariser) -> None:
    text = "'Both men were seen leaving the studio after midnight,' Page Nine wrote."
    assert only(lexical, text).speaker == "Page Nine"


def test_the_publication_is_the_outlet_last_quoted(lexical: Summariser) -> None:
    text = (
        "'The footage shows the pair arguing in the car park,' the Westbrook Courier wrote.\n"
        "The publication reported that the clip had been filmed on a phone."
    )
    assert [a.speaker for a in attributions(lexical, text)] == ["the Westbrook Courier"] * 2


def test_what_someone_said_as_a_thing_reports_nothing(lexical: Summariser) -> None:
    text = "All we know about the refund scheme is what Mr. Okafor said in his column."
    assert attributions(lexical, text) == []


def test_an_honorific_between_role_and_name_is_no_part_of_the_role(
    lexical: Summariser,
) -> None:
    a = only(lexical, "Club doctor Dr Piet Vermaat said the striker would be out for a month.")
    assert (a.speaker, a.speaker_role) == ("Piet Vermaat", "club doctor")


def test_the_french_paper_is_the_french_outlet_last_quoted(lexical: Summariser) -> None:
    text = (
        "The minister's aides built an offshore network, according to Le Monde newspaper.\n"
        "The network was wound up in 2012, the French paper said."
    )
    assert [a.speaker for a in attributions(lexical, text)] == ["Le Monde newspaper"] * 2


def test_a_stretch_of_time_is_never_the_speaker(lexical: Summariser) -> None:
    text = (
        "The bank is already struggling after it waited at least a month to disclose to "
        "customers that the attack had exposed their account numbers."
    )
    assert all("month" not in a.speaker for a in attributions(lexical, text))


def test_a_mood_before_a_name_is_no_role(lexical: Summariser) -> None:
    a = only(lexical, "'This is just mad,' said a furious Nils Ekberg over the team radio.")
    assert (a.speaker, a.speaker_role) == ("Nils Ekberg", None)


def test_words_of_the_quotation_are_never_the_speakers_role(lexical: Summariser) -> None:
    text = '"This is just bad, just stupid," Ekberg, who had spun off on lap 10, exclaimed.'
    assert (only(lexical, text).speaker, only(lexical, text).speaker_role) == ("Ekberg", None)


def test_a_relative_clause_tells_a_story_and_is_no_part_of_the_role(
    lexical: Summariser,
) -> None:
    text = (
        "Oren Talmi, another former harbour master, who served a short and unhappy term "
        "as port director, said the pier was unsafe."
    )
    a = only(lexical, text)
    assert (a.speaker, a.speaker_role) == ("Oren Talmi", "another former harbour master")


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("The Harris administration said the tariffs would stay.", "The Harris administration"),
        ("The Okafor campaign said the advert was false.", "The Okafor campaign"),
    ],
)
def test_a_body_named_after_a_person_is_not_that_person(
    lexical: Summariser, text: str, speaker: str
) -> None:
    assert only(lexical, text).speaker == speaker


def test_a_clause_closed_by_a_semicolon_is_not_what_the_next_cue_reports(
    lexical: Summariser,
) -> None:
    text = (
        "Most experts view the scheme as a waste of money; the Harris government has "
        'described it as "vital."'
    )
    a = only(lexical, text)
    assert (a.speaker, a.content) == ("the Harris government", 'it as "vital."')


def test_a_quoted_name_for_a_thing_is_no_one_s_words(lexical: Summariser) -> None:
    text = (
        "This effect was predicted by Okafor's theory of tides, and the rings of foam that "
        "form are known as “Okafor rings”."
    )
    assert all("rings" not in a.content for a in attributions(lexical, text))


def test_adding_a_thing_is_not_speech(lexical: Summariser) -> None:
    text = (
        "The Gulls led 20-0 at half-time. Okoro added a 10-yard TD run late in the third "
        "quarter and rookie Ben Sato made it 34-6.\nThe app adds another step of processing "
        "between the photons that reach the sensor and the final picture."
    )
    assert attributions(lexical, text) == []


def test_two_titles_joined_before_a_name_are_one_persons(lexical: Summariser) -> None:
    text = (
        "'This is clearly a disappointing event for our company,' said company chairman "
        "and chief executive Richard Smith."
    )
    a = only(lexical, text)
    assert (a.speaker, a.speaker_role) == ("Richard Smith", "company chairman")


def test_a_clause_hung_on_the_statement_is_what_was_said(lexical: Summariser) -> None:
    text = "The lender said in a statement it learned of the breach on July 29."
    assert only(lexical, text).content == "it learned of the breach on July 29"


def test_describing_or_identifying_as_is_a_claim_quoted_or_not(lexical: Summariser) -> None:
    text = (
        "Ana Duarte, head of civil aviation, identified the pilot as Rui Sal and described "
        "him as very experienced.\nResearchers identified a new species of frog in the valley."
    )
    found = attributions(lexical, text)
    assert [(a.speaker, a.cue) for a in found] == [
        ("Ana Duarte", "identified"),
        ("Ana Duarte", "described"),
    ]
    assert found[1].content == "him as very experienced"


def test_a_persons_voice_speaks_for_them(lexical: Summariser) -> None:
    text = "At last the pilot’s voice came over the intercom and announced that the gull had left."
    assert only(lexical, text).speaker == "the pilot"


def test_a_pronoun_before_what_it_said_may_point_inside_the_sentence(
    lexical: Summariser,
) -> None:
    text = (
        "Officials called an emergency meeting of the National Security Council (NSC).\n"
        "The launch came about a month after the DPRK tested what it claimed to be its "
        "first hydrogen bomb."
    )
    assert {a.speaker for a in attributions(lexical, text)} <= {"DPRK"}


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "Several of the passengers said the driver had been speeding.",
            "Several of the passengers",
        ),
        (
            "Some of Halden’s rivals have also estimated one-time hits to their earnings.",
            "Some of Halden’s rivals",
        ),
    ],
)
def test_part_of_a_group_speaks(lexical: Summariser, text: str, speaker: str) -> None:
    assert only(lexical, text).speaker == speaker


def test_expressing_concern_is_a_stance_but_a_thing_expresses_nothing(
    lexical: Summariser,
) -> None:
    text = (
        "But some major Varslander manufacturers have expressed concerns about the deal.\n"
        "The statements were found by the court to be expressing hatred toward the judges."
    )
    found = attributions(lexical, text)
    assert [(a.speaker, a.content) for a in found] == [
        ("some major Varslander manufacturers", "concerns about the deal")
    ]


def test_a_sentence_the_parser_read_as_a_noun_phrase_still_has_its_speaker(
    lexical: Summariser,
) -> None:
    text = (
        "Halden’s own bank analysts estimated on Dec. 18 that in the long run, big banks’ "
        "per-share earnings would increase by 13 percent."
    )
    assert only(lexical, text).speaker == "Halden’s own bank analysts"


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        pytest.param(
            (
                "Veltrix said hackers had reached its servers. Veltrix shares fell 13 "
                "per cent on the news, Market Wire noted.\nThe company said that more "
                "than 200,000 card numbers were taken."
            ),
            "Veltrix",
            id="the_company_is_the_body_the_story_is_about_not_an_outlet_it_cited",
        ),
        pytest.param(
            (
                "The Delta spokesman described the time as “shortly after "
                "takeoff.”\nFor Brian Buonassissi, a traveling DJ, it felt as if they’d "
                "been flying for an hour before the captain came back on the intercom "
                "and said: “The gull is back.”"
            ),
            "the captain",
            id="a_cue_joined_to_the_verb_before_and_goes_with_its_subject",
        ),
        pytest.param(
            (
                "Qualcomm’s management has argued that the approach is opportunistic. "
                "Qualcomm reported a 96 percent drop in operating income last "
                "week.\nFor Mr. Tan, who built Broadcom over a decade, Qualcomm’s "
                "problems are ones that he and his team can fix.\n“We have a lot of "
                "respect for the tech,” he said."
            ),
            "Tan",
            id="a_name_said_to_have_a_board_or_a_which_is_a_body",
        ),
        pytest.param(
            (
                "Bills will fall, the regulator Ofgrid announced. Ofgrid said the cap "
                "reflects cheaper gas. Ofgrid's chief executive was pleased.\nThe "
                "largest supplier, Britpower, said it would pass the cut on.\nThe "
                "company added that it was writing to all its customers."
            ),
            "Britpower",
            id="the_company_is_the_one_just_named_however_often_another_was",
        ),
        pytest.param(
            (
                "On Sunday, South Korean authorities announced the tanker was being "
                "held at the port.\nChosun Ilbo said the tanker belongs to a company in "
                "Dalian. The newspaper said the ship was registered in Malaysia until "
                "mid-2017."
            ),
            "Chosun Ilbo",
            id="the_newspaper_may_be_a_name_the_tagger_took_for_a_persons",
        ),
    ],
)
def test_who_a_later_reference_points_to(lexical: Summariser, text: str, speaker: str) -> None:
    assert attributions(lexical, text)[-1].speaker == speaker
