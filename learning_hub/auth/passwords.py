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
    """The bundled list of common passwords (from Django, BSD licence)."""
    with gzip.open(COMMON_PASSWORDS_FILE, "rt", encoding="utf-8") as handle:
        return frozenset(line.strip().lower() for line in handle if line.strip())


def password_problem(password, *, email="", display_name=""):
    """A plain-language reason the password is refused, or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return f"Password must be at least {MIN_LENGTH} characters."
    if len(password) > MAX_LENGTH:
        return f"Password must be {MAX_LENGTH} characters or fewer."
    lowered = password.lower()
    if lowered in common_passwords() or len(set(lowered)) < 4:
        return "This password is too common. Try a few unrelated words together."
    if email and lowered == email.lower() or lowered in {email.lower().split("@")[0]}:
        return "Password must not be your email address."
    if display_name and lowered.replace(" ", "") == display_name.lower().replace(" ", ""):
        return "Password must not be your name."
    return None
