"""Logging in, locking out, inviting and setting passwords."""

import logging
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm.attributes import set_committed_value

from learning_hub.auth.models import (
    EmailChange,
    Invitation,
    Membership,
    MembershipRole,
    PasswordReset,
    Role,
    User,
    hash_token,
)
from learning_hub.auth.passwords import hash_password, verify_password
from learning_hub.core import audit
from learning_hub.core.database import utcnow
from learning_hub.core.extensions import db

log = logging.getLogger(__name__)


def normalise_email(email):
    return (email or "").strip().lower()


def find_user_by_email(email):
    return db.session.scalar(db.select(User).where(User.email == normalise_email(email)))


def authenticate(email, password):
    """The person these credentials belong to, or None.

    Unknown emails, wrong passwords, locked and deactivated accounts all return
    None, so the page can answer them all with the same message. Repeated
    failures lock the account for ``LOCKOUT_MINUTES``.
    """
    user = find_user_by_email(email)
    matches = verify_password(user.password_hash if user else None, password)
    if user is None:
        audit.record("login.failed", detail="unknown email")
        return None
    now = utcnow()
    if user.is_locked(now):
        audit.record("login.refused_locked", user, actor=user)
        return None
    if not matches or not user.is_active:
        _count_failure(user, now, "login.failed")
        return None
    user.failed_login_count = 0
    user.locked_until_at = None
    user.last_login_at = now
    audit.record("login.succeeded", user, actor=user)
    return user


def _count_failure(user, now, action):
    """Audit a wrong password for ``user`` as ``action``; LOCKOUT_THRESHOLD of them in a
    row lock the account for LOCKOUT_MINUTES. Returns True when this one locked it.

    The count goes up in the database, not in Python: wrong passwords sent at the same
    moment each read the same count, and adding to what they read lost all but one
    (eight at once left it at 2, so no lock-out). The UPDATE takes the row's lock, so
    each sees the count the one before it left.
    """
    failures = _add_failure(user)
    audit.record(action, user, actor=user)
    if failures < current_app.config["LOCKOUT_THRESHOLD"]:
        return False
    user.locked_until_at = now + timedelta(minutes=current_app.config["LOCKOUT_MINUTES"])
    user.failed_login_count = 0
    audit.record("login.locked", user, actor=user)
    log.warning("account %s locked after repeated wrong passwords (%s)", user.id, action)
    return True


def _add_failure(user):
    """Add one to ``user``'s failed_login_count in SQL; returns the count it now holds."""
    statement = (
        sa.update(User)
        .where(User.id == user.id)
        .values(failed_login_count=User.failed_login_count + 1)
        .execution_options(synchronize_session=False)
    )
    if db.session.get_bind().dialect.update_returning:
        count = db.session.scalar(statement.returning(User.failed_login_count))
    else:  # the row stays locked by the UPDATE until commit, so reading it back is safe
        db.session.execute(statement)
        count = db.session.scalar(sa.select(User.failed_login_count).where(User.id == user.id))
    set_committed_value(user, "failed_login_count", count)
    return count


def invite_person(*, email, display_name, role, invited_by, team=None, team_role=None):
    """Create an account without a password and an invitation link to set one.

    Returns ``(user, token)``; the token is shown once to the admin (and mailed).
    """
    user = User(
        email=normalise_email(email),
        display_name=display_name.strip(),
        role=Role(role),
        password_hash=None,
    )
    db.session.add(user)
    if team is not None:
        db.session.add(Membership(user=user, team=team, role=MembershipRole(team_role or "member")))
    db.session.flush()
    token = issue_invitation(user, invited_by)
    audit.record("user.invited", user, actor=invited_by, detail=f"role={user.role}")
    return user, token


ALREADY_HAS_PASSWORD = (
    "{name} already has a password, so no invitation can be sent. They recover their "
    'account themselves with "Forgotten your password?" on the log-in page.'
)


def issue_invitation(user, invited_by):
    """A fresh invitation for ``user``; earlier unused ones stop working.

    Only for an account that never set a password: the link is shown to the admin, so
    for anyone else it would let the admin become them (they reset by their own email).
    """
    if user.has_password:
        raise ValueError(ALREADY_HAS_PASSWORD.format(name=user.display_name))
    revoke_links(Invitation, user)
    invitation, token = Invitation.issue(
        user, invited_by, current_app.config["INVITATION_TTL_HOURS"]
    )
    db.session.add(invitation)
    db.session.flush()
    return token


def revoke_links(model, user):
    """Stop every unused link of ``model``'s kind (Invitation, PasswordReset, EmailChange)
    that ``user`` has from working."""
    now = utcnow()
    for old in db.session.scalars(
        db.select(model).where(
            model.user_id == user.id, model.used_at.is_(None), model.revoked_at.is_(None)
        )
    ):
        old.revoked_at = now


