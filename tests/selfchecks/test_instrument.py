"""Loading and validating self-check instruments."""

import shutil
import textwrap
from pathlib import Path

import pytest

from learning_hub import content
from tests.conftest import BASE_CONFIG

REPO_CONTENT = Path(BASE_CONFIG["CONTENT_DIR"])

INSTRUMENT = """\
slug: fidelity
version: {version}
title: A test instrument
introduction: For the tests.
scale:
  0: "Not yet"
  1: "Rarely"
  2: "Sometimes"
  3: "Usually"
  4: "Consistently"
principles:
  - key: autonomy
    note_prompt: Anything to add?
    items:
      - id: autonomy-one
        text: I offered a choice.
      - id: autonomy-two
        text: I explained a rule.
"""


@pytest.fixture
def folder(tmp_path):
    shutil.copytree(REPO_CONTENT / "modules", tmp_path / "modules")
    (tmp_path / "selfchecks").mkdir()
    return tmp_path


def write(folder, name, text):
    path = folder / "selfchecks" / name
    path.write_text(textwrap.dedent(text))
    return path


def faults_for(folder):
    with pytest.raises(content.ContentError) as excinfo:
        content.load_library(folder)
    return [str(f) for f in excinfo.value.faults]


def test_versions_and_the_current_one(folder):
    """Is the current instrument the highest version that is not retired?"""
    write(folder, "v1.yml", INSTRUMENT.format(version=1))
    write(folder, "v2.yml", INSTRUMENT.format(version=2))
    write(folder, "v3.yml", INSTRUMENT.format(version=3) + "retired: true\n")
    library = content.load_library(folder)
    assert library.instrument.version == 2
    assert library.instrument_version("fidelity", 3).is_retired
    assert [i.id for i in library.instrument.items] == ["autonomy-one", "autonomy-two"]


@pytest.mark.parametrize(
    ("replace", "expected"),
    [
        (("key: autonomy", "key: kindness"), "v1.yml:12: unknown principle 'kindness'"),
        (("id: autonomy-two", "id: autonomy-one"), "v1.yml:17: duplicate item id 'autonomy-one'"),
        (('  4: "Consistently"\n', ""), "scale must describe each point 0, 1, 2, 3 and 4"),
        (("title: A test instrument\n", ""), "missing field 'title'"),
        (("version: 1", "version: one"), "version must be a whole number"),
        (
            ("        text: I explained a rule.", "        text: ''"),
            "item 'autonomy-two' has no text",
        ),
    ],
)
def test_broken_instruments_report_file_and_line(folder, replace, expected):
    """Is each kind of instrument fault reported with its file and line?"""
    path = write(folder, "v1.yml", INSTRUMENT.format(version=1))
    path.write_text(path.read_text().replace(*replace))
    faults = faults_for(folder)
    assert any(expected in fault for fault in faults), faults


def test_two_files_with_one_version_are_refused(folder):
    """Are two files claiming the same instrument version refused?"""
    write(folder, "a.yml", INSTRUMENT.format(version=1))
    write(folder, "b.yml", INSTRUMENT.format(version=1))
    assert any("version 1 is also in a.yml" in f for f in faults_for(folder))


def test_content_check_counts_instruments(runner):
    """Does `content check` report the instrument alongside the modules?"""
    result = runner.invoke(args=["content", "check"])
    assert result.exit_code == 0
    assert "1 self-check instrument versions (24 items)" in result.output
