"""The case page's forms: they post with their tokens, save once, keep what was typed."""

import re
from datetime import date

import pytest

from learning_hub.cases.models import TimelineEntry
from learning_hub.core.extensions import db
from tests import factories


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_the_entry_form_posts_with_its_tokens_and_saves_once(app_config, client_for, world):
    """Does a case page's empty entry form post with its CSRF token, and save only once?"""
    client = client_for("staff")
    case = factories.create_case(world.north, world.staff)
    html = client.get(f"/cases/{case.id}").get_data(as_text=True)
    form = html[html.index(f'action="/cases/{case.id}/entries"') :]
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
    token = re.search(r'name="submission_token" type="hidden" value="([0-9a-f]{32})"', form)
    data = {
        "csrf_token": csrf,
        "submission_token": token.group(1),
        "occurred_on": date.today().isoformat(),
        "method": "phone",
        "initiated_by": "worker",
        "outcome": "reached",
        "note": "Talked about the bus route to the clinic.",
    }
    assert client.post(f"/cases/{case.id}/entries", data=data).status_code == 302
    again = client.post(f"/cases/{case.id}/entries", data=data)
    assert "already saved" in client.get(again.location).get_data(as_text=True)
    count = db.select(db.func.count(TimelineEntry.id)).where(TimelineEntry.case_id == case.id)
    assert db.session.scalar(count) == 1


def test_a_refused_form_is_shown_with_what_was_typed(client_for, world):
    """Is a form with errors shown again with the person's text and choice kept?"""
    client = client_for("staff")
    case = factories.create_case(world.north, world.staff)
    typed = client.post(
        f"/cases/{case.id}/triggers",
        data={"kind": "behaviour", "description": "x" * 501},
    )
    html = typed.get_data(as_text=True)
    assert typed.status_code == 400
    assert "x" * 501 in html
    assert '<option selected value="behaviour">' in html


def test_the_pattern_form_shows_the_pattern_the_team_last_recorded(client_for, world):
    """After the team records a pattern, and then another, does the form select each in turn?"""
    client = client_for("staff")
    case = factories.create_case(world.north, world.staff)
    url = f"/cases/{case.id}"
    assert '<option selected value="">Not decided</option>' in client.get(url).get_data(
        as_text=True
    )
    for pattern in ("sporadic", "steady"):
        saved = client.post(f"{url}/pattern", data={"pattern": pattern})
        assert saved.status_code == 302
        html = client.get(url).get_data(as_text=True)
        select = html[html.index('id="pattern-select"') :]
        select = select[: select.index("</select>")]
        assert f'<option selected value="{pattern}">' in select
        assert select.count("<option selected") == 1


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_a_page_of_several_forms_repeats_no_id(app_config, client_for, world):
    """Do the case page's hidden tokens leave every id on the page used once?"""
    client = client_for("staff")
    case = factories.create_case(world.north, world.staff)
    html = client.get(f"/cases/{case.id}").get_data(as_text=True)
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert html.count('name="csrf_token"') >= 3
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
