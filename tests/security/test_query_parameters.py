"""Every query parameter of every page: any value is a page or a refusal, never a crash.

PARAMETERS declares what each GET route reads from its query string. One test reads
every GET page, as each viewer who may see it, and fails if a route reads a parameter
not declared here, so a new one cannot go unfuzzed; a property-based test (hypothesis)
then sends hostile values for every declared parameter, as each of those viewers.
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import ImmutableMultiDict

from tests.security.test_fuzz import hostile, numberish
from tests.site.test_authorization_matrix import MATRIX, build_url, rule_methods, url_arguments

ALLOWED = {200, 302, 400, 403, 404}
QUERY_FUZZ = settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
    database=None,
)

# Months as the month input sends them, from year 1 to 9999 (boundaries come often).
real_month = st.dates().map(lambda d: f"{d.year:04}-{d.month:02}")
month = st.one_of(
    real_month,
    real_month,
    st.sampled_from(
        ["2026-01", "2025-12", "9998-12", "9999-01", "9999-12", "10000-01", "0001-01"]
        + ["0000-01", "-1-01", "2026-00", "2026-13", "2026--1", "2026-1-1", "1" * 5000]
        + ["2026-" + "1" * 5000, "2026-01-01", "٢٠٢٦-٠١", " 2026-01 ", "2026_01", "+2026-+1"]
    ),
    st.builds(
        lambda y, m: f"{y}-{m:02}",
        st.one_of(st.integers(9990, 10_010), st.integers(-(10**6), 10**6)),
        st.one_of(st.integers(1, 12), st.integers(-(10**20), 10**20)),
    ),
    hostile,
)
page_number = st.one_of(numberish, hostile)
next_url = st.one_of(
    st.sampled_from(["/", "/account", "//evil.example", "https://evil.example", "javascript:x"]),
    st.sampled_from(["/\\evil.example", "/%2F%2Fevil", "\\\\evil", "/" + "a" * 5000]),
    hostile,
)


def choice(*values):
    return st.one_of(st.sampled_from(values), hostile)


# Read on every request (pagination.refuse_impossible_pages): known to every route.
EVERYWHERE = {"page": page_number, "entries_page": page_number}
DRIFT_RANGE = {"from": month, "to": month, "baseline_from": month, "baseline_to": month}
PAGED = {"page": page_number}
# endpoint -> {parameter it reads: values to send}
PARAMETERS = {
    "auth.login": {"next": next_url},
    "auth.reauthenticate": {"next": next_url},
    "modules.index": {"principle": choice("autonomy", "voice", ""), "q": hostile},
    "modules.learning": {"module": choice("building-shared-meaning", ""), **PAGED},
    "modules.new_goal": {"module": choice("building-shared-meaning", "nope")},
    "modules.team_reflections": PAGED,
    "modules.reflection": PAGED,
    "cases.index": {
        "status": choice("open", "closed", "all"),
        "pattern": choice("chaotic", "avoidant", ""),
        **PAGED,
    },
    "cases.detail": {"entries_page": page_number, **PAGED},
    "cases.plan": {"edit": choice("1", "")},
    "cases.access": PAGED,
    "cases.reflection": PAGED,
    "reviews.index": PAGED,
    "reviews.team_actions": PAGED,
    "selfchecks.profile": PAGED,
    "admin.people": {"q": hostile, **PAGED},
    "admin.audit_log": {"action": choice("login", "case.", ""), **PAGED},
    "dashboard.drift_dashboard": DRIFT_RANGE,
    "dashboard.drift_csv": DRIFT_RANGE,
    "dashboard.drift_team": DRIFT_RANGE,
    "dashboard.drift_principle": DRIFT_RANGE,
}
# The dashboards read four months each: more examples, as there are more ways to be wrong.
EXAMPLES = dict.fromkeys(
    ["dashboard.drift_dashboard", "dashboard.drift_csv", "dashboard.drift_team"], 25
)
ROLES = ("anonymous", "staff", "facilitator", "leader", "admin", "outsider")


class Recorder:
    """The query parameters read (``get``, ``getlist``, ``[]``, ``in``) during a request."""

    read = set()


class RecordingArgs(ImmutableMultiDict):
    def __getitem__(self, key):
        Recorder.read.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None, type=None):
        Recorder.read.add(key)
        return super().get(key, default, type)

    def getlist(self, key, type=None):
        Recorder.read.add(key)
        return super().getlist(key, type)

    def __contains__(self, key):
        Recorder.read.add(key)
        return super().__contains__(key)


@pytest.fixture
def recording(app):
    class RecordingRequest(app.request_class):
        parameter_storage_class = RecordingArgs

    app.request_class = RecordingRequest
    Recorder.read = set()
    return Recorder


def get_pages(app):
    """(endpoint, rule) of every GET page, with the viewers who may see it (200)."""
    for method, rule in rule_methods(app):
        if method != "GET" or rule.endpoint == "static":
            continue
        viewers = [role for role in ROLES if MATRIX[(method, rule.rule)][role] == 200]
        yield rule, viewers


@pytest.fixture
def pages(app, world, client_for):
    """(endpoint, URL, the clients of the viewers who see it) for every GET page."""
    values = url_arguments(app, world)
    found = []
    for rule, viewers in get_pages(app):
        if "feed_token" in rule.arguments:
            values["feed_token"] = values["team_feed" if "/team/" in rule.rule else "person_feed"]
        clients = [
            app.test_client() if role == "anonymous" else client_for(getattr(world, role))
            for role in viewers
        ]
        found.append((rule.endpoint, build_url(app, rule, values, "GET"), clients))
    return found


def test_every_parameter_a_page_reads_is_declared(app, world, pages, recording):
    """Does every GET page read only query parameters declared (and fuzzed) here?"""
    undeclared = {}
    for endpoint, url, clients in pages:
        declared = set(PARAMETERS.get(endpoint, {})) | set(EVERYWHERE)
        for client in clients:
            recording.read = set()
            sample = dict.fromkeys(declared - {"next"}, "1")
            for query in ({}, sample):
                response = client.get(url, query_string=query)
                assert response.status_code in ALLOWED, (url, query, response.status_code)
            extra = recording.read - declared
            if extra:
                undeclared[endpoint] = sorted(extra)
    assert not undeclared, f"query parameters read but not declared in PARAMETERS: {undeclared}"


def test_every_declared_parameter_belongs_to_a_page(app):
    """Does every endpoint in PARAMETERS exist as a GET page?"""
    endpoints = {rule.endpoint for rule, _viewers in get_pages(app)}
    assert set(PARAMETERS) <= endpoints, set(PARAMETERS) - endpoints


@pytest.mark.parametrize("endpoint", sorted(PARAMETERS))
def test_any_query_value_is_a_page_or_a_refusal(app, world, pages, endpoint):
    """Does any value of any parameter this page reads give a page or a refusal, never a 500?"""
    url, clients = next((u, c) for e, u, c in pages if e == endpoint)
    names = sorted(PARAMETERS[endpoint])
    queries = st.fixed_dictionaries(
        {}, optional={name: PARAMETERS[endpoint][name] for name in names}
    )

    @settings(QUERY_FUZZ, max_examples=EXAMPLES.get(endpoint, QUERY_FUZZ.max_examples))
    @given(query=queries)
    def run(query):
        for client in clients:
            response = client.get(url, query_string=query)
            assert response.status_code in ALLOWED, (endpoint, query, response.status_code)

    run()


MONTHS_REFUSED = ["9999-12", "9999-01", "10000-01", "1" * 5000, "2026-" + "1" * 400, "0-1"]


@pytest.mark.parametrize("value", MONTHS_REFUSED)
@pytest.mark.parametrize(
    "path", ["/dashboard/drift", "/dashboard/drift.csv", "/dashboard/drift/principles/autonomy"]
)
@pytest.mark.parametrize("name", ["from", "to", "baseline_from", "baseline_to"])
def test_months_out_of_reach_are_refused(app, world, client_for, path, name, value):
    """Is a dashboard month past year 9998, or absurdly long, refused with 400?"""
    client = client_for("leader")
    other = {
        "from": "2025-01",
        "to": "2025-12",
        "baseline_from": "2025-01",
        "baseline_to": "2025-06",
    }
    response = client.get(path, query_string={**other, name: value})
    assert response.status_code == 400, (path, name, value[:20], response.status_code)


def test_a_month_in_year_9998_still_works(app, world, client_for):
    """Is a range ending in December 9998 still shown (200)?"""
    client = client_for("leader")
    response = client.get("/dashboard/drift?from=9998-01&to=9998-12")
    assert response.status_code == 200


@pytest.mark.parametrize("value", ["-1", "0", "-99999999999999999999", "abc", str(10**30)])
def test_impossible_entries_pages_are_refused(app, world, place, client_for, value):
    """Is ?entries_page= on a case that is not a page number refused, like ?page=?"""
    client = client_for("staff")
    response = client.get(f"/cases/{place['case'].id}?entries_page={value}")
    assert response.status_code == 400, (value, response.status_code)
    assert "page number" in response.get_data(as_text=True).lower()
