"""The main navigation: the links each role sees, and which one marks the current page."""

import re

import pytest

NAV = re.compile(r'<ul class="nav-links">(.*?)</ul>', re.S)
LINK = re.compile(r'<a href="([^"]+)"( aria-current="page")?>([^<]+)</a>')


def _links(client, url):
    page = client.get(url)
    assert page.status_code == 200
    return [
        (href, label, bool(current))
        for href, current, label in LINK.findall(NAV.search(page.get_data(as_text=True)).group(1))
    ]


@pytest.mark.parametrize(
    ("who", "extra"),
    [("staff", []), ("leader", ["Drift", "Engagement"]), ("admin", ["Admin"])],
)
def test_each_role_sees_its_own_links(client_for, who, extra):
    client = client_for(who)
    labels = [label for _href, label, _current in _links(client, "/")]
    assert labels[:4] == ["Home", "Modules", "My learning", "Self-check"]
    assert labels[4:-1] == extra  # the last is the person's own name: their account


@pytest.mark.parametrize(
    ("url", "current"),
    [
        ("/", "Home"),
        ("/modules", "Modules"),
        ("/modules/noticing-your-own-reactions", "Modules"),
        ("/learning", "My learning"),
        ("/learning/goals/new", "My learning"),
        ("/selfcheck", "Self-check"),
        ("/account", "Sam Staff"),
    ],
)
def test_the_current_page_is_marked_once(client_for, url, current):
    """Is exactly the link of the page's own part of the site marked as current?"""
    client = client_for("staff")
    marked = [label for _href, label, is_current in _links(client, url) if is_current]
    assert marked == [current]


def test_links_point_where_they_say(client_for):
    client = client_for("staff")
    links = {label: href for href, label, _current in _links(client, "/")}
    assert links["Modules"] == "/modules" and links["My learning"] == "/learning"
    assert links["Self-check"] == "/selfcheck" and links["Home"] == "/"


def test_a_name_with_markup_is_shown_as_text(client_for, create_user):
    """Is a display name with angle brackets escaped in the navigation?"""
    client = client_for(create_user(name="Kim <b>Bold</b>"))
    page = client.get("/").get_data(as_text=True)
    assert "Kim &lt;b&gt;Bold&lt;/b&gt;" in page and "<b>Bold</b>" not in page