def usable_link(model, token):
    """The link of ``model``'s kind that ``token`` opens, while it is usable (not used,
    expired or revoked), or None."""
    link = db.session.scalar(db.select(model).where(model.token_hash == hash_token(token or "")))
    return link if link is not None and link.is_usable() else None


def find_usable_invitation(token):
    """The invitation ``token`` opens, or None; never one for an account with a password."""
    invitation = usable_link(Invitation, token)
    if invitation is None:
        return None
    user = invitation.user
    if not user.is_active or user.is_erased or user.has_password:
        return None
    return invitation


def accept_invitation(invitation, password):
    """Set the invited person's password and spend the invitation."""
    invitation.mark_used()
    set_password(invitation.user, password)
    audit.record("user.invitation_accepted", invitation.user, actor=invitation.user)
    return invitation.user


def set_password(user, password):
    """Store a new password hash and end every other session of this person.

    Unused invitations and password-reset links of theirs stop working too.
    """
    user.password_hash = hash_password(password)
    user.failed_login_count = 0
    user.locked_until_at = None
    user.end_sessions()
    revoke_links(Invitation, user)
    revoke_links(PasswordReset, user)


def request_password_reset(email):
    """A reset link for the account using ``email``: ``(user, token)``, or ``(None, None)``.

    Unknown, deactivated and erased accounts get nothing, and the caller answers them
    exactly as it answers the others. The link goes only to the account's own address;
    earlier links keep working until one of them is used or they expire.
    """
    user = find_user_by_email(email)
    if user is None or not user.is_active or user.is_erased:
        # No trace of the address typed (see audit.py): the client address is logged.
        audit.record("password_reset.requested", detail="no active account")
        return None, None
    reset, token = PasswordReset.issue(user, current_app.config["PASSWORD_RESET_TTL_MINUTES"])
    db.session.add(reset)
    db.session.flush()
    audit.record("password_reset.requested", user, actor=user)
    return user, token


def find_usable_password_reset(token):
    """The reset ``token`` opens, or None (unknown, used, expired, revoked, account gone)."""
    reset = usable_link(PasswordReset, token)
    if reset is None or not reset.user.is_active or reset.user.is_erased:
        return None
    return reset


def complete_password_reset(reset, password):
    """Set the new password, spend this link and every other one, end every session."""
    reset.mark_used()
    set_password(reset.user, password)
    audit.record("password_reset.completed", reset.user, actor=reset.user)
    return reset.user


def reauthenticate(user, password):
    """True when ``password`` is the logged-in person's; failures count towards a lock-out.

    When the failures lock the account, its sessions end too: someone guessing at
    an unattended session is logged out.
    """
    now = utcnow()
    matches = verify_password(user.password_hash, password)
    if user.is_locked(now):
        audit.record("reauth.refused_locked", user, actor=user)
        return False
    if not matches:
        if _count_failure(user, now, "reauth.failed"):
            user.end_sessions()
        return False
    user.failed_login_count = 0
    audit.record("reauth.succeeded", user, actor=user)
    return True


def change_email(user, new_email):
    """Give ``user`` a new (normalised) email address and end their other sessions."""
    address = normalise_email(new_email)
    if find_user_by_email(address) is not None:
        raise ValueError("Someone else already uses this email address")
    old = user.email
    user.email = address
    user.end_sessions()
    audit.record("user.email_changed", user, actor=user, detail=f"from {old}")
    return old


def request_email_change(user, new_email):
    """Ask for ``user``'s address to become ``new_email``, once a link sent there is opened.

    Returns the link's token, or None when someone already has that address: then
    nothing changes, and the page says the same as when it is free (the holder is told
    instead), so the form cannot be used to find out who has an account. Earlier pending
    changes of the person stop working.
    """
    address = normalise_email(new_email)
    revoke_links(EmailChange, user)
    if find_user_by_email(address) is not None:
        audit.record("user.email_change_refused", user, actor=user, detail="address in use")
        return None
    change, token = EmailChange.issue(user, address, current_app.config["EMAIL_CHANGE_TTL_HOURS"])
    db.session.add(change)
    db.session.flush()
    audit.record("user.email_change_requested", user, actor=user)
    return token


def find_usable_email_change(token, user):
    """The pending change of ``user``'s address that ``token`` confirms, or None."""
    change = usable_link(EmailChange, token)
    return change if change is not None and change.user_id == user.id else None


def confirm_email_change(change):
    """Spend ``change`` and give its person the new address; returns the old address.

    Raises ValueError when the address was taken since the link was sent.
    """
    change.mark_used()
    return change_email(change.user, change.new_email)


def log_out_everywhere(user):
    """Log-out: bump the session version so a copied cookie stops working too."""
    user.end_sessions()
    audit.record("logout", user, actor=user)
