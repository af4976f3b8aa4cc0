"""The anonymisation guard: identifiers are caught, reflective writing is left alone."""

import html
import re
from datetime import date

import pytest
from markupsafe import Markup
from wtforms import Form, StringField

from learning_hub.cases.guard import KINDS, Finding, NoIdentifiers, highlight, scan, suggest

THIS_YEAR = date.today().year


def _slug(sentence: str) -> str:
    return re.sub(r"\W+", "-", sentence[:48]).strip("-").lower()


# Practitioners' notes about anonymised people: none of these identifies anyone.
CLEAN = [
    "He missed the Monday appointment because the bus from the hostel was cancelled.",
    "She said Mondays are hard since she signs on at the Jobcentre.",
    "I felt relief when he cancelled, and then guilt.",
    "We agreed texts rather than letters; letters feel like threats to her.",
    "Will he come if we meet at the library instead?",
    "May is usually a hard month for her because of an anniversary.",
    "The person reached out on 12 March after three weeks of silence.",
    "Grace and patience were what the team needed that week.",
    "Probation sent a warning letter on the 4th.",
    "He has been sporadic since moving to the new flat.",
    "She has had 3 missed appointments since the start of the month.",
    "He came to 2 of 5 sessions, which is more than last time.",
    "The food bank gave him a voucher worth £40.",
    "We met at 10:30 in Room 4 because the interview room was booked.",
    "Case C-7K3F was discussed in supervision.",
    "He is in his 30s and has never had a tenancy in his own name.",
    "She is aged 45 and has been sofa-surfing for a year.",
    "“I just want someone to listen,” she said.",
    "Things that helped: a warm room, tea, and no forms.",
    "Things that did not help: the waiting, the noise, the questions.",
    "The person asked whether Universal Credit would be cut if she took the job.",
    "Housing Options told him to come back on Tuesday 4th.",
    "He said St Mungo's had offered a bed for two nights.",
    "The GP practice would not register him without proof of address.",
    "She waited six hours in A&E and then left before being seen.",
    "I suggested Mind and Shelter as places to get advice.",
    "He calls the Samaritans when the nights are long.",
    "The NHS letter was in a pile of unopened post.",
    "I noticed I was talking more than listening in the second half.",
    "Next time I will ask what a good week would look like for him.",
    "She laughed for the first time in our 6 meetings.",
    "On reflection, I rushed the safety plan.",
    "We talked about the 12-step meeting he used to go to.",
    "He walked 3 miles to get to the appointment because he had no fare.",
    "In 2024 he was evicted twice; this year has been steadier.",
    "The rent arrears are about £1,200 and growing.",
    "Mark my words, she said, they will not help me.",
    "Frank conversations about money are still difficult for him.",
    "Joy was not something she expected to feel at the hearing.",
    "Hope is a strange word to use, but it fits this week.",
    "June was quieter, and he kept every appointment.",
    "By August the arrears had been cleared.",
    "April brought the first tenancy review.",
    "Faith matters to him; the mosque has been a steady place.",
    "She went to church on Sunday and found it calming.",
    "He is worried about Christmas because it is when things went wrong before.",
    "Universal Credit paid late again, so the rent was short.",
    "Probation moved his appointment to Thursday without telling him.",
    "The Jobcentre work coach was kind, which surprised him.",
    "We used the interpreter line for the first 20 minutes.",
    "The person did not want a referral to the Community Mental Health Team.",
    "He said the hostel curfew is 11pm and he was 5 minutes late.",
    "Her benefit sanction lasted 4 weeks.",
    "I asked open questions and let the silences sit.",
    "He said that the council had 'lost the form again'.",
    "The key worker and I agreed to meet every other Wednesday.",
    "She sleeps better since the heating was fixed in the new flat.",
    "He had three warnings from the landlord in two months.",
    "We practised what to say at the housing appointment.",
    "I am not sure I was clear about what I can and cannot share.",
    "He smiled when I remembered the name of his dog.",
    "Black mould in the bathroom has made her cough worse.",
    "White lies about where he slept seem to protect his pride.",
    "Young people in the hostel keep him awake at night.",
    "Brown envelopes make her panic, so we open them together.",
    "Hill walking used to be his way of coping.",
    "Summer is when he usually sleeps rough.",
    "Dawn is the worst time for her, she says.",
    "Miles from anywhere, the new placement feels isolating to him.",
    "Bill payments are now set up by direct debit.",
    "Chase the landlord about the repairs before Friday.",
    "She wants to go back to college in September.",
    "He said the police took 40 minutes to arrive.",
    "We filled in 2 pages of the PIP form together.",
    "He owes £250 to a friend and feels ashamed.",
    "Score: 7 out of 10 for how safe she feels at home.",
    "I checked in with my supervisor at 4:15 about the risk.",
    "He has been on the waiting list since 2019.",
    "Ward 7 discharged him without a plan.",
    "She has 2 Crown Court dates coming up.",
    "He took the 38 bus to the day centre.",
    "Her phone was cut off, so she could not ring us.",
    "Attendance: 4/6 sessions this quarter.",
    "She used the word 'hopeless' 5 times.",
    "The person said: Will anyone actually read this?",
    "We met on Tuesday 4th at 2pm by the river.",
    "She has been sober for 18 months, a record for her.",
    "Quotes from the session: 'I'm tired of telling my story.'",
    "- Will he turn up to the next one?\n- May we move the meeting?",
    "He was referred by the Housing Options team at 9:15.",
    "The person is Polish and prefers to speak English in sessions.",
    "He said Crisis at Christmas was the only place that felt safe.",
    "Her daughter turns 16 next month.",
    f"The tenancy review is on 14/05/{THIS_YEAR}.",
    f"He was discharged on 3 February {THIS_YEAR - 1} with no follow-up.",
    f"The last review was on {THIS_YEAR - 1}-11-02 and went well.",
    "He called 3 times and left 2 voicemails.",
    "Marks and Spencer vouchers were a nice surprise for her.",
    "He used to work at John Lewis before the accident.",
    "She was taken to St Thomas' Hospital after the fall.",
    "He sleeps near Victoria Station most nights.",
    "Miss Tuesday and you lose the room, he was told.",
    "Between 9 and 5 she is at the day centre.",
    "Flat hunting has worn him out.",
    "M6 traffic made me 20 minutes late, which I named at the start.",
    "She has a 2nd appointment at the clinic on the 3rd.",
    "He was in Year 9 when he first ran away.",
    "Sessions in 2025-2026: 14 booked, 11 attended.",
    "The review moved from April to June because of the strike.",
    "He gets paid at the end of May, so the arrears should drop.",
    "She shops at the market near Wood Green on Saturdays.",
    "We watched the King's Speech together in the day room.",
    "The sermon on Faith and Hope made her cry.",
    "She talked about how Grace, at church, meant being forgiven.",
    "She moved here from Jordan as a refugee.",
    "He sleeps near the Victoria line station when it rains.",
    "Precious little has changed since the review.",
    "Blessing or curse, the new flat is hers.",
    "Notes:\n- Precious little sleep this week.\n- Rent paid.",
    "He stayed at Harrison House for a month after discharge.",
    "Stuck on the m6 2nd time this month, so I rang ahead.",
    "Weeks 1 2 3 4 5 6 7 8 9 10 were all attended.",
    "Scores over the year: 3 4 4 5 6 6 7 7 8 9.",
    f"The tenancy ran 01.02.{THIS_YEAR - 1} - 01.03.{THIS_YEAR} without trouble.",
    "In 2019 2020 2021 he was homeless, on and off.",
    "The council's budget gap is £2 500 000 000, the paper says.",
    "King Edward VII Hospital staff were kind to her.",
    "She saw the Dr. Then she went home and slept.",
]

