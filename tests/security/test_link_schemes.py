"""Markdown links: only http, https, mailto and links on this site keep their href."""

import re

import pytest

from learning_hub.core.extensions import db
from learning_hub.core.markdown import render
from learning_hub.modules.models import Reflection

HOSTILE = [
    "[x](javascript:123)",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](  javascript:alert(1))",
    "[x](tel:123)",
    "[x](page:1)",
    "<javascript:123>",
    '<a href="javascript:123">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="java&#x09;script:alert(1)">x</a>',
    '<a href="jav&#x0A;ascript:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="&#x01;javascript:alert(1)">x</a>',
    '<a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="file:///etc/passwd">x</a>',
    '<a href="tel:123">x</a>',
    '<a href="feed:javascript:alert(1)">x</a>',
]
KEPT = {
    "[x](https://example.org/a:b)": "https://example.org/a:b",
    "[x](http://example.org)": "http://example.org",
    "[x](mailto:someone@example.org)": "mailto:someone@example.org",
    "<https://example.org>": "https://example.org",
    "see www.example.org today": "http://www.example.org",
    "[x](/modules/choice)": "/modules/choice",
    "[x](#principles)": "#principles",
    "[x](?page=2)": "?page=2",
    "[x](notes/next)": "notes/next",
    "[x](./a:b)": "./a:b",
}
HREF = re.compile(r'href="([^"]*)"')


@pytest.mark.parametrize("text", HOSTILE)
def test_a_link_to_any_other_scheme_loses_its_href(text):
    """Does a link to javascript:, data:, vbscript: or any scheme but http, https and
    mailto, however it is spelled, come out with no href at all?"""
    html = str(render(text))
    assert HREF.findall(html) == [], html


@pytest.mark.parametrize(("text", "href"), KEPT.items())
def test_web_mail_and_on_site_links_keep_their_href(text, href):
    """Do http, https, mailto and on-site links keep the href that was written?"""
    import html as html_lib

    assert [html_lib.unescape(h) for h in HREF.findall(str(render(text)))] == [href]


def test_a_reflection_with_hostile_links_shows_none_of_them(app, world, client_for):
    """Does a reflection written with hostile links show them, on its page, without an href?"""
    client = client_for("staff")
    module = next(iter(app.extensions["content"].library))
    prompt = module.prompts[0].id
    body = "\n\n".join([*HOSTILE, "[fine](https://example.org)"])
    response = client.post(
        f"/modules/{module.slug}/prompts/{prompt}",
        data={f"{prompt}-body": body, f"{prompt}-share_team_id": "0"},
    )
    assert response.status_code == 302
    reflection = db.session.scalars(
        db.select(Reflection).where(Reflection.author_id == world.staff.id)
    ).one()
    page = client.get(f"/reflections/{reflection.id}").get_data(as_text=True)
    hrefs = HREF.findall(page)
    assert "https://example.org" in hrefs
    assert not [h for h in hrefs if re.match(r"\s*(javascript|data|vbscript|tel|page)", h, re.I)]


@pytest.mark.parametrize(
    "text", ["ftp://files.example.org/a", "feed://example.org", "ssh://example.org"]
)
def test_linkify_makes_no_link_with_another_scheme(text):
    """Is a bare address with a scheme other than http, https or mailto left as text?"""
    assert HREF.findall(str(render(text))) == []
