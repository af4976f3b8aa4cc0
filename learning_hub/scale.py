"""A large, deterministic generated organisation for benchmarks and growth checks.

Everything goes in through bulk inserts (SQLAlchemy Core executemany), not the
ORM one row at a time, so 800 people with three years of self-checks load in
well under a minute on SQLite.
"""

import random
from datetime import timedelta

from learning_hub.auth.models import Membership, Team, User
from learning_hub.auth.passwords import hash_password
from learning_hub.database import utcnow
from learning_hub.extensions import db
from learning_hub.selfchecks.drift import period_of
from learning_hub.selfchecks.models import PeriodScore, SelfCheck, SelfCheckAnswer

TEAM_NAMES = [
    "Riverside",
    "Harbour",
    "Moorland",
    "Castlegate",
    "Eastfield",
    "Westbrook",
    "Northgate",
    "Southmead",
    "Hillside",
    "Meadowbank",
    "Quayside",
    "Oakwood",
    "Ashford",
    "Brookvale",
    "Cliftonville",
    "Dalesend",
]


def _team_name(n):
    base = TEAM_NAMES[n % len(TEAM_NAMES)]
    return base if n < len(TEAM_NAMES) else f"{base} {n // len(TEAM_NAMES) + 1}"


def _insert(model, rows, chunk=5000):
    table = model.__table__
    for start in range(0, len(rows), chunk):
        db.session.execute(table.insert(), rows[start : start + chunk])


def _reset_sequences(models):
    """PostgreSQL: move id sequences past the ids inserted explicitly above."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for model in models:
        table = model.__tablename__
        db.session.execute(
            db.text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
            )
        )


def seed_scale(*, teams, people, years, seed, instrument, password, scale=1):
    """Generate teams, people, memberships and ``scale`` times the self-check volume.

    Returns the logins to print: one staff member, one facilitator, one leader.
    """
    rng = random.Random(seed)
    now = utcnow()
    password_hash = hash_password(password)
    prefix = f"scale{seed}"
    first_team = db.session.scalar(db.select(db.func.coalesce(db.func.max(Team.id), 0))) + 1
    _insert(
        Team,
        [
            {
                "id": first_team + n,
                "name": f"{_team_name(n)} ({prefix})",
                "description": "Generated for benchmarks.",
                "timezone": "Europe/London",
                "created_at": now,
            }
            for n in range(teams)
        ],
    )
    first_user = db.session.scalar(db.select(db.func.coalesce(db.func.max(User.id), 0))) + 1
    users, memberships = [], []
    for n in range(people):
        role = "leader" if n == people - 1 else "staff"
        users.append(
            {
                "id": first_user + n,
                "email": f"person{n}@{prefix}.example.org",
                "display_name": f"Generated Person {n}",
                "password_hash": password_hash,
                "role": role,
                "is_active": True,
                "session_version": 1,
                "failed_login_count": 0,
                "created_at": now,
            }
        )
        if role == "staff":
            memberships.append(
                {
                    "user_id": first_user + n,
                    "team_id": first_team + n % teams,
                    "role": "facilitator" if n < teams else "member",
                    "created_at": now,
                }
            )
    _insert(User, users)
    _insert(Membership, memberships)

    items = instrument.items
    first_check = db.session.scalar(db.select(db.func.coalesce(db.func.max(SelfCheck.id), 0))) + 1
    checks, answers, period_rows = [], [], {}
    days = 365 * years
    interval = max(1, round(days * people / (20_000 * scale)))
    drifting = {t: rng.sample(instrument.principles, 2) for t in range(teams) if t % 4 == 0}
    check_id = first_check
    for n in range(people - 1):
        team = n % teams
        level = {p: rng.uniform(2.2, 3.4) for p in instrument.principles}
        day = days - rng.randint(0, interval)
        while day > 0:
            submitted = now - timedelta(days=day, minutes=rng.randint(0, 600))
            progress = 1 - day / days
            scores = {}
            for item in items:
                mean = level[item.principle]
                if item.principle in drifting.get(team, ()) and progress > 0.7:
                    mean -= 3 * (progress - 0.7)
                rating = min(4, max(0, round(rng.gauss(mean, 0.6))))
                answers.append(
                    {
                        "self_check_id": check_id,
                        "item_id": item.id,
                        "principle": item.principle,
                        "rating": rating,
                    }
                )
                scores.setdefault(item.principle, []).append(rating)
            checks.append(
                {
                    "id": check_id,
                    "user_id": first_user + n,
                    "instrument_slug": instrument.slug,
                    "instrument_version": instrument.version,
                    "status": "submitted",
                    "notes": {},
                    "started_at": submitted,
                    "updated_at": submitted,
                    "submitted_at": submitted,
                }
            )
            period = period_of(submitted)
            for principle, values in scores.items():
                period_rows[(first_user + n, period, principle)] = {
                    "user_id": first_user + n,
                    "period_on": period,
                    "principle": principle,
                    "score": sum(values) / len(values),
                    "self_check_id": check_id,
                    "submitted_at": submitted,
                }
            check_id += 1
            day -= rng.randint(max(1, interval - 7), interval + 7)
    _insert(SelfCheck, checks)
    _insert(SelfCheckAnswer, answers)
    _insert(PeriodScore, list(period_rows.values()))
    _reset_sequences([Team, User, SelfCheck])
    db.session.flush()
    return {
        "staff": users[teams]["email"],
        "facilitator": users[0]["email"],
        "leader": users[-1]["email"],
        "self_checks": len(checks),
        "answers": len(answers),
    }