# Each sentence names its identifiers' kinds, in order of appearance.
POSITIVE = [
    # phone numbers
    ("Call Mrs Okafor on 07700 900123 before the review.", ["name", "phone"]),
    ("Her mobile is 07700 900123.", ["phone"]),
    ("He gave a new number, +44 7700 900123, to the hostel.", ["phone"]),
    ("The landline is 020 7946 0958.", ["phone"]),
    ("Call her on (555) 123-4567 after 6.", ["phone"]),
    ("His US number is 555-123-4567.", ["phone"]),
    ("The office number is 0113 496 0000.", ["phone"]),
    ("Text 07700900123 if the plans change.", ["phone"]),
    ("His sister's number is +1 202 555 0143.", ["phone"]),
    ("Ring 0161 496 0000 and ask for the duty worker.", ["phone"]),
    ("She can be reached at 555.123.4567 in the evenings.", ["phone"]),
    # email addresses
    ("You can email jo.bloggs@example.com with the form.", ["email"]),
    ("She wrote from sam_k+benefits@mail.example.co.uk last night.", ["email"]),
    ("Contact: J.Doe@Example.org", ["email"]),
    ("His address for letters is now tenant123@example.net.", ["email"]),
    # NHS numbers (valid check digits)
    ("NHS 943 476 5919", ["nhs_number"]),
    ("NHS number 9434765919 was on the discharge note.", ["nhs_number"]),
    ("The GP letter quoted 398 259 7919 at the top.", ["nhs_number"]),
    ("Her hospital card says 6786981984.", ["nhs_number"]),
    # National Insurance numbers
    ("NI number QQ 12 34 56 C", ["ni_number"]),
    ("His NI is AB123456C.", ["ni_number"]),
    ("National Insurance: ab 12 34 56 d", ["ni_number"]),
    ("The form had JG103759A in the NINO box.", ["ni_number"]),
    # US Social Security numbers
    ("SSN 123-45-6789", ["ssn"]),
    ("Her social security number is 078-05-1120.", ["ssn"]),
    ("SSN: 219-09-9999 was on the old letter.", ["ssn"]),
    # postcodes
    ("The postcode M1 1AE is on the letter.", ["postcode"]),
    ("She moved to SW1A 1AA last month.", ["postcode"]),
    ("The hostel is in B33 8TH.", ["postcode"]),
    ("Her postcode is CR2 6XH.", ["postcode"]),
    ("Letters go to DN55 1PT.", ["postcode"]),
    ("He lives near ls1 4ap now.", ["postcode"]),
    ("The form said EC1A1BB in the address box.", ["postcode"]),
    # street addresses
    ("He lives at 14 Acacia Avenue with his aunt.", ["street_address"]),
    ("He is staying at Flat 3, 22 Mill Lane now.", ["street_address"]),
    ("She moved to 7 Church Street last week.", ["street_address"]),
    ("Post goes to 221b Baker Street.", ["street_address"]),
    ("He sleeps at 5 Victoria Rd at weekends.", ["street_address"]),
    ("Apartment 12 is where she stays.", ["street_address"]),
    ("The family live at 42 Orchard Close.", ["street_address"]),
    ("He now rents 9 St John's Terrace.", ["street_address"]),
    ("The meeting was at 3 Market Square, above the chemist.", ["street_address"]),
    # dates of birth
    ("DOB 12/03/1987", ["date_of_birth"]),
    ("She was born 4 May 1990 in a different country.", ["date_of_birth"]),
    ("Her date of birth is 1987-03-12.", ["date_of_birth"]),
    ("D.O.B: 03-04-87", ["date_of_birth"]),
    ("He was born on March 12th 1987 in Leeds.", ["date_of_birth"]),
    ("Birthday: 5th of November 1979.", ["date_of_birth"]),
    ("The file says 03/04/1987 next to the photo.", ["date_of_birth"]),
    ("She was born in March 1987.", ["date_of_birth"]),
    (f"Baby's DOB is 01/02/{THIS_YEAR - 1}.", ["date_of_birth"]),
    # personal names
    ("We met with Jordan Taylor at the drop-in.", ["name"]),
    ("Mr Smith said he would think about it.", ["name"]),
    ("Dr. Patel referred her to the clinic.", ["name"]),
    ("I spoke to Aisha about it.", ["name"]),
    ("The tenancy is in Mrs Jones's name.", ["name"]),
    ("We agreed that Priya would bring her letters.", ["name"]),
    ("Her son, Mohammed, came too.", ["name"]),
    ("He mentioned that Grace Thompson had helped him.", ["name"]),
    ("I asked Ms O'Brien to wait outside.", ["name"]),
    ("The referral came from Prof Ivanov at the clinic.", ["name"]),
    ("Mx Kowalski prefers afternoon sessions.", ["name"]),
    ("She said Miss Begum had been kind.", ["name"]),
    ("Jordan Taylor came to the session late.", ["name"]),
    ("John Smith turned up without an appointment.", ["name"]),
    ("Yesterday Siobhan rang the office.", ["name"]),
    ("The worker told Kwame Mensah about the form.", ["name"]),
    ("He is staying with Piotr for now.", ["name"]),
    ("She asked whether Chloe could come too.", ["name"]),
    ("We talked about how Mrs May had been treated.", ["name"]),
    ("Our conversation with Will Thompson was short.", ["name"]),
    ("The letter was signed by Mr Ward.", ["name"]),
    ("“Tell Fatima I said sorry,” he said.", ["name"]),
    ("Siobhan O'Sullivan-Byrne rang the office twice.", ["name"]),
    ("Emma, Priya and Tom came to the group.", ["name", "name"]),
    # several identifiers at once
    ("Aisha Khan, 14 Acacia Avenue, M1 1AE", ["name", "street_address", "postcode"]),
    ("Dr Patel's email is r.patel@example.nhs.uk.", ["name", "email"]),
    ("DOB 12/03/1987, NHS 943 476 5919", ["date_of_birth", "nhs_number"]),
    ("Flat 3, 22 Mill Lane, 0113 496 0000", ["street_address", "phone"]),
]


