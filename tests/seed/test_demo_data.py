"""The demo data in content/demo/*.yaml: validated with file:line faults, checked by
`content check`."""

import shutil
from pathlib import Path

import pytest

from learning_hub import content, seed
from tests.conftest import BASE_CONFIG

REPO_CONTENT = Path(BASE_CONFIG["CONTENT_DIR"])


@pytest.fixture
def folder(tmp_path):
    shutil.copytree(REPO_CONTENT, tmp_path / "content")
    return tmp_path / "content"


def edit(path, old, new):
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    return text[: text.index(old)].count("\n") + 1  # the line edited


def faults_for(folder, library=None):
    with pytest.raises(content.ContentError) as excinfo:
        seed.load_demo(folder, library)
    return [str(f) for f in excinfo.value.faults]


def test_the_real_demo_data_is_valid():
    """Does the shipped demo data load: two teams, eleven people, twelve cases a team?"""
    demo = seed.load_demo(REPO_CONTENT, content.load_library(REPO_CONTENT))
    assert [t.name for t in demo.people.teams] == ["North", "South"]
    assert len(demo.people.people) == 11
    assert [c.team for c in demo.cases].count("North") == 12
    assert [c.team for c in demo.cases].count("South") == 12


def test_a_wrong_value_is_reported_with_file_and_line(folder):
    """Is a value outside its choices reported at its own line, naming the field?"""
    path = folder / "demo" / "cases" / "north-01.yaml"
    line = edit(path, "method: letter", "method: fax")
    faults = faults_for(folder)
    assert len(faults) == 1
    assert faults[0].startswith(f"{path}:{line}: timeline.0.method: Input should be"), faults


@pytest.mark.parametrize(
    ("name", "old", "new", "expected"),
    [
        ("cases/south-02.yaml", "gender: ", "mood: calm\ngender: ", "unknown field 'mood'"),
        ("cases/north-01.yaml", "  author: staff", "  author: nobody", "unknown person 'nobody'"),
        ("cases/north-03.yaml", "team: North", "team: East", "unknown team 'East'"),
        ("learning.yaml", "  - by: staff", "  - by: nobody", "unknown person 'nobody'"),
        ("people.yaml", "    name: Ada Admin\n", "", "missing field 'name'"),
        ("reviews.yaml", "duration_minutes: 90", "duration_minutes: long", "duration_minutes"),
    ],
)
def test_faults_name_their_file_and_line(folder, name, old, new, expected):
    """Is each kind of fault in the demo data reported with its file and line?"""
    path = folder / "demo" / name
    line = edit(path, old, new)
    faults = faults_for(folder)
    assert any(f.startswith(f"{path}:") and expected in f for f in faults), faults
    if expected != "missing field 'name'":  # a missing field is reported at its mapping
        assert any(f.startswith(f"{path}:{line}:") for f in faults), faults


def test_modules_named_must_exist(folder):
    """Is a reflection on a module the library does not have refused?"""
    path = folder / "demo" / "learning.yaml"
    line = edit(path, "module: designing-for-autonomy", "module: designing-for-nothing")
    faults = faults_for(folder, content.load_library(REPO_CONTENT))
    assert faults == [f"{path}:{line}: unknown module 'designing-for-nothing'"]


def test_content_check_checks_the_demo_data(runner, folder):
    """Does `content check` pass the demo data and fail a broken file with file:line?"""
    ok = runner.invoke(args=["content", "check", "--dir", str(folder)])
    assert ok.exit_code == 0, ok.output
    assert "Demo data OK: 11 people in 2 teams, 24 cases." in ok.output
    path = folder / "demo" / "cases" / "south-05.yaml"
    line = edit(path, "closed: ", "closed: perhaps\nx: ")
    bad = runner.invoke(args=["content", "check", "--dir", str(folder)])
    assert bad.exit_code == 1
    assert f"{path}:{line}: closed: Input should be a valid boolean" in bad.output


def test_seed_demo_refuses_broken_demo_data(app, runner, folder):
    """Does seed-demo stop, with the fault, before writing anything from broken data?"""
    edit(folder / "demo" / "people.yaml", "role: admin", "role: emperor")
    app.config["CONTENT_DIR"] = str(folder)
    result = runner.invoke(args=["seed-demo", "--password", "demo-password-123"])
    assert result.exit_code == 1
    assert "people.yaml:" in result.output and "role: Input should be" in result.output
    assert seed.database_is_empty()
