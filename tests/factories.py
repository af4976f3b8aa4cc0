"""Callables that build test data and commit it (Indico-style factory fixtures)."""

import itertools
from types import SimpleNamespace

from learning_hub.auth.models import Membership, MembershipRole, MembershipSpell, Role, Team, User
from learning_hub.auth.passwords import hash_password
from learning_hub.core.extensions import db

PASSWORD = "correct horse battery staple"
_counter = itertools.count(1)


def create_team(name=None, timezone="Europe/London"):
    team = Team(name=name or f"Team {next(_counter)}", description="", timezone=timezone)
    db.session.add(team)
    db.session.commit()
    return team


def create_user(role="staff", email=None, name=None, password=PASSWORD, teams=None, **fields):
    """A person; ``teams`` maps Team -> "member" or "facilitator".

    They belong to those teams since before the test's history begins (their spells
    have no start), so writing dated in the past counts for those teams; a test of
    joining and leaving uses the admin services, which date the spells."""
    n = next(_counter)
    user = User(
        email=email or f"person{n}@example.org",
        display_name=name or f"Person {n}",
        role=Role(role),
        password_hash=hash_password(password) if password else None,
        **fields,
    )
    db.session.add(user)
    for team, team_role in (teams or {}).items():
        db.session.add(Membership(user=user, team=team, role=MembershipRole(team_role)))
    db.session.flush()
    db.session.execute(
        db.update(MembershipSpell).where(MembershipSpell.user_id == user.id).values(started_at=None)
    )
    db.session.commit()
    return user


def create_world():
    north = create_team("North")
    south = create_team("South")
    return SimpleNamespace(
        north=north,
        south=south,
        admin=create_user("admin", "admin@example.org", "Ada Admin"),
        leader=create_user("leader", "leader@example.org", "Lee Leader"),
        facilitator=create_user(
            email="facilitator@example.org",
            name="Fran Facilitator",
            teams={north: "facilitator"},
        ),
        staff=create_user(email="staff@example.org", name="Sam Staff", teams={north: "member"}),
        outsider=create_user(
            email="outsider@example.org", name="Owen Outsider", teams={south: "member"}
        ),
    )


def create_reflection(
    author,
    module,
    prompt=None,
    body="I noticed I had decided too early.",
    share_team=None,
    **fields,
):
    """A reflection on ``module`` (first prompt unless given), through the service."""
    from learning_hub.modules import services

    reflection = services.write_reflection(
        author, module, prompt or module.prompts[0], body, share_team
    )
    for name, value in fields.items():
        setattr(reflection, name, value)
    db.session.commit()
    return reflection


def create_goal(
    owner,
    description="Offer two appointment times, not one.",
    share_team=None,
    principles=("autonomy",),
    module_slugs=(),
    target_on=None,
):
    from learning_hub.modules import services

    goal = services.save_goal(
        owner,
        description=description,
        principles=principles,
        module_slugs=module_slugs,
        target_on=target_on,
        share_team=share_team,
    )
    db.session.commit()
    return goal


def create_selfcheck(
    app, user, ratings=3, *, submit=True, submitted_at=None, share_team=None, notes=None
):
    """A self-check on the current instrument; ``ratings`` is one value or {item_id: value}."""
    from learning_hub.selfchecks import services

    instrument = app.extensions["content"].library.instrument
    values = ratings if isinstance(ratings, dict) else {i.id: ratings for i in instrument.items}
    check = services.save_answers(user, instrument, values, notes or {}, submit=False)
    if submit:
        check.submit()
        if submitted_at is not None:
            check.submitted_at = check.updated_at = check.started_at = submitted_at
        db.session.flush()
        services.record_period_scores(check)
    if share_team is not None:
        services.share_with_team(check, share_team, user)
    db.session.commit()
    return check


def create_case(
    team,
    user,
    *,
    gender="female",
    age_band="25-34",
    context="Referred after a tenancy ended.",
    entries=(),
):
    """A case with optional timeline ``entries``: (date, outcome) or full dicts."""
    from learning_hub.cases import services

    case = services.create_case(team, user, gender=gender, age_band=age_band, context=context)
    for entry in entries:
        if isinstance(entry, tuple):
            entry = {"occurred_on": entry[0], "outcome": entry[1]}
        services.record_entry(
            case, user, **{"method": "phone", "initiated_by": "worker", "note": "", **entry}
        )
    db.session.commit()
    return case


def create_case_reflection(case, author, **parts):
    from learning_hub.cases import services

    reflection = services.write_reflection(
        case,
        author,
        identify=parts.get("identify", "Patchy since the move."),
        analyse=parts.get("analyse", "Letters land badly."),
        plan=parts.get("plan", "Try texts in the afternoon."),
        feelings=parts.get("feelings", ["frustration"]),
        other_feeling="",
    )
    db.session.commit()
    return reflection


def create_review(
    team,
    facilitator,
    *,
    start=None,
    rule="FREQ=WEEKLY;INTERVAL=2",
    until=None,
    title="Team reflection",
):
    """A series of review sessions, by default fortnightly from next Tuesday at 10:00."""
    from datetime import date, datetime, time, timedelta

    from learning_hub.reviews import services

    if start is None:
        day = date.today() + timedelta(days=1)
        day += timedelta(days=(1 - day.weekday()) % 7)
        start = datetime.combine(day, time(10, 0))
    series = services.schedule(
        team,
        facilitator,
        title=title,
        location="Room 2",
        local_start=start,
        duration_minutes=90,
        rule_text=rule,
        until=until,
    )
    db.session.commit()
    return series


def create_agenda_item(
    session, user, *, kind="system-question", title="Where do our rules limit choice?", **links
):
    from learning_hub.reviews import services

    item = services.propose_item(session, user, kind=kind, title=title, timebox=15, **links)
    db.session.commit()
    return item


def create_action(session, creator, owner, description="Reword the appointment letter"):
    """An action taken on the session's first agenda item, as the site takes every one
    (on no item when the agenda is empty)."""
    from learning_hub.reviews import services

    action = services.add_action(
        session,
        creator,
        description=description,
        owner=owner,
        due_on=None,
        item=session.items[0] if session.items else None,
    )
    db.session.commit()
    return action