@pytest.mark.parametrize("sentence", CLEAN, ids=[_slug(s) for s in CLEAN])
def test_clean_sentence_has_no_findings(sentence):
    """Does ordinary reflective writing pass without a single false alarm?"""
    assert scan(sentence) == []


@pytest.mark.parametrize(("sentence", "kinds"), POSITIVE, ids=[_slug(s) for s, _ in POSITIVE])
def test_identifier_is_found(sentence, kinds):
    """Is each identifier found, as the expected kind, once?"""
    assert [f.kind for f in scan(sentence)] == kinds


@pytest.mark.parametrize(("sentence", "kinds"), POSITIVE, ids=[_slug(s) for s, _ in POSITIVE])
def test_findings_are_sorted_and_point_at_their_text(sentence, kinds):
    """Do the findings come sorted, without overlaps, with offsets matching their text?"""
    findings = scan(sentence)
    for f in findings:
        assert sentence[f.start : f.end] == f.text
    for before, after in zip(findings, findings[1:], strict=False):
        assert before.end <= after.start


def test_the_lists_are_big_enough():
    """Are there at least 80 clean and 70 positive sentences, covering every kind?"""
    assert len(CLEAN) >= 80
    assert len(POSITIVE) >= 70
    found = [kind for _, kinds in POSITIVE for kind in kinds]
    assert {kind: found.count(kind) >= 3 for kind in KINDS} == dict.fromkeys(KINDS, True)


