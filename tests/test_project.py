"""What the repository promises a new maintainer: its licence and its two commands."""

import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_the_licence_is_the_affero_gpl_named_in_the_project_and_the_readme():
    licence = (ROOT / "LICENSE").read_text()
    assert licence.startswith("GNU AFFERO GENERAL PUBLIC LICENSE\nVersion 3, 19 November 2007")
    assert "13. Remote Network Interaction; Use with the GNU General Public License." in licence
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["license"] == "AGPL-3.0-or-later"
    assert "AGPL-3.0-or-later" in (ROOT / "README.md").read_text()


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
@pytest.mark.parametrize(("arguments", "port"), [((), "5000"), (("PORT=8123",), "8123")])
def test_make_run_serves_on_the_port_asked_for(arguments, port):
    planned = subprocess.run(
        ["make", "--dry-run", "--always-make", "run", *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    serve = [line for line in planned.splitlines() if " run --host " in line]
    assert serve and serve[-1].endswith(f"--port {port}")
