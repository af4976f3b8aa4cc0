"""A form's fields as a GET first shows them are drawn once in the one cache; a form with
what the person typed, or with errors, is drawn from itself every time."""

import re

from werkzeug.datastructures import MultiDict

from learning_hub.cases.forms import EntryForm, TriggerForm
from learning_hub.core.extensions import cache
from learning_hub.core.forms import fields_key
from tests import factories


def test_the_same_blank_form_has_the_same_key_and_any_difference_another(app):
    with app.test_request_context():
        assert fields_key(EntryForm(formdata=None)) == fields_key(EntryForm(formdata=None))
        assert fields_key(EntryForm(formdata=None)) != fields_key(TriggerForm(formdata=None))
        assert fields_key(EntryForm(formdata=None)) != fields_key(
            EntryForm(formdata=None, prefix="other")
        )
        assert fields_key(TriggerForm(formdata=None)) != fields_key(
            TriggerForm(formdata=None, description="Started a new job")
        )


def test_a_posted_or_refused_form_has_no_key(app):
    with app.test_request_context(method="POST"):
        posted = TriggerForm(formdata=MultiDict({"kind": "behaviour", "description": "x"}))
        assert fields_key(posted) is None
        refused = TriggerForm(formdata=MultiDict({"kind": "behaviour", "description": "x" * 501}))
        refused.validate()
        assert refused.errors
        assert fields_key(refused) is None


def _fields_in_cache():
    return [key for key in cache.cache._cache if "form-fields" in key]


def test_a_case_page_draws_its_blank_forms_once_and_a_refused_one_from_what_was_typed(
    client_for, world
):
    client = client_for("staff")
    case = factories.create_case(world.north, world.staff)
    first = client.get(f"/cases/{case.id}").get_data(as_text=True)
    drawn = _fields_in_cache()
    assert len(drawn) == 3, "the entry, trigger and pattern forms' fields are kept"
    second = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert _fields_in_cache() == drawn

    def tokens_blanked(html):
        return re.sub(r'(name="(?:csrf|submission)_token" type="hidden" value=")[^"]+', r"\1", html)

    def entry_form(html):
        start = html.index(f'action="/cases/{case.id}/entries"')
        return html[start : html.index("</form>", start)]

    assert tokens_blanked(entry_form(first)) == tokens_blanked(entry_form(second))
    assert first.count('name="submission_token"') >= 2
    tokens = re.findall(r'name="submission_token" type="hidden" value="([0-9a-f]{32})"', second)
    assert not set(tokens) & set(
        re.findall(r'name="submission_token" type="hidden" value="([0-9a-f]{32})"', first)
    ), "every rendering carries fresh one-time tokens"

    typed = client.post(
        f"/cases/{case.id}/triggers", data={"kind": "behaviour", "description": "y" * 501}
    )
    assert typed.status_code == 400
    assert "y" * 501 in typed.get_data(as_text=True)
    assert "y" * 501 not in client.get(f"/cases/{case.id}").get_data(as_text=True)