@pytest.mark.parametrize(
    ("sentence", "span"),
    [
        ("Call Mrs Okafor on 07700 900123.", "07700 900123"),
        ("DOB 12/03/1987", "12/03/1987"),
        ("He lives at 14 Acacia Avenue.", "14 Acacia Avenue"),
        ("I spoke to Aisha about it.", "Aisha"),
        ("He mentioned that Grace Thompson had helped him.", "Grace Thompson"),
        ("Dr. Patel referred her.", "Dr. Patel"),
        ("You can email jo.bloggs@example.com.", "jo.bloggs@example.com"),
        ("NI number QQ 12 34 56 C", "QQ 12 34 56 C"),
    ],
    ids=["phone", "dob", "address", "name", "two-word-name", "title", "email", "ni"],
)
def test_span_covers_exactly_the_identifier(sentence, span):
    """Does the reported span cover the identifier and nothing around it?"""
    assert span in [f.text for f in scan(sentence)]


@pytest.mark.parametrize(
    ("number", "expected"),
    [("943 476 5919", True), ("943 476 5918", False), ("100 000 0010", False)],
    ids=["valid", "wrong-check-digit", "check-digit-would-be-ten"],
)
def test_nhs_number_needs_a_valid_check_digit(number, expected):
    """Is a ten-digit number an NHS number only when its mod-11 check digit is right?"""
    kinds = [f.kind for f in scan(f"NHS {number}")]
    assert ("nhs_number" in kinds) is expected


@pytest.mark.parametrize(
    ("sentence", "kinds"),
    [
        ("+44 7700 900123", ["phone"]),
        ("Flat 3, 22 Mill Lane, tel 0113 496 0000", ["street_address", "phone"]),
        ("943 476 5919", ["nhs_number"]),
        ("Flat 3, 22 Mill Lane", ["street_address"]),
    ],
    ids=["both-regions", "phone-in-address-line", "nhs-not-phone", "flat-inside-address"],
)
def test_overlapping_candidates_are_reported_once(sentence, kinds):
    """Is an identifier matched by several rules reported once, as the more specific kind?"""
    assert [f.kind for f in scan(sentence)] == kinds


def test_every_kind_has_a_label():
    """Do the nine kinds each have a human label that findings report?"""
    assert set(KINDS) == {
        "email",
        "phone",
        "nhs_number",
        "ni_number",
        "ssn",
        "postcode",
        "street_address",
        "date_of_birth",
        "name",
    }
    finding = scan("Her mobile is 07700 900123.")[0]
    assert finding.label == "phone number"
    assert finding.suggestion == "[phone number]"


