"""The read-only request guard refuses every kind of write, not only the ORM's flushes."""

import pytest
import sqlalchemy as sa

from learning_hub.auth.models import User
from learning_hub.database import ReadOnlyRequestWrote, read
from learning_hub.extensions import db
from learning_hub.modules.models import LearningGoal


def _text_update(user_id):
    def view():
        db.session.execute(
            sa.text("UPDATE users SET display_name = 'Renamed' WHERE id = :id"), {"id": user_id}
        )
        return "written"

    return view


def _core_insert_through_read(user_id):
    def view():
        read(sa.insert(LearningGoal.__table__).values(owner_id=user_id, description="Sneaked in"))
        return "written"

    return view


def _core_update_on_connection(user_id):
    def view():
        db.session.connection().execute(
            sa.update(User.__table__)
            .where(User.__table__.c.id == user_id)
            .values(display_name="Renamed")
        )
        return "written"

    return view


def _driver_sql_update(user_id):
    def view():
        db.session.connection().exec_driver_sql(
            f"UPDATE users SET display_name = 'Renamed' WHERE id = {int(user_id)}"
        )
        return "written"

    return view


@pytest.mark.parametrize(
    "make_view",
    [_text_update, _core_insert_through_read, _core_update_on_connection, _driver_sql_update],
)
def test_a_get_that_writes_through_core_or_text_is_refused(
    app, staff_client, world, make_view, caplog
):
    """Is a text(), Core or driver-level write in a read-only GET refused, and nothing kept?"""
    app.add_url_rule("/_test/sneaky", "test_sneaky", make_view(world.staff.id))
    db.session.commit()
    assert staff_client.get("/_test/sneaky").status_code == 500
    errors = [getattr(r, "fields", {}).get("error") for r in caplog.records]
    assert ReadOnlyRequestWrote.__name__ in errors
    db.session.rollback()
    assert db.session.get(User, world.staff.id).display_name != "Renamed"
    assert db.session.query(LearningGoal).filter_by(description="Sneaked in").count() == 0


def test_a_get_that_only_reads_through_core_and_text_still_works(app, staff_client, world):
    """Do text() and Core reads in a read-only GET still answer?"""

    def view():
        name = db.session.execute(
            sa.text("SELECT display_name FROM users WHERE id = :id"), {"id": world.staff.id}
        ).scalar()
        count = read(sa.select(sa.func.count()).select_from(User.__table__)).scalar()
        return f"{name} {count}"

    app.add_url_rule("/_test/reads", "test_reads", view)
    db.session.commit()
    response = staff_client.get("/_test/reads")
    assert response.status_code == 200
    assert response.get_data(as_text=True).startswith(world.staff.display_name)
