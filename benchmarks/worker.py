"""In-process measurements, each run in a fresh child so that its peak RSS is its own.

``python -m benchmarks.worker KIND TIER --repeats N --budget S`` prints one JSON object:
``{"series": {name: [seconds, ...]}, "info": {...}}`` or ``{"unavailable": "why"}``.

Kinds:

- ``store``: open (decrypt + parse + validate) and save (serialise + encrypt + atomic
  write with backup) of the tier's registry, the keyring unlocked beforehand (KDF
  excluded), each beside its floor for the same document: PyYAML's C loader (or
  dumper) plus one AES-GCM pass over the same bytes. Floor and refaudit alternate
  within each repeat so that both see the same machine.
  Then ``audit.audit(registry, settings, as_of)`` alone on the registry just opened
  (saves opening the biggest tier once more).
- ``merge``: two copies of the tier's registry, each after a week of stamped changes on its
  own machine (notes, reports, tags, new people, an erasure): open both (keyring in hand),
  merge (records and history), seal and save; the KDF excluded.
- ``kdf``: unlocking the passphrase slot (Argon2id at the file's parameters, which are
  the defaults).
- ``scaling``: ``next``, ``audit`` and ``lineup`` as commands, run in process through
  Click on the tier and on the tier below it, alternately (``heavy, stress, heavy, …``),
  so that both see the same machine. Each run reads the registry as the command does
  (decrypt, parse, validate) and prints its whole output (captured); only the key
  derivation is left out (the keyring is derived once per file beforehand). Timed as
  the process's CPU time (single-threaded: its wall time on an idle machine, but not
  swayed by other jobs on a shared one), with the wall time beside it.

Repeats stop early once ``--budget`` seconds are spent (after at least ``--min-runs``), so
that the whole of ``make bench`` stays within its ten minutes on a slow machine.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from benchmarks import generate
from refaudit import store, vault, yamlio


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    gc.collect()
    t0 = time.perf_counter()
    result = fn()
    return time.perf_counter() - t0, result


class _Budget:
    def __init__(self, repeats: int, budget: float, min_runs: int) -> None:
        self.repeats, self.budget, self.min_runs = repeats, budget, min_runs
        self.start = time.perf_counter()

    def runs(self) -> Any:
        for i in range(self.repeats):
            if i >= self.min_runs:
                spent = time.perf_counter() - self.start
                if spent + spent / i > self.budget:
                    return
            yield i


def _unlock(blob: bytes) -> vault.Keyring:
    return vault.unlock_passphrase(blob, generate.PASSPHRASE)


def store_bench(tier: str, budget: _Budget, audit_repeats: int) -> dict[str, Any]:
    path = generate.path_for(tier)
    blob = path.read_bytes()
    keyring = _unlock(blob)  # the KDF, once, outside every timing
    # The floor works on the same document in its ordinary block-YAML form (as export prints
    # it), whatever form refaudit stores it in.
    body = yamlio.dump(store.decode(vault.open_body(blob, keyring)).to_plain()).encode("utf-8")

    # The floor's own AES-GCM pass: same key size and same number of bytes.
    aes = AESGCM(os.urandom(32))
    nonce = os.urandom(12)
    sealed_body = aes.encrypt(nonce, body, None)
    plain: list[Any] = []  # the floor's document, from its first open: what its save dumps

    def floor_open() -> Any:
        data = aes.decrypt(nonce, sealed_body, None)
        return yaml.load(data, Loader=yaml.CSafeLoader)

    def floor_save() -> bytes:
        text = yaml.dump(plain[0], Dumper=yaml.CSafeDumper, sort_keys=False, allow_unicode=True)
        return aes.encrypt(nonce, text.encode("utf-8"), None)

    def refaudit_open() -> Any:
        return store.decode(vault.open_body(blob, keyring))

    work = tempfile.mkdtemp(prefix="save-", dir=generate.DATA_DIR)
    target = store.Store(os.path.join(work, "registry.refaudit"))
    shutil.copyfile(path, target.path)

    def verify(data: bytes) -> None:  # what service.update hands Store.save
        vault.open_body(data, keyring)

    series: dict[str, list[float]] = {"open": [], "open-floor": [], "save": [], "save-floor": []}
    reg = None
    try:
        for i in budget.runs():
            # Alternate which goes first, so that neither always gets the warmer cache.
            order = ("floor", "refaudit") if i % 2 == 0 else ("refaudit", "floor")
            for who in order:
                if who == "floor":
                    t, doc = _timed(floor_open)
                    series["open-floor"].append(t)
                    if not plain:
                        plain.append(doc)
                    del doc
                    t, _ = _timed(floor_save)
                    series["save-floor"].append(t)
                else:
                    reg = None
                    t, reg = _timed(refaudit_open)
                    series["open"].append(t)
                    t, _ = _timed(
                        lambda reg=reg: target.save(vault.seal(keyring, store.encode(reg)), verify, previous=blob)
                    )
                    series["save"].append(t)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    info: dict[str, Any] = {"body_bytes": len(body), "file_bytes": len(blob)}
    rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    plain.clear()
    if reg is not None:
        timed = _audit(reg, audit_repeats)
        if isinstance(timed, str):
            info["audit_unavailable"] = timed
        else:
            series["audit"] = timed
            info["records"] = len(reg.references) + len(reg.applications) + len(reg.feedback)
    info["rss_kb_before_audit"] = rss_kb
    return {"series": series, "info": info}


def _audit(reg: Any, repeats: int) -> list[float] | str:
    """``audit.audit()`` alone on an open registry (this process's CPU time: the audit is
    single-threaded, so on an idle machine that is its wall time, and on a shared one it is not
    swayed by the other jobs), or why it cannot run yet."""
    try:
        from refaudit import audit, settings
    except ImportError as exc:
        return f"refaudit.audit cannot be imported yet ({exc})"
    if not callable(getattr(audit, "audit", None)):
        return "refaudit.audit.audit() does not exist yet"
    config = settings.load(None)
    audit.audit(reg, config, generate.BENCH_DAY)  # warm-up
    times = []
    for _ in range(repeats):
        gc.collect()
        cpu = time.process_time()
        audit.audit(reg, config, generate.BENCH_DAY)
        times.append(time.process_time() - cpu)
    return times


def kdf_bench(tier: str, budget: _Budget, audit_repeats: int) -> dict[str, Any]:
    blob = generate.path_for(tier).read_bytes()
    series: list[float] = []
    for _ in budget.runs():
        t, _ = _timed(lambda: _unlock(blob))
        series.append(t)
    k = vault.DEFAULT_KDF
    return {"series": {"kdf": series}, "info": {"memory_kib": k.memory_kib, "passes": k.passes, "lanes": k.lanes}}


SCALED_COMMANDS = {"next": ["next"], "audit": ["audit"], "lineup": ["lineup"]}


def scaling_bench(tier: str, budget: _Budget, audit_repeats: int) -> dict[str, Any]:
    from click.testing import CliRunner

    from refaudit.cli import cli

    smaller = list(generate.TIERS)[list(generate.TIERS).index(tier) - 1]
    keyrings = {generate.path_for(t).read_bytes(): _unlock(generate.path_for(t).read_bytes()) for t in (smaller, tier)}
    derive = vault.unlock_passphrase

    def unlocked(blob: bytes, passphrase: str) -> vault.Keyring:  # the KDF, once per file, outside every timing
        return keyrings[blob] if blob in keyrings else derive(blob, passphrase)

    vault.unlock_passphrase = unlocked  # type: ignore[assignment]
    runner = CliRunner()
    day = generate.BENCH_DAY.isoformat()
    series: dict[str, list[float]] = {
        f"{name}@{t}{kind}": [] for name in SCALED_COMMANDS for t in (smaller, tier) for kind in ("", ":wall")
    }
    lines: dict[str, int] = {}
    try:
        for _ in budget.runs():
            for t in (smaller, tier):
                env = {"REFAUDIT_REGISTRY": str(generate.path_for(t)), "REFAUDIT_PASSPHRASE": generate.PASSPHRASE}
                for name, argv in SCALED_COMMANDS.items():
                    gc.collect()
                    cpu, wall = time.process_time(), time.perf_counter()
                    result = runner.invoke(cli, [*argv, "--as-of", day], env=env)
                    series[f"{name}@{t}"].append(time.process_time() - cpu)
                    series[f"{name}@{t}:wall"].append(time.perf_counter() - wall)
                    if result.exit_code != 0:
                        raise SystemExit(f"refaudit {name} failed on {t}: {result.output.strip()[-300:]}")
                    lines[f"{name}@{t}"] = result.output.count("\n")
    finally:
        vault.unlock_passphrase = derive  # type: ignore[assignment]
    return {"series": series, "info": {"smaller": smaller, "lines": lines}}


BASELINE_DEMO = Path(__file__).resolve().parent / "baseline-demo" / "report.html"


def demo_report_bench(tier: str, budget: _Budget, audit_repeats: int) -> dict[str, Any]:
    """``refaudit report`` on the demo registry against WeasyPrint alone on the saved demo HTML.

    Both in this process and alternated: the command through Click (the KDF derived once
    beforehand, the PDF laid out here rather than in its worker process, so that its CPU
    time is this process's), and WeasyPrint laying out ``baseline-demo/report.html`` (the
    demo report's HTML before the document was made cheaper) into the same PDF variant.
    """
    import contextlib

    from click.testing import CliRunner

    from refaudit.cli import cli
    from refaudit.report import render

    weasyprint = render._import_weasyprint()
    work = Path(tempfile.mkdtemp(prefix="demo-", dir=generate.DATA_DIR))
    registry, pdf = work / "demo.refaudit", work / "demo.pdf"
    env = {"REFAUDIT_REGISTRY": str(registry), "REFAUDIT_PASSPHRASE": "demo", "REFAUDIT_TODAY": "2026-11-01",
           "LC_ALL": "C.UTF-8", "LC_PAPER": "", "LANG": ""}  # fmt: skip
    runner = CliRunner()
    made = runner.invoke(cli, ["demo"], env=env)
    if made.exit_code != 0:
        raise SystemExit(f"refaudit demo failed: {made.output.strip()[-300:]}")
    keyring = vault.unlock_passphrase(registry.read_bytes(), "demo")
    derive, in_worker = vault.unlock_passphrase, render.pdf_worker
    vault.unlock_passphrase = lambda blob, passphrase: keyring  # type: ignore[assignment]
    render.pdf_worker = contextlib.nullcontext  # type: ignore[assignment]

    def refaudit_report() -> None:
        result = runner.invoke(cli, ["report", "-o", str(pdf), "--as-of", "2026-11-01"], env=env)
        if result.exit_code != 0:
            raise SystemExit(f"refaudit report failed: {result.output.strip()[-300:]}")

    def weasyprint_alone() -> None:
        document = weasyprint.HTML(filename=str(BASELINE_DEMO)).render(
            stylesheets=[weasyprint.CSS(string="@page { size: A4; }")]
        )
        document.write_pdf(pdf_variant="pdf/ua-1")

    series: dict[str, list[float]] = {"refaudit": [], "weasyprint": [], "refaudit:wall": [], "weasyprint:wall": []}
    try:
        refaudit_report()  # warm-up: imports, fonts, caches
        weasyprint_alone()
        for i in budget.runs():
            order = (("weasyprint", weasyprint_alone), ("refaudit", refaudit_report))
            for name, run in order if i % 2 == 0 else order[::-1]:
                gc.collect()
                cpu, wall = time.process_time(), time.perf_counter()
                run()
                series[name].append(time.process_time() - cpu)
                series[f"{name}:wall"].append(time.perf_counter() - wall)
        pages = len(
            weasyprint.HTML(filename=str(BASELINE_DEMO))
            .render(stylesheets=[weasyprint.CSS(string="@page { size: A4; }")])
            .pages
        )
    finally:
        vault.unlock_passphrase, render.pdf_worker = derive, in_worker  # type: ignore[assignment]
        shutil.rmtree(work, ignore_errors=True)
    return {"series": series, "info": {"baseline_pages": pages}}


def _diverge(base: Any, device: str, seed: int, start: Any) -> Any:
    """A copy of ``base`` after a week of work on one machine, every change saved through the stamping."""
    import random
    from datetime import date, timedelta

    from refaudit import references
    from refaudit.copies import forms, stamping
    from refaudit.model import Feedback, Reference, Registry

    rng = random.Random(seed)
    reg = Registry.from_plain(forms.canonical(base.to_plain()))  # nothing shared between copies
    at = start
    for step in range(60):
        before = stamping.snapshot(reg)
        ref = reg.references[rng.randrange(len(reg.references))]
        app = reg.applications[rng.randrange(len(reg.applications))]
        kind = step % 6
        if kind == 0:
            ref.notes = f"note {seed}-{step}"
        elif kind == 1:
            reg.feedback.append(
                Feedback(
                    id=reg.new_feedback_id(),
                    reference=ref.id,
                    reported_on=date(2026, 3, 2),
                    sentiment=rng.choice(("positive", "negative")),
                    quote=f"said {step}",
                )
            )
        elif kind == 2:
            app.notes = f"stage talk {seed}-{step}"
        elif kind == 3:
            ref.tags = [*ref.tags, f"t{seed}-{step}"]
        elif kind == 4:
            reg.references.append(Reference(id=f"new-{seed}-{step}", name=f"New Person {seed} {step}"))
        elif step == 5:
            references.remove(reg, ref)
        at += timedelta(minutes=7)
        stamping.stamp(before, reg, at, device)
    return reg


def merge_bench(tier: str, budget: _Budget, audit_repeats: int) -> dict[str, Any]:
    """Two copies of the tier's registry, a week apart on two machines: open both, merge, save (KDF excluded)."""
    from datetime import UTC, datetime

    from refaudit.copies import combining

    path = generate.path_for(tier)
    blob = path.read_bytes()
    keyring = _unlock(blob)
    base = store.decode(vault.open_body(blob, keyring), keyring.data_key)
    start = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    blobs = [vault.seal(keyring, store.encode(_diverge(base, dev, seed, start))) for dev, seed in
             (("aa" * 8, 1), ("bb" * 8, 2))]  # fmt: skip
    work = tempfile.mkdtemp(prefix="merge-", dir=generate.DATA_DIR)
    target = store.Store(os.path.join(work, "registry.refaudit"))
    with open(target.path, "wb") as fh:
        fh.write(blobs[0])

    def merge_once() -> Any:
        (mine, body_mine), (theirs, body_theirs) = (combining.opened(b, keyring) for b in blobs)
        new, outcome = combining.combine(mine, theirs, datetime.now(UTC), (body_mine, body_theirs))
        assert new is not None and outcome.changed
        target.save(vault.seal(keyring, store.encode(new)), lambda data: vault.open_body(data, keyring),
                    previous=blobs[0])  # fmt: skip
        return outcome

    series: dict[str, list[float]] = {"merge": []}
    decisions = 0
    try:
        for _ in budget.runs():
            t, outcome = _timed(merge_once)
            series["merge"].append(t)
            decisions = len(outcome.decisions)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return {"series": series, "info": {"decisions": decisions, "file_bytes": len(blobs[0])}}


KINDS = {
    "store": store_bench,
    "kdf": kdf_bench,
    "merge": merge_bench,
    "scaling": scaling_bench,
    "demo-report": demo_report_bench,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.worker")
    parser.add_argument("kind", choices=sorted(KINDS))
    parser.add_argument("tier", choices=sorted(generate.TIERS))
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--min-runs", type=int, default=2)
    parser.add_argument("--budget", type=float, default=60.0)
    parser.add_argument("--audit-repeats", type=int, default=5)
    args = parser.parse_args(argv)
    result = KINDS[args.kind](args.tier, _Budget(args.repeats, args.budget, args.min_runs), args.audit_repeats)
    json.dump(result, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
