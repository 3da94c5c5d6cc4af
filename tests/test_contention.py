"""Many processes updating one registry at once: nothing lost, history intact, readers never see half a file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from refaudit import history, store, vault
from tests.conftest import PASSPHRASE, Runner

STRESS = os.environ.get("REFAUDIT_STRESS") == "1"
WORKERS, UPDATES = (16, 25) if STRESS else (4, 8)

WORKER = """
import sys
from refaudit.cli import cli
w, n = int(sys.argv[1]), int(sys.argv[2])
def run(*args):
    try:
        cli(list(args), standalone_mode=False)
    except SystemExit as e:
        assert not e.code, (args, e.code)
for i in range(n):
    kind = i % 3
    if kind == 0:
        run('ref', 'add', f'Worker {w} person {i}', '--id', f'w{w}-r{i}')
    elif kind == 1:
        run('app', 'add', f'Company {w}-{i}', '--role', 'Analyst', '--id', f'w{w}-a{i}', '--ref', 'jane-doe')
    else:
        run('feedback', 'log', 'jane-doe', '--sentiment', 'positive', '--reporter', f'w{w}-f{i}')
"""

READER = """
import sys, json
from refaudit.cli import cli
while True:
    try:
        cli(['ref', 'list', '--json'], standalone_mode=False)
    except SystemExit as e:
        if e.code:
            print('READ FAILED', e.code, flush=True)
            raise
"""


@pytest.mark.slow
def test_concurrent_mixed_updates_all_land(runner: Runner, registry: Path) -> None:
    """N processes x M mixed updates: every update is present and the history chain is intact."""
    runner.ok("ref", "add", "Jane Doe")
    env = {**os.environ, "REFAUDIT_LOCK_TIMEOUT": "300"}
    reader = subprocess.Popen([sys.executable, "-c", READER], env=env, stdout=subprocess.PIPE, text=True)
    started = time.monotonic()
    procs = [subprocess.Popen([sys.executable, "-c", WORKER, str(w), str(UPDATES)], env=env) for w in range(WORKERS)]
    codes = [p.wait(timeout=900) for p in procs]
    reader.kill()
    out, _ = reader.communicate()
    assert codes == [0] * WORKERS
    assert "READ FAILED" not in out, "a reader saw a half-written or unreadable registry"

    blob = registry.read_bytes()
    reg = store.decode(vault.open_body(blob, vault.unlock_passphrase(blob, PASSPHRASE)))
    expected_refs = {f"w{w}-r{i}" for w in range(WORKERS) for i in range(UPDATES) if i % 3 == 0}
    expected_apps = {f"w{w}-a{i}" for w in range(WORKERS) for i in range(UPDATES) if i % 3 == 1}
    expected_fb = {f"w{w}-f{i}" for w in range(WORKERS) for i in range(UPDATES) if i % 3 == 2}
    assert expected_refs <= {r.id for r in reg.references}
    assert expected_apps == {a.id for a in reg.applications}
    assert expected_fb == {f.reporter for f in reg.feedback}
    assert len(reg.history) == 1 + 1 + WORKERS * UPDATES  # init, Jane, then every update
    assert history.problems(reg.history) == []
    assert json.loads(runner.ok("history", "--json", "--limit", "1").stdout)
    assert time.monotonic() - started < 900