def test_scan_of_empty_text_is_empty():
    """Does an empty note produce no findings?"""
    assert scan("") == []


def test_highlight_escapes_html_and_wraps_findings():
    """Is the text escaped, with each finding wrapped in a titled mark?"""
    text = "<script>alert(1)</script> call 07700 900123"
    result = highlight(text, scan(text))
    assert isinstance(result, Markup)
    assert "<script>" not in result
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in result
    assert (
        '<mark class="pii" data-kind="phone" title="phone number: try [phone number]">'
        "07700 900123</mark>"
    ) in result


def test_highlight_marks_the_right_offsets():
    """Does removing the marks give back the original text, with marks on the spans?"""
    text = "Call Mrs Okafor on 07700 900123.\nShe lives at 14 Acacia Avenue, M1 1AE."
    findings = scan(text)
    result = str(highlight(text, findings))
    assert re.findall(r"<mark[^>]*>(.*?)</mark>", result) == [f.text for f in findings]
    assert html.unescape(re.sub(r"</?mark[^>]*>", "", result)) == text
    assert "\n" in result


def test_highlight_escapes_the_marked_span_and_title():
    """Is markup inside a finding and its title escaped too?"""
    finding = Finding(0, 3, "name", "<b>", 'the "person"')
    result = highlight("<b> hi", [finding])
    assert result == Markup(
        '<mark class="pii" data-kind="name" title="name: try the &#34;person&#34;">'
        "&lt;b&gt;</mark> hi"
    )


def test_highlight_without_findings_is_just_escaped():
    """Is a clean text shown escaped and unmarked?"""
    assert highlight("a < b & c", []) == Markup("a &lt; b &amp; c")


def test_suggest_replaces_each_finding():
    """Does the cleaned version swap every identifier for its neutral word?"""
    text = "Call Mrs Okafor on 07700 900123; DOB 12/03/1987, postcode M1 1AE."
    assert suggest(text, scan(text)) == (
        "Call the person on [phone number]; DOB [date], postcode [postcode]."
    )


@pytest.mark.parametrize(
    ("text", "cleaned"),
    [
        ("He lives at 14 Acacia Avenue.", "He lives at [address]."),
        ("Email jo.bloggs@example.com today.", "Email [email] today."),
        ("NHS 943 476 5919", "NHS [NHS number]"),
        ("NI number QQ 12 34 56 C", "NI number [NI number]"),
        ("SSN 123-45-6789", "SSN [SSN]"),
        ("Nothing to change here.", "Nothing to change here."),
    ],
    ids=["address", "email", "nhs", "ni", "ssn", "clean"],
)
def test_suggest_uses_each_kinds_suggestion(text, cleaned):
    """Does each kind get its own neutral replacement?"""
    assert suggest(text, scan(text)) == cleaned


class NoteForm(Form):
    note = StringField("Note", validators=[NoIdentifiers()])


class CustomNoteForm(Form):
    note = StringField("Note", validators=[NoIdentifiers("Please remove: {found}")])


def test_validator_refuses_identifying_text():
    """Does the validator name each kind and span, and keep the findings on the field?"""
    form = NoteForm(data={"note": "Call Mrs Jones on 07700 900123."})
    assert not form.validate()
    (message,) = form.note.errors
    assert message.startswith("This looks like it identifies someone: ")
    assert "name “Mrs Jones”" in message
    assert "phone number “07700 900123”" in message
    assert "everything else you typed is kept" in message
    assert [f.kind for f in form.note.findings] == ["name", "phone"]


def test_validator_passes_clean_text():
    """Does clean text validate, with an empty list of findings?"""
    form = NoteForm(data={"note": "Will he come if we meet at the library instead?"})
    assert form.validate()
    assert form.note.findings == []


@pytest.mark.parametrize("data", ["", None], ids=["empty", "none"])
def test_validator_passes_empty_data(data):
    """Does an empty field pass the guard?"""
    form = NoteForm(data={"note": data})
    assert form.validate()
    assert form.note.findings == []


def test_validator_uses_a_custom_message():
    """Is a custom message used, with the findings put in its placeholder?"""
    form = CustomNoteForm(data={"note": "SSN 123-45-6789"})
    assert not form.validate()
    assert form.note.errors == ["Please remove: Social Security number “123-45-6789”"]
