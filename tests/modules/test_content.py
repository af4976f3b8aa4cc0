"""Loading and validating the module library, the content check command, reloads."""

import shutil
import textwrap
from pathlib import Path

import pytest

from learning_hub import content
from learning_hub.core.audit import AuditEntry
from learning_hub.core.extensions import db
from tests.conftest import BASE_CONFIG, make_app

REPO_CONTENT = Path(BASE_CONFIG["CONTENT_DIR"])

GOOD = """\
---
slug: {slug}
title: {title}
summary: A short module for the tests.
principles: [autonomy]
minutes: 10
version: {version}
prompts:
  - id: first
    text: What did you notice?
  - id: second
    text: What will you try?
  - id: third
    text: Who will you tell?
---

## Body

Some teaching text with a [link](/modules/{link}).
"""


def write(folder, name, text):
    (folder / "modules").mkdir(parents=True, exist_ok=True)
    path = folder / "modules" / f"{name}.md"
    path.write_text(textwrap.dedent(text))
    return path


def good(folder, slug="alpha", link="alpha", version=1, title=None):
    return write(
        folder,
        slug,
        GOOD.format(slug=slug, link=link, version=version, title=title or slug.title()),
    )


def faults_for(folder):
    with pytest.raises(content.ContentError) as excinfo:
        content.load_library(folder)
    return [str(f) for f in excinfo.value.faults]


def test_the_real_library_is_valid_and_substantial():
    """Do at least ten real modules load, each 600-1,500 words with three or more prompts?"""
    library = content.load_library(REPO_CONTENT)
    assert len(library) >= 10
    for module in library:
        assert 600 <= module.words <= 1500, (module.slug, module.words)
        assert len(module.prompts) >= 3
        assert "lorem" not in module.body_html.lower() and "todo" not in module.body_html.lower()
        assert "Try this week" in module.body_html


def test_valid_fixture_loads(tmp_path):
    """Does a well-formed module load with its prompts and rendered body?"""
    good(tmp_path, "alpha", link="beta")
    good(tmp_path, "beta", link="alpha")
    library = content.load_library(tmp_path)
    alpha = library.get("alpha")
    assert [p.id for p in alpha.prompts] == ["first", "second", "third"]
    assert '<a href="/modules/beta">link</a>' in alpha.body_html
    assert library.search("alpha")[0].slug == "alpha"
    assert library.search("", "relevance") == []


@pytest.mark.parametrize(
    ("replace", "expected"),
    [
        (
            ("principles: [autonomy]", "principles: [autonomy, kindness]"),
            "alpha.md:5: unknown principle 'kindness'",
        ),
        (("minutes: 10", "minutes: ten"), "alpha.md:6: minutes must be a whole number"),
        (("slug: alpha", "slug: Alpha One"), "alpha.md:2: slug must be lowercase"),
        (("slug: alpha", "slug: other"), "slug 'other' must match the file name"),
        (("  - id: second", "  - id: first"), "alpha.md:11: duplicate prompt id 'first'"),
        (("summary: A short module for the tests.\n", ""), "missing field 'summary'"),
        (("version: 1", "version: 1\ncolour: blue"), "alpha.md:8: unknown field 'colour'"),
        (
            ("(/modules/alpha)", "(/modules/nowhere)"),
            "alpha.md:19: broken link to unknown module 'nowhere'",
        ),
        (("(/modules/alpha)", "(/admin/)"), "must point to a module"),
        (("title: Alpha", "title: [unclosed"), "front matter is not valid YAML"),
    ],
)
def test_broken_fixtures_report_file_and_line(tmp_path, replace, expected):
    """Is each kind of fault reported with its file and line?"""
    path = good(tmp_path)
    path.write_text(path.read_text().replace(*replace))
    faults = faults_for(tmp_path)
    assert any(expected in fault for fault in faults), faults


def test_duplicate_slugs_are_refused(tmp_path):
    """Are two files claiming one slug refused?"""
    good(tmp_path, "alpha")
    path = write(tmp_path, "copy", GOOD.format(slug="alpha", link="alpha", version=1, title="Copy"))
    faults = faults_for(tmp_path)
    assert any("slug 'alpha' must match the file name 'copy'" in f for f in faults)
    assert path.exists()


