"""Command-line tasks."""

from learning_hub.auth.models import Membership, Role, Team, User
from learning_hub.auth.passwords import verify_password
from learning_hub.core.extensions import db


def test_seed_demo_creates_the_demo_organisation_twice_safely(runner):
    """Does seed-demo build the demo teams and people, and is a second run harmless?"""
    for _ in range(2):
        result = runner.invoke(args=["seed-demo", "--password", "demo-password-123"])
        assert result.exit_code == 0, result.output
    assert "staff@example.org" in result.output
    assert db.session.scalar(db.select(db.func.count(User.id))) == 11
    assert db.session.scalar(db.select(db.func.count(Team.id))) == 2
    staff = db.session.scalar(db.select(User).where(User.email == "staff@example.org"))
    assert verify_password(staff.password_hash, "demo-password-123")
    north = db.session.scalar(db.select(Team).where(Team.name == "North"))
    roles = {
        m.user.email: m.role.value
        for m in db.session.scalars(db.select(Membership).where(Membership.team_id == north.id))
    }
    assert roles["facilitator@example.org"] == "facilitator"
    assert roles["staff@example.org"] == "member"
    assert "outsider@example.org" not in roles and len(roles) >= 3
    outsider = db.session.scalar(db.select(User).where(User.email == "outsider@example.org"))
    assert [m.team.name for m in outsider.memberships] == ["South"]


def test_seed_demo_generates_a_password_when_none_given(runner):
    """Without --password, is one generated and printed?"""
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0
    password = result.output.strip().splitlines()[-1].split(": ")[1]
    staff = db.session.scalar(db.select(User).where(User.email == "staff@example.org"))
    assert verify_password(staff.password_hash, password)


def test_seed_demo_refuses_a_weak_password(runner):
    """Is a demo password that breaks the policy refused?"""
    result = runner.invoke(args=["seed-demo", "--password", "short"])
    assert result.exit_code != 0
    assert db.session.scalar(db.select(db.func.count(User.id))) == 0


def test_seed_demo_if_empty_leaves_a_real_database_alone(runner, create_user):
    """Does --if-empty skip loading when people already exist?"""
    create_user(email="real@example.org")
    result = runner.invoke(args=["seed-demo", "--if-empty", "--password", "demo-password-123"])
    assert "not loaded" in result.output
    assert db.session.scalar(db.select(db.func.count(User.id))) == 1


def test_create_admin_prints_a_one_time_link(runner, client):
    """Does create-admin make an admin and print a link that sets their password?"""
    result = runner.invoke(args=["create-admin", "boss@example.org", "--name", "Bo Boss"])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(db.select(User).where(User.email == "boss@example.org"))
    assert user.role == Role.ADMIN
    link = result.output.strip().splitlines()[-1].strip()
    assert link.startswith("http://localhost/invitation/")  # BASE_URL of the testing profile
    path = link.removeprefix("http://localhost")
    assert client.get(path).status_code == 200
    again = runner.invoke(args=["create-admin", "boss@example.org"])
    assert again.exit_code != 0


def test_production_refuses_to_start_without_a_secret(monkeypatch):
    """Does the production profile refuse a missing or short SECRET_KEY, and DEBUG?"""
    import pytest

    from config import ConfigError, ProductionConfig
    from learning_hub import create_app

    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", "too-short")
    monkeypatch.setattr(ProductionConfig, "SQLALCHEMY_DATABASE_URI", "sqlite://")
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app(ProductionConfig)
    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", "k" * 40)
    monkeypatch.setattr(ProductionConfig, "DEBUG", True)
    with pytest.raises(ConfigError, match="DEBUG"):
        create_app(ProductionConfig)


def test_seed_demo_adds_learning_for_the_demo_staff(runner, app):
    """Does seed-demo give the demo staff progress, reflections, a response and a goal?"""
    from learning_hub.modules import services
    from learning_hub.modules.models import LearningGoal, Reflection, ReflectionResponse

    for _ in range(2):
        assert runner.invoke(args=["seed-demo", "--password", "demo-password-123"]).exit_code == 0
    staff = db.session.scalar(db.select(User).where(User.email == "staff@example.org"))
    library = app.extensions["content"].library
    statuses = services.module_statuses(staff, library)
    assert {s.status for s in statuses.values()} >= {
        services.Status.IN_PROGRESS,
        services.Status.REVISIT,
        services.Status.NOT_STARTED,
    }
    suggestions = services.revisit_suggestions(staff, library)
    assert [s.module.slug for s in suggestions] == ["what-non-attendance-communicates"]
    mine = db.session.scalars(db.select(Reflection).where(Reflection.author_id == staff.id)).all()
    assert any(r.shared_team_id for r in mine) and any(not r.shared_team_id for r in mine)
    assert db.session.scalar(db.select(db.func.count(ReflectionResponse.id))) == 1
    assert db.session.scalar(db.select(db.func.count(LearningGoal.id))) == 1
    assert len(mine) == len({(r.module_slug, r.prompt_id) for r in mine})  # second run added none
