"""The lock, concurrent writers and crashes mid-save, on the real file on disk."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import filelock
import pytest

from refaudit import store, vault
from tests.conftest import PASSPHRASE, Runner

STRESS = os.environ.get("REFAUDIT_STRESS") == "1"


def refaudit(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "refaudit", *args], capture_output=True, text=True, env=full_env, timeout=120
    )


def open_registry(path: Path) -> list[str]:
    blob = path.read_bytes()
    reg = store.decode(vault.open_body(blob, vault.unlock_passphrase(blob, PASSPHRASE)))
    return [r.id for r in reg.references]


def test_lock_held_by_another_process_exits_5(runner: Runner, registry: Path) -> None:
    """While another process holds the lock, a writer waits the timeout then exits 5, changing nothing."""
    before = registry.read_bytes()
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import filelock,sys,time; l=filelock.FileLock(sys.argv[1]); l.acquire(); "
         "print('held', flush=True); time.sleep(30)",
         str(store.Store(registry).lock_path)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout and holder.stdout.readline().strip() == "held"
        started = time.monotonic()
        result = runner("ref", "add", "Jane Doe", env={"REFAUDIT_LOCK_TIMEOUT": "0.5"})
        assert result.exit_code == 5
        assert result.stderr.startswith("Error: The registry is busy")
        assert time.monotonic() - started < 10
    finally:
        holder.kill()
        holder.wait()
    assert registry.read_bytes() == before
    runner.ok("ref", "add", "Jane Doe")  # the lock of a killed process does not linger


def test_read_only_commands_do_not_take_the_lock(runner: Runner, registry: Path) -> None:
    """Listing works while a writer holds the lock: readers never block."""
    lock = filelock.FileLock(str(store.Store(registry).lock_path))
    with lock:
        assert runner("ref", "list", env={"REFAUDIT_LOCK_TIMEOUT": "0.1"}).exit_code == 0


def test_eight_processes_adding_ten_each_lose_nothing(registry: Path) -> None:
    """8 processes adding 10 references each at the same time: all 80 are present."""
    script = (
        "import sys\nfrom refaudit.cli import cli\n"
        "for i in range(10):\n"
        "    try:\n"
        "        cli(['ref', 'add', f'Person {sys.argv[1]} {i}'], standalone_mode=False)\n"
        "    except SystemExit as e:\n"
        "        assert not e.code, e.code\n"
    )
    env = {**os.environ, "REFAUDIT_LOCK_TIMEOUT": "60"}
    procs = [subprocess.Popen([sys.executable, "-c", script, str(w)], env=env) for w in range(8)]
    assert [p.wait(timeout=300) for p in procs] == [0] * 8
    ids = open_registry(registry)
    assert len(ids) == 80 and len(set(ids)) == 80


SAVE_LOOP = """
import sys
from refaudit.cli import cli
i = int(sys.argv[1])
while True:
    try:
        cli(['ref', 'add', f'Loop {i}', '--id', f'loop-{i}'], standalone_mode=False)
    except SystemExit as e:
        if e.code:
            raise
    print(f'saved {i}', flush=True)
    i += 1
"""


@pytest.mark.slow
def test_sigkill_during_saves_never_loses_a_reported_save(registry: Path) -> None:
    """A save loop killed with SIGKILL at random moments always leaves a registry holding every reported save."""
    rng = random.Random(1234)
    rounds = 1000 if STRESS else 12
    next_index = 0
    confirmed: list[str] = []
    for _ in range(rounds):
        proc = subprocess.Popen([sys.executable, "-c", SAVE_LOOP, str(next_index)], stdout=subprocess.PIPE, text=True)
        time.sleep(rng.uniform(0.15, 0.6) if STRESS else rng.uniform(0.3, 1.2))
        os.kill(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate()
        confirmed += [f"loop-{line.split()[1]}" for line in out.splitlines() if line.startswith("saved ")]
        ids = open_registry(registry)
        assert set(confirmed) <= set(ids)
        next_index = max([next_index, *(int(x.split("-")[1]) + 1 for x in ids if x.startswith("loop-"))])
        # whatever the kill interrupted, no temp file lingers as plaintext and the registry opens
        for leftover in registry.parent.glob(".registry.refaudit.*.tmp"):
            leftover.unlink()
    assert confirmed, "the loop never got to save; the machine is too slow for this test's timings"


def test_subprocess_cli_round_trip(registry: Path) -> None:
    """python -m refaudit works as the console script does."""
    assert refaudit("ref", "add", "Jane Doe").returncode == 0
    data = json.loads(refaudit("ref", "list", "--json").stdout)
    assert [r["id"] for r in data] == ["jane-doe"]


@pytest.mark.parametrize("enabled", [True, False])
def test_decoding_leaves_the_cycle_collector_as_it_found_it(enabled: bool) -> None:
    """The collector pauses while a body is parsed (see ``store.decode``), and is back on
    afterwards, whether the body was good or damaged; a caller that had it off keeps it off."""
    import gc

    from refaudit.errors import DamagedError
    from refaudit.model import Registry

    good = store.encode(Registry(owner="Dana"))
    damaged = b'{"refaudit": 2, "references": [{"id": "Not An Id", "name": "X"}]}'
    switch = {True: gc.enable, False: gc.disable}
    was = gc.isenabled()
    try:
        switch[enabled]()
        assert store.decode(good).owner == "Dana"
        assert gc.isenabled() is enabled
        with pytest.raises(DamagedError, match="invalid"):
            store.decode(damaged)
        assert gc.isenabled() is enabled
    finally:
        switch[was]()