def test_missing_front_matter_is_refused(tmp_path):
    """Is a file without front matter reported at line 1?"""
    write(tmp_path, "plain", "## Just a heading\n")
    assert faults_for(tmp_path) == [
        f"{tmp_path / 'modules' / 'plain.md'}:1: file must start with '---' and YAML front matter"
    ]


def test_content_check_command(runner, tmp_path):
    """Does `content check` pass the real library and fail a broken one with file:line?"""
    ok = runner.invoke(args=["content", "check"])
    assert ok.exit_code == 0
    assert "Content OK" in ok.output
    path = good(tmp_path)
    path.write_text(path.read_text().replace("[autonomy]", "[nonsense]"))
    bad = runner.invoke(args=["content", "check", "--dir", str(tmp_path)])
    assert bad.exit_code == 1
    assert f"{path}:5: unknown principle 'nonsense'" in bad.output


def test_site_refuses_to_start_on_invalid_content(tmp_path):
    """Does create_app refuse invalid content with the same message as the check?"""
    path = good(tmp_path)
    path.write_text(path.read_text().replace("[autonomy]", "[nonsense]"))
    with pytest.raises(content.ContentError, match="unknown principle 'nonsense'"):
        make_app("sqlite://", CONTENT_DIR=str(tmp_path))


def test_library_is_parsed_once_and_cached(tmp_path, monkeypatch):
    """Is the library parsed once per set of files, not again for each app or request?"""
    good(tmp_path)
    calls = []
    real = content.load_library
    monkeypatch.setattr(content, "load_library", lambda d: calls.append(d) or real(d))
    first = content.cached_library(tmp_path)
    assert content.cached_library(tmp_path) is first
    assert len(calls) == 1


@pytest.fixture
def content_copy(tmp_path):
    folder = tmp_path / "content"
    shutil.copytree(REPO_CONTENT, folder)
    return folder


@pytest.fixture
def app_config(content_copy):
    return {"CONTENT_DIR": str(content_copy)}


def test_admin_reload_picks_up_changes_and_is_audited(client_for, app, content_copy):
    """Does an admin's reload serve edited content at once, without a restart?"""
    client = client_for("admin")
    path = content_copy / "modules" / "designing-for-autonomy.md"
    path.write_text(
        path.read_text().replace(
            "title: Designing for autonomy", "title: Designing for real choice"
        )
    )
    assert b"Designing for real choice" not in client.get("/modules").data
    response = client.post("/admin/content/reload")
    assert response.status_code == 302
    assert b"Designing for real choice" in client.get("/modules").data
    assert db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "content.reloaded"))


def test_failed_reload_keeps_serving_the_old_library(client_for, app, content_copy):
    """Does a broken edit show its faults and leave the working library in place?"""
    client = client_for("admin")
    path = content_copy / "modules" / "designing-for-autonomy.md"
    path.write_text(path.read_text().replace("minutes: 20", "minutes: lots"))
    response = client.post("/admin/content/reload")
    assert response.status_code == 400
    assert b"designing-for-autonomy.md:" in response.data
    assert b"minutes must be a whole number" in response.data
    assert client.get("/modules/designing-for-autonomy").status_code == 200


@pytest.mark.real_commits
def test_other_processes_follow_a_reload(app, content_copy, world, client_for, monkeypatch):
    """Does a process that did not perform the reload pick it up from the audit log?"""
    from learning_hub.core import audit

    other = make_app(app.config["SQLALCHEMY_DATABASE_URI"], CONTENT_DIR=str(content_copy))
    state = other.extensions["content"]
    monkeypatch.setattr(content.ContentState, "SYNC_SECONDS", 0)
    with other.test_request_context("/modules"):
        content.sync_with_other_processes()
        db.session.remove()
    path = content_copy / "modules" / "designing-for-autonomy.md"
    path.write_text(
        path.read_text().replace(
            "title: Designing for autonomy", "title: Designing for real choice"
        )
    )
    audit.record(content.RELOAD_ACTION, actor=world.admin)
    db.session.commit()
    with other.test_request_context("/modules"):
        content.sync_with_other_processes()
        db.session.remove()
        db.engine.dispose()  # the second app's pool must not outlive the test
    assert state.library.get("designing-for-autonomy").title == "Designing for real choice"
