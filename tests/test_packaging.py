"""The project as a package: a wheel built from the repo carries config/ and templates/."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_carries_config_and_templates(tmp_path: Path) -> None:
    """pip wheel . gives a wheel with the shipped defaults and the report templates inside the package."""
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", str(ROOT), "-w", str(tmp_path)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    if built.returncode != 0:
        pytest.skip(f"cannot build a wheel here: {built.stderr.strip()[-300:]}")
    (wheel,) = tmp_path.glob("refaudit-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "refaudit/_data/config/default.yaml" in names
    assert "refaudit/_data/templates/report/report.html.j2" in names
    assert "refaudit/cli/__init__.py" in names
    assert any(n.endswith("entry_points.txt") for n in names)


def test_assets_found_from_any_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The shipped settings load whatever the current directory is."""
    from refaudit import assets, settings

    monkeypatch.chdir(tmp_path)
    assert (assets.templates_dir() / "report").is_dir()
    assert "scoring" in settings.load(None)
