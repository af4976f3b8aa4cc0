"""Password hashing (argon2id) and the password policy."""

import gzip
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

MIN_LENGTH = 12
MAX_LENGTH = 128
COMMON_PASSWORDS_FILE = Path(__file__).with_name("common-passwords.txt.gz")

_hasher = PasswordHasher()
# Tests hash hundreds of passwords; the cheapest argon2id parameters keep them fast.
_fast_hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
# Verified against when an email is unknown, so both paths cost the same.
_DUMMY_HASH = _hasher.hash("not-a-real-password-for-timing")


def _active_hasher():
    return _fast_hasher if current_app.config.get("ARGON2_FAST") else _hasher


def hash_password(password):
    return _active_hasher().hash(password)


def verify_password(password_hash, password):
    """True when ``password`` matches; an absent hash still costs a verification."""
    try:
        return _active_hasher().verify(password_hash or _DUMMY_HASH, password) and bool(
            password_hash
        )
    except (VerificationError, InvalidHashError):
        return False


@cache
def common_passwords():
    """The 100,000 most common breached passwords (SecLists) and Django's list, lower-cased.

    See COMMON_PASSWORDS_LICENSE for where the list comes from. Loaded once per process.
    """
    with gzip.open(COMMON_PASSWORDS_FILE, "rt", encoding="utf-8") as handle:
        return frozenset(line.strip().lower() for line in handle if line.strip())


# Orders that people type without thinking: the alphabet and the digits (round again
# after 9), and the keys of a UK/US keyboard along its rows, down its columns
# (1qaz2wsx...) and zig-zag between the digits and the row below (1q2w3e...).
SEQUENCES = (
    "abcdefghijklmnopqrstuvwxyz",
    "01234567890123456789",
    "`1234567890-=qwertyuiop[]asdfghjkl;'#zxcvbnm,./",
    "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik,9ol.0p;/-['=]#",
    "1q2w3e4r5t6y7u8i9o0p",
)
_NEXT = frozenset(
    pair
    for sequence in SEQUENCES
    for a, b in zip(sequence, sequence[1:], strict=False)
    for pair in ((a, b), (b, a))
)
# The site's own name, and passwords published with its demo data (the Makefile's
# DEMO_PASSWORD and seed-scale's default): the first things anyone would try here.
SITE_NAME = "learninghub"
DEMO_PASSWORDS = frozenset({"learning-hub-demo", "scale-password-123"})

TOO_COMMON = (
    "This password is too common: it is one of the 100,000 passwords found most often in "
    "leaked lists, which attackers try first. Try a few unrelated words together."
)
TOO_PREDICTABLE = (
    "This password is a sequence or a run of keys on the keyboard (like abcd, 1234 or "
    "qwerty), which attackers try early. Try a few unrelated words together."
)
SITE_NAME_USED = (
    "Password must not be built from the name of this site, which is one of the first "
    "things an attacker would try. Try a few unrelated words together."
)
DEMO_PASSWORD_USED = (
    "This password is published with the demo data, so anyone could know it. "
    "Choose a password of your own."
)


def is_predictable(password):
    """True when all but a few of the steps from one character to the next follow a
    sequence or a keyboard run (or repeat the character), as in "1qaz2wsx3edc"."""
    lowered = password.lower()
    breaks = sum(
        1 for a, b in zip(lowered, lowered[1:], strict=False) if a != b and (a, b) not in _NEXT
    )
    return breaks <= len(lowered) // 6


def uses_site_name(password):
    """True when the password is the site's name with little else (``LearningHub2026!``)."""
    letters = "".join(ch for ch in password.lower() if ch.isalpha())
    return SITE_NAME in letters and len(letters.replace(SITE_NAME, "")) < 8


def password_problem(password, *, email="", display_name="", for_demo=False):
    """A plain-language reason the password is refused, or None when it is acceptable.

    ``for_demo`` is for seed-demo alone: the demo accounts may have the published demo
    password, which nobody may choose for themselves.
    """
    if len(password) < MIN_LENGTH:
        return f"Password must be at least {MIN_LENGTH} characters."
    if len(password) > MAX_LENGTH:
        return f"Password must be {MAX_LENGTH} characters or fewer."
    lowered = password.lower()
    if not for_demo and lowered in DEMO_PASSWORDS:
        return DEMO_PASSWORD_USED
    if len(set(lowered)) < 4:
        return TOO_COMMON
    if is_predictable(password):
        return TOO_PREDICTABLE
    if lowered in common_passwords():
        return TOO_COMMON
    if not for_demo and uses_site_name(password):
        return SITE_NAME_USED
    if email and lowered == email.lower() or lowered in {email.lower().split("@")[0]}:
        return "Password must not be your email address."
    if display_name and lowered.replace(" ", "") == display_name.lower().replace(" ", ""):
        return "Password must not be your name."
    return None
