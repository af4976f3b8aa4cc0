"""The generated organisation for benchmarks."""

from learning_hub.auth.models import Team, User
from learning_hub.extensions import db
from learning_hub.selfchecks.models import PeriodScore, SelfCheck, SelfCheckAnswer


def test_seed_scale_is_deterministic_and_loads_through_bulk_inserts(runner):
    """Does seed-scale create the teams, people and checks asked for, and print logins?"""
    result = runner.invoke(
        args=["seed-scale", "--teams", "4", "--people", "40", "--years", "1", "--seed", "7"]
    )
    assert result.exit_code == 0, result.output
    assert db.session.scalar(db.select(db.func.count(Team.id))) == 4
    assert db.session.scalar(db.select(db.func.count(User.id))) == 40
    checks = db.session.scalar(db.select(db.func.count(SelfCheck.id)))
    assert checks > 40
    assert db.session.scalar(db.select(db.func.count(SelfCheckAnswer.id))) == checks * 24
    assert db.session.scalar(db.select(db.func.count(PeriodScore.id))) > 0
    assert "leader person39@scale7.example.org" in result.output
    # New rows after the bulk insert get fresh ids (PostgreSQL sequences moved on).
    runner.invoke(args=["seed-demo", "--password", "demo-password-123"])
    assert db.session.scalar(db.select(db.func.count(User.id))) == 40 + 11
