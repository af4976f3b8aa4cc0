"""The anonymisation guard: find text that identifies a person in a practitioner's case note.

Notes about anonymised cases must not carry names, contact details, official numbers,
addresses or dates of birth. ``scan`` finds them, ``highlight`` and ``suggest`` help the
writer fix them, and ``NoIdentifiers`` refuses them in a WTForms form.

The rules lean towards precision on ordinary reflective writing: a false alarm on
"Will he come on Monday?" teaches people to ignore the guard, so ambiguous words
(Will, May, Grace, Brown...) count as names only with stronger evidence.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import phonenumbers
from markupsafe import Markup, escape
from wtforms.validators import ValidationError

KINDS: dict[str, str] = {
    "email": "email address",
    "phone": "phone number",
    "nhs_number": "NHS number",
    "ni_number": "National Insurance number",
    "ssn": "Social Security number",
    "postcode": "postcode",
    "street_address": "street address",
    "date_of_birth": "date of birth",
    "name": "name",
}

_SUGGESTIONS: dict[str, str] = {
    "email": "[email]",
    "phone": "[phone number]",
    "nhs_number": "[NHS number]",
    "ni_number": "[NI number]",
    "ssn": "[SSN]",
    "postcode": "[postcode]",
    "street_address": "[address]",
    "date_of_birth": "[date]",
    "name": "the person",
}

# When two candidates cover exactly the same span, the more specific kind wins: a valid
# NHS number is also shaped like a phone number, but calling it a phone would mislead.
_PRIORITY = {
    kind: rank
    for rank, kind in enumerate(
        [
            "nhs_number",
            "ssn",
            "ni_number",
            "email",
            "date_of_birth",
            "postcode",
            "phone",
            "street_address",
            "name",
        ]
    )
}


@dataclass(frozen=True)
class Finding:
    """One identifier found in a text, with a neutral word to put in its place."""

    start: int
    end: int
    kind: str
    text: str
    suggestion: str

    @property
    def label(self) -> str:
        """The human name of the kind, e.g. "phone number"."""
        return KINDS[self.kind]


def _finding(text: str, start: int, end: int, kind: str) -> Finding:
    return Finding(start, end, kind, text[start:end], _SUGGESTIONS[kind])


# ---------------------------------------------------------------------------------------
# Email, official numbers, postcodes

_EMAIL = re.compile(
    r"(?<![\w.+%-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w-])"
)

# NHS numbers are written as ten digits or 3-3-4 with spaces. Hyphens are left out on
# purpose: "555-123-4567" is a US phone number far more often than an NHS number.
_NHS = re.compile(r"(?<![\d-])(\d{3})( ?)(\d{3})\2(\d{4})(?![\d-])")

# The prefix rules are kept rough (no D, F, I, U, V; no O second; a few reserved pairs),
# but Q is allowed because "QQ 12 34 56 C" is the official example people paste.
_NI = re.compile(
    r"(?<![A-Za-z0-9])(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-TW-Z][A-CEGHJ-NP-TW-Z]"
    r"[ \t]?\d{2}[ \t]?\d{2}[ \t]?\d{2}[ \t]?[A-D](?![A-Za-z0-9])",
    re.IGNORECASE,
)

# Area numbers 000, 666 and 900-999 are never issued, so they are not SSNs.
_SSN = re.compile(r"(?<![\d-])(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?![\d-])")

_POSTCODE = re.compile(
    r"(?<![A-Za-z0-9])[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?[ \t]?\d[ABD-HJLNP-UW-Z]{2}(?![A-Za-z0-9])",
    re.IGNORECASE,
)
# "the M6 2nd time" has a postcode's shape; real postcodes are written in one case.
_ORDINALS = ("st", "nd", "rd", "th")


def _nhs_check_digit_ok(digits: str) -> bool:
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def _emails(text: str):
    for m in _EMAIL.finditer(text):
        yield _finding(text, m.start(), m.end(), "email")


def _nhs_numbers(text: str):
    for m in _NHS.finditer(text):
        if _nhs_check_digit_ok(m.group(1) + m.group(3) + m.group(4)):
            yield _finding(text, m.start(), m.end(), "nhs_number")


def _ni_numbers(text: str):
    for m in _NI.finditer(text):
        yield _finding(text, m.start(), m.end(), "ni_number")


def _ssns(text: str):
    for m in _SSN.finditer(text):
        yield _finding(text, m.start(), m.end(), "ssn")


def _postcodes(text: str):
    for m in _POSTCODE.finditer(text):
        span = m.group()
        if span.isupper() or (span.islower() and span[-2:] not in _ORDINALS):
            yield _finding(text, m.start(), m.end(), "postcode")


# ---------------------------------------------------------------------------------------
# Phone numbers

# The phonenumbers matcher costs about a millisecond per region on a 2,000-character note,
# so it only runs on small windows around digit runs long enough to be a phone number.
_PHONE_CHUNK = re.compile(r"\+?\(?\d[\d \t().\-]{7,}\d")
_PHONE_MARGIN = 12
_LONG_GROUP = re.compile(r"\d{3}")
_DIGIT_GROUP = re.compile(r"\d+")
_ISO_DATE_SHAPE = re.compile(r"\d{4}[-.]\d{1,2}[-.]\d{1,2}")


def _phones(text: str):
    seen: set[tuple[int, int]] = set()
    for chunk in _PHONE_CHUNK.finditer(text):
        digits = chunk.group()
        # Every UK or US number has ten digits, some in a group of three or more.
        if sum(c.isdigit() for c in digits) < 10 or not _LONG_GROUP.search(digits):
            continue
        lo = max(0, chunk.start() - _PHONE_MARGIN)
        window = text[lo : chunk.end() + _PHONE_MARGIN]
        for region in ("GB", "US"):
            matcher = phonenumbers.PhoneNumberMatcher(
                window, region, leniency=phonenumbers.Leniency.POSSIBLE
            )
            for m in matcher:
                start, end = lo + m.start, lo + m.end
                if (start, end) in seen or not _plausible_phone(text, start, m):
                    continue
                seen.add((start, end))
                yield _finding(text, start, end, "phone")


def _plausible_phone(text: str, start: int, match) -> bool:
    raw = match.raw_string
    if "/" in raw or _ISO_DATE_SHAPE.fullmatch(raw):
        return False
    if start and text[start - 1] in "£$€":
        return False
    # "Weeks 1 2 3 4 5 6 7 8 9 10" or a row of scores is a list, not a phone number.
    if len(_DIGIT_GROUP.findall(raw)) > 5:
        return False
    # UK and US numbers have ten or more digits; POSSIBLE leniency alone would also accept
    # years, times and counts, and drama numbers like 07700 900123 are only POSSIBLE.
    return sum(c.isdigit() for c in raw) >= 10 or phonenumbers.is_valid_number(match.number)


# ---------------------------------------------------------------------------------------
# Street addresses

_STREET_TYPES = (
    "Road|Rd|Street|St|Avenue|Ave|Lane|Close|Drive|Way|Crescent|Court|Place|Gardens|"
    "Terrace|Grove|Hill|Square|Walk|Mews|Row"
)
_CAP_WORD = r"[A-Z][a-z'’]+(?:-[A-Z][a-z'’]+)?"
_FLAT = r"(?:Flat|Apartment|Apt)\.?[ \t]+\d{1,4}[A-Za-z]?\b"
_ADDRESS = re.compile(
    rf"(?:\b{_FLAT},?[ \t]+|(?<![\w.,/-])(?<!\d[ \t]))"
    rf"\d{{1,4}}[A-Za-z]?(?:-\d{{1,4}})?,?[ \t]+"
    rf"(?P<words>(?:{_CAP_WORD}[ \t]+){{1,3}})(?P<type>{_STREET_TYPES})\b"
)
_FLAT_ONLY = re.compile(rf"\b{_FLAT}")
# "2 Crown Court hearings" is a count of hearings, not an address.
_COURT_NAMES = frozenset(
    {"magistrates", "magistrates'", "magistrates’", "crown", "county", "family", "youth"}
)


def _addresses(text: str):
    for m in _ADDRESS.finditer(text):
        words = m.group("words").split()
        if words[0].lower() in _MONTHS:  # "on 4 June Court ..." is a date
            continue
        if m.group("type") == "Court" and words[-1].lower() in _COURT_NAMES:
            continue
        yield _finding(text, m.start(), m.end(), "street_address")
    for m in _FLAT_ONLY.finditer(text):
        yield _finding(text, m.start(), m.end(), "street_address")


# ---------------------------------------------------------------------------------------
# Dates of birth

_MONTH_NUMBERS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTHS = frozenset(
    {
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    }
)
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_ORD = r"(?:st|nd|rd|th)?"
_NUMERIC_DATES = [
    # 1987-03-12
    ("ymd", re.compile(r"(?<![\d./-])(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?![\d/-]|\.\d)")),
    # 12/03/1987, 3-4-87, 03.04.1987 (day and month in either order)
    (
        "num",
        re.compile(
            r"(?<![\d./-])(?P<a>\d{1,2})(?P<sep>[/.-])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})"
            r"(?![\d/-]|\.\d)"
        ),
    ),
]
# Worded dates all end in a four-digit year.
_WORDED_DATES = [
    # 12 March 1987, 12th of March, 1987
    (
        "dmy",
        re.compile(
            rf"\b(?P<d>\d{{1,2}}){_ORD}(?:[ \t]+of)?[ \t]+(?P<mon>{_MONTH})\.?,?[ \t]+"
            r"(?P<y>\d{4})\b",
            re.IGNORECASE,
        ),
    ),
    # March 12th 1987, March 12, 1987
    (
        "mdy",
        re.compile(
            rf"\b(?P<mon>{_MONTH})\.?[ \t]+(?P<d>\d{{1,2}}){_ORD},?[ \t]+(?P<y>\d{{4}})\b",
            re.IGNORECASE,
        ),
    ),
    # March 1987: only a date of birth when a birth word comes just before it
    ("my", re.compile(rf"\b(?P<mon>{_MONTH})\.?,?[ \t]+(?P<y>\d{{4}})\b", re.IGNORECASE)),
]
_YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)")
_WORDED_LOOKBACK = 40  # longer than "12th of September, " or "September 12th, "
_BIRTH_WORDS = re.compile(
    r"\b(?:born|d\.?[ \t]?o\.?[ \t]?b(?![a-z])|date[ \t]+of[ \t]+birth|birth[ \t]?days?"
    r"|birth[ \t]?date)",
    re.IGNORECASE,
)
_BIRTH_WINDOW = 30


def _year(raw: str, this_year: int) -> int:
    if len(raw) == 4:
        return int(raw)
    # Two-digit years: anything after this year's two digits must be last century.
    yy = int(raw)
    return 1900 + yy if yy > this_year % 100 else 2000 + yy


def _valid_day_month(day: int, month: int) -> bool:
    return 1 <= day <= 31 and 1 <= month <= 12


def _dates_of_birth(text: str):
    if not any(c.isdigit() for c in text):
        return
    this_year = date.today().year
    birth_ends = [m.end() for m in _BIRTH_WORDS.finditer(text)]
    for shape, m in _date_matches(text):
        year = _year(m.group("y"), this_year)
        if shape == "num":
            a, b = int(m.group("a")), int(m.group("b"))
            ok = _valid_day_month(a, b) or _valid_day_month(b, a)
        elif shape == "my":
            ok = True
        else:
            day = int(m.group("d"))
            month = int(m.group("m")) if shape == "ymd" else _month(m.group("mon"))
            ok = _valid_day_month(day, month)
        if not ok or not 1900 <= year <= this_year:
            continue
        near_birth = any(0 <= m.start() - end <= _BIRTH_WINDOW for end in birth_ends)
        # A full date at least ten years back is most likely a birth date; recent dates
        # are appointments and stay allowed unless a birth word sits just before them.
        old_full_date = shape != "my" and year <= this_year - 10
        if near_birth or old_full_date:
            yield _finding(text, m.start(), m.end(), "date_of_birth")


def _date_matches(text: str):
    for shape, pattern in _NUMERIC_DATES:
        for m in pattern.finditer(text):
            yield shape, m
    # Running the month alternations only just before each four-digit year is several times
    # faster than running them over the whole text.
    for year in _YEAR.finditer(text):
        lo = max(0, year.start() - _WORDED_LOOKBACK)
        for shape, pattern in _WORDED_DATES:
            for m in pattern.finditer(text, lo, year.end()):
                if m.end() == year.end():
                    yield shape, m


def _month(name: str) -> int:
    return _MONTH_NUMBERS[name[:3].lower()]


# ---------------------------------------------------------------------------------------
# Personal names

_TITLES = frozenset({"Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Prof"})


def _lowered_words(words: str) -> frozenset[str]:
    return frozenset(words.lower().split())


# Words that are everyday English or common capitalised nouns as well as names: on their
# own they prove nothing, so they need a title or a listed surname after them.
_AMBIGUOUS = _lowered_words(
    """
    Will May June April August Grace Hope Faith Joy Rose Mark Bill Frank Dawn Summer Sunny
    Violet Amber Crystal Jack Bob Pat Sue Drew Rob Guy Victor Miles Ray Dean Chase Hunter
    Bishop Parker Cook Baker Smith Brown Green White Black Young King Wood Hill Moor Hall
    Ward Lane Bell Price Long Little Day Law Church Page Stone West North South East Marsh
    Fox Frost Rich Wells Banks Burns Mason Field Rivers Sharp Moss Holly Ivy Christian
    Roman Jordan Victoria Florence Georgia Chelsea Austin Sydney Devon Kent Lincoln
    Carol Robin Norman Earl Sterling Cliff Glen Heath Penny Mercy Patience Destiny
    """
)

# Capitalised words that are never a person in these notes: not a name after a title
# ("Miss Monday"), nor a surname after a first name ("Aisha Monday").
_NOT_NAMES = _lowered_words(
    """
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday Mondays Tuesdays Wednesdays
    Thursdays Fridays Saturdays Sundays January February March July September October
    November December Jobcentre Universal Credit Probation Housing Options Mungo NHS Mind
    Shelter Samaritans Crisis Council Police Team Service Services Support Worker Officer
    Manager Christmas Easter Eid Ramadan Diwali English British Polish Romanian Irish
    Scottish Welsh Arabic Urdu Punjabi Somali Plus Advice Care The And But Or So If As At
    In On Of To For With After Before Also Then When What Why How Who Where He She They
    We It This That There These Those His Her Their Our My Its Yes No Not
    """
)
# Place nouns are real surnames after a title ("Mr Ward", "Mrs Hall"), but never the
# surname in "Aisha House" or the second word in "Dr Patel Surgery".
_PLACE_NOUNS = (
    "Hospital|House|Centre|Center|Ward|Court|Street|Road|Avenue|Lane|Park|Station|School"
    "|College|University|Surgery|Practice|Trust|Foundation|Project|Hall|Lodge|Place|Unit"
    "|Clinic|Library|Academy|Primary|Church|Mosque|Temple|Gardens|Close|Way|Drive|Square"
    "|Estate|Tower|Towers|Building|Bridge|Appeal|Fund"
)
_NOT_SURNAMES = _NOT_NAMES | _lowered_words(_PLACE_NOUNS.replace("|", " "))

# A name followed by one of these is a place or an organisation ("Victoria Station",
# "Mary Seacole House"), not a person.
_INSTITUTION_AFTER = re.compile(rf"(?:[ \t]+[IVX]+)?[ \t]+(?:{_PLACE_NOUNS})\b")
_SAINT_BEFORE = re.compile(r"\b(?:St\.?|Saint)[ \t]+$")
# Organisations and brands built from personal names.
_NOT_PEOPLE = re.compile(
    r"\b(?:John Lewis|Marks (?:and|&) Spencer|Holland (?:and|&) Barrett|Thomas Cook"
    r"|Jack Russell|Marie Curie|Sue Ryder|Leonard Cheshire|Ronald McDonald|Mary Seacole"
    r"|Florence Nightingale)\b"
)

_NAME_TOKEN = re.compile(
    r"(?<![\w'’-])(?:O['’]|Mc|Mac|D['’])?[A-Z][a-z]+(?:-[A-Z][a-z]+)?(?![\w-])"
)
_SPACE_GAP = re.compile(r"[ \t]{1,3}")
_TITLE_GAP = re.compile(r"\.?[ \t]{1,3}")
# Characters skipped when looking back for the end of the previous sentence.
_LEADING = frozenset(" \t\"'“”‘’([{*•-–—")
_SENTENCE_ENDS = frozenset(".!?:\n\r…")


@functools.cache
def _names() -> frozenset[str]:
    path = Path(__file__).with_name("names.txt")
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(
        _key(line.strip()) for line in lines if line.strip() and not line.startswith("#")
    )


def _key(word: str) -> str:
    return word.replace("’", "'").lower()


def _at_sentence_start(text: str, index: int) -> bool:
    i = index - 1
    while i >= 0 and text[i] in _LEADING:
        i -= 1
    return i < 0 or text[i] in _SENTENCE_ENDS


def _names_in(text: str):
    names = _names()
    tokens = list(_NAME_TOKEN.finditer(text))
    blocked = [m.span() for m in _NOT_PEOPLE.finditer(text)]

    def follows(i: int, gap: re.Pattern, excluded: frozenset[str]) -> re.Match | None:
        """The token after tokens[i] if only the given gap separates them."""
        if i + 1 >= len(tokens):
            return None
        nxt = tokens[i + 1]
        if not gap.fullmatch(text, tokens[i].end(), nxt.start()):
            return None
        if nxt.group() in _TITLES or _key(nxt.group()) in excluded:
            return None
        return nxt

    def person_context(start: int, end: int) -> bool:
        if any(start < b_end and b_start < end for b_start, b_end in blocked):
            return False
        if _SAINT_BEFORE.search(text, max(0, start - 8), start):
            return False
        return not _INSTITUTION_AFTER.match(text, end)

    i = 0
    while i < len(tokens):
        tok = tokens[i]
        word = tok.group()
        if word in _TITLES:
            first = follows(i, _TITLE_GAP, _NOT_NAMES)
            if first is not None:
                second = follows(i + 1, _SPACE_GAP, _NOT_SURNAMES)
                last = second or first
                yield _finding(text, tok.start(), last.end(), "name")
                i += 3 if second else 2
                continue
        key = _key(word)
        if key in _NOT_SURNAMES or (key not in names and key not in _AMBIGUOUS):
            i += 1
            continue
        nxt = follows(i, _SPACE_GAP, _NOT_SURNAMES)
        # Double-barrelled surnames count as listed when either part is.
        nxt_parts = _key(nxt.group()).split("-") if nxt is not None else []
        nxt_listed = any(part in names for part in nxt_parts)
        nxt_strong = any(part in names and part not in _AMBIGUOUS for part in nxt_parts)
        if key in _AMBIGUOUS:
            # "Grace Thompson" is a person; "Grace", "Will Young" or "May Day" prove nothing.
            last = nxt if nxt_strong else None
        elif nxt is not None and (nxt_listed or not _at_sentence_start(text, tok.start())):
            last = nxt
        elif not _at_sentence_start(text, tok.start()):
            last = tok
        else:
            # A capitalised first word may just be the start of a sentence.
            last = None
        if last is not None and person_context(tok.start(), last.end()):
            yield _finding(text, tok.start(), last.end(), "name")
            i += 2 if last is nxt else 1
            continue
        i += 1


# ---------------------------------------------------------------------------------------
# Public API

_DETECTORS = (
    _emails,
    _nhs_numbers,
    _ni_numbers,
    _ssns,
    _postcodes,
    _phones,
    _addresses,
    _dates_of_birth,
    _names_in,
)


def _resolve(candidates: list[Finding]) -> list[Finding]:
    """Drop overlaps, keeping the longer span, then the more specific kind."""
    ordered = sorted(candidates, key=lambda f: (f.start - f.end, _PRIORITY[f.kind], f.start))
    kept: list[Finding] = []
    for cand in ordered:
        if all(cand.end <= k.start or k.end <= cand.start for k in kept):
            kept.append(cand)
    return sorted(kept, key=lambda f: f.start)


def scan(text: str) -> list[Finding]:
    """Every identifier in text, sorted by start, non-overlapping.

    Where two candidates overlap the longer span wins, and for the same span the more
    specific kind (an NHS number is also shaped like a phone number).
    """
    if not text:
        return []
    candidates = [finding for detect in _DETECTORS for finding in detect(text)]
    return _resolve(candidates)


def _ordered_non_overlapping(text: str, findings) -> list[Finding]:
    result: list[Finding] = []
    last_end = 0
    for f in sorted(findings, key=lambda f: (f.start, -f.end)):
        if f.start >= last_end and 0 <= f.start < f.end <= len(text):
            result.append(f)
            last_end = f.end
    return result


def highlight(text: str, findings: list[Finding]) -> Markup:
    """The text HTML-escaped, with each finding wrapped in a ``<mark class="pii">``.

    Each mark carries ``data-kind`` and a ``title`` like "phone number: try [phone number]".
    Newlines are kept as they are; the template shows them with ``white-space: pre-wrap``.
    """
    parts: list[Markup] = []
    pos = 0
    for f in _ordered_non_overlapping(text, findings):
        parts.append(escape(text[pos : f.start]))
        parts.append(
            Markup('<mark class="pii" data-kind="{}" title="{}">{}</mark>').format(
                f.kind, f"{f.label}: try {f.suggestion}", text[f.start : f.end]
            )
        )
        pos = f.end
    parts.append(escape(text[pos:]))
    return Markup("").join(parts)


def suggest(text: str, findings) -> str:
    """The text with every finding replaced by its suggestion, as a cleaned-up version."""
    out: list[str] = []
    pos = 0
    for f in _ordered_non_overlapping(text, findings):
        out.append(text[pos : f.start])
        out.append(f.suggestion)
        pos = f.end
    out.append(text[pos:])
    return "".join(out)


_MAX_LISTED = 6


def _describe(findings: list[Finding]) -> str:
    """The findings as a short list for a message: 'phone number “07700 900123”, ...'."""
    shown = [f"{f.label} “{f.text}”" for f in findings[:_MAX_LISTED]]
    if len(findings) > _MAX_LISTED:
        shown.append(f"and {len(findings) - _MAX_LISTED} more")
    return ", ".join(shown)


class NoIdentifiers:
    """WTForms validator refusing text that identifies someone.

    On a hit it stores the findings on ``field.findings`` (for ``highlight``) and raises
    ``ValidationError``; otherwise ``field.findings`` is an empty list. A custom message
    may contain ``{found}``, replaced by the list of what was found.
    """

    default_message = (
        "This looks like it identifies someone: {found}. Replace them with neutral words "
        "(suggestions are highlighted below); everything else you typed is kept."
    )

    def __init__(self, message=None):
        self.message = message

    def __call__(self, form, field):
        field.findings = []
        if not field.data:
            return
        findings = scan(str(field.data))
        if not findings:
            return
        field.findings = findings
        message = self.message or field.gettext(self.default_message)
        raise ValidationError(message.replace("{found}", _describe(findings)))
