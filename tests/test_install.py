"""Install as the README says: the commands put `refaudit` on PATH in a fresh environment.

The install itself takes half a minute and may need the network, so it runs under
`make stress` (REFAUDIT_STRESS=1) or with REFAUDIT_INSTALL_TEST=1.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RUN = os.environ.get("REFAUDIT_STRESS") == "1" or os.environ.get("REFAUDIT_INSTALL_TEST") == "1"

# The README's Install section, line for line (run from a copy of the repository).
README_INSTALL = """\
python3 -m venv .venv
. .venv/bin/activate        # puts refaudit on PATH in this shell
pip install .
refaudit --version
"""


def _install_block() -> str | None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    m = re.search(r"^## Install\n.*?```sh\n(.*?)```", text, re.S | re.M)
    return m.group(1) if m else None


def test_readme_gives_these_install_lines() -> None:
    """The README's Install section is exactly the lines the install test runs."""
    block = _install_block()
    assert block is not None and README_INSTALL in block


@pytest.mark.slow
@pytest.mark.skipif(not RUN, reason="installs into a fresh venv (30 s+, may use the network): make stress")
def test_install_lines_put_refaudit_on_path(tmp_path: Path) -> None:
    """In a copy of the repo, the README's lines (run by bash, PATH without refaudit) end in the version."""
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout.split(b"\0")
    for name in filter(None, (f.decode() for f in files)):
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if (ROOT / name).is_file():
            shutil.copy2(ROOT / name, target)
    path = os.pathsep.join(p for p in os.environ["PATH"].split(os.pathsep) if not (Path(p) / "refaudit").exists())
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")} | {"PATH": path}
    result = subprocess.run(
        ["bash", "-e", "-c", README_INSTALL], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=900
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.splitlines()[-1].startswith("refaudit, version ")
