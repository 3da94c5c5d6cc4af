"""Running things and reporting on them: child processes, their wall time and peak RSS, the table."""

from __future__ import annotations

import contextlib
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks import generate

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PYTHON = str(Path(sys.executable))
REFAUDIT = str(BIN / "refaudit")


def child_env(**extra: str) -> dict[str, str]:
    """The environment every measured child gets.

    Bytecode caching is switched back on (into ``benchmarks/.data/pycache``, never into
    the source tree): an installed refaudit has its ``.pyc`` files, and a sandbox that
    sets ``PYTHONDONTWRITEBYTECODE`` would otherwise make every start recompile the package.
    Settings that would change what a command does (a session, a config) are removed.
    """
    env = dict(os.environ)
    for name in ("PYTHONDONTWRITEBYTECODE", "REFAUDIT_SESSION", "REFAUDIT_PASSPHRASE_FILE", "REFAUDIT_CONFIG",
                 "REFAUDIT_DEBUG", "REFAUDIT_REGISTRY", "REFAUDIT_PASSPHRASE"):  # fmt: skip
        env.pop(name, None)
    env["PYTHONPYCACHEPREFIX"] = str(generate.DATA_DIR / "pycache")
    env["COLUMNS"] = "100"
    env.update(extra)
    return env


@dataclass
class Run:
    wall: float
    rss_kb: int
    returncode: int
    stdout: str
    stderr: str
    cpu: float = 0.0  # user + system seconds of the child: less swayed than wall time by a busy machine


# Spawns the measured command from a small process: Linux carries a process's peak RSS
# across fork and exec, so a child spawned by this (large) process would report at least
# our own peak. The wrapper times the child itself and writes wall time and peak RSS to argv[1].
_WRAPPER = """
import os, sys, time
t0 = time.perf_counter()
pid = os.posix_spawn(sys.argv[2], sys.argv[2:], os.environ)
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - t0
with open(sys.argv[1], "w") as fh:
    fh.write(f"{wall!r} {usage.ru_maxrss} {os.waitstatus_to_exitcode(status)} {usage.ru_utime + usage.ru_stime!r}")
"""


def run(argv: Sequence[str], env: dict[str, str], cwd: Path | None = None) -> Run:
    """Run ``argv`` to completion: its wall time, and its own peak RSS (from ``wait4``)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile("r", suffix=".run") as result:  # fmt: skip
        proc = subprocess.run(
            [PYTHON, "-c", _WRAPPER, result.name, *argv], stdin=subprocess.DEVNULL, stdout=out, stderr=err,
            env=env, cwd=cwd, check=False,
        )  # fmt: skip
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
        fields = result.read().split()
        if proc.returncode != 0 or len(fields) != 4:
            return Run(0.0, 0, proc.returncode or 1, stdout, stderr or "the measuring wrapper failed")
        return Run(float(fields[0]), int(fields[1]), int(fields[2]), stdout, stderr, float(fields[3]))


def error_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1].strip()[:160] if lines else "(no output)"


# --- results ---------------------------------------------------------------------------------


@dataclass
class Series:
    """Repeated measurements of one thing."""

    times: list[float]
    rss_kb: int | None = None

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    def spread(self) -> str:
        if len(self.times) == 1:
            return "(n=1)"
        return f"{fmt_time(min(self.times))}–{fmt_time(max(self.times))} (n={len(self.times)})"


@dataclass
class Target:
    """What a figure must meet; ``check`` says ok or MISSED."""

    text: str
    max_ratio: float | None = None
    max_seconds: float | None = None
    max_delta: float | None = None  # median - baseline
    max_rss_mb: float | None = None

    def check(self, median: float, baseline: float | None, rss_kb: int | None) -> str:
        failures = []
        if self.max_ratio is not None and baseline:
            failures.append(median / baseline > self.max_ratio)
        if self.max_seconds is not None:
            failures.append(median > self.max_seconds)
        if self.max_delta is not None and baseline is not None:
            failures.append(median - baseline > self.max_delta)
        if self.max_rss_mb is not None and rss_kb is not None:
            failures.append(rss_kb / 1024 > self.max_rss_mb)
        if not failures:
            return "n/a"
        return "MISSED" if any(failures) else "ok"


@dataclass
class Row:
    benchmark: str
    tier: str
    series: Series | None = None
    baseline: float | None = None
    baseline_label: str = ""
    target: Target | None = None
    status: str | None = None  # set when there is no measurement: "not available yet", "FAILED"
    notes: list[str] = field(default_factory=list)

    def cells(self) -> list[str]:
        s = self.series
        if s is None:
            return [self.benchmark, self.tier, "—", "—", "—", "—", "—", self.target.text if self.target else "—",
                    self.status or "n/a"]  # fmt: skip
        ratio = s.median / self.baseline if self.baseline else None
        verdict = self.target.check(s.median, self.baseline, s.rss_kb) if self.target else "n/a"
        return [
            self.benchmark,
            self.tier,
            fmt_time(s.median),
            s.spread(),
            f"{s.rss_kb / 1024:.0f} MB" if s.rss_kb else "—",
            f"{fmt_time(self.baseline)} {self.baseline_label}".strip() if self.baseline is not None else "—",
            f"{ratio:.2f}×" if ratio is not None else "—",
            self.target.text if self.target else "—",
            verdict,
        ]


HEADERS = ["benchmark", "tier", "median", "spread (min–max)", "peak RSS", "baseline", "ratio", "target", "verdict"]


def fmt_time(seconds: float) -> str:
    if seconds < 0.01:
        return f"{seconds * 1000:.2f} ms"
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    return f"{seconds:.2f} s"


def text_table(rows: Sequence[Row]) -> str:
    cells = [r.cells() for r in rows]
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(HEADERS)]
    right = {2, 3, 4, 5, 6}

    def line(values: Sequence[str]) -> str:
        return "  ".join(
            v.rjust(w) if i in right else v.ljust(w) for i, (v, w) in enumerate(zip(values, widths, strict=True))
        )

    out = [line(HEADERS), "  ".join("-" * w for w in widths)]
    out.extend(line(c) for c in cells)
    return "\n".join(out)


def markdown_table(rows: Sequence[Row]) -> str:
    def esc(v: str) -> str:
        return v.replace("|", "\\|")

    out = ["| " + " | ".join(HEADERS) + " |", "|" + "|".join("---:" if i in {2, 3, 4, 5, 6} else "---"
                                                            for i in range(len(HEADERS))) + "|"]  # fmt: skip
    out.extend("| " + " | ".join(esc(c) for c in r.cells()) + " |" for r in rows)
    return "\n".join(out)


def footnotes(rows: Sequence[Row]) -> list[str]:
    notes = []
    for r in rows:
        for n in r.notes:
            notes.append(f"{r.benchmark} [{r.tier}]: {n}")
    return notes


# --- the machine -------------------------------------------------------------------------------


def machine() -> dict[str, str]:
    """What the figures depend on: CPU, cores, memory, load, library versions."""
    info: dict[str, str] = {}
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    info["cpu"] = f"{cpu}, {os.cpu_count()} logical cores"
    try:
        mem = next(line for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))
        info["memory"] = f"{int(mem.split()[1]) / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration):
        pass
    info["os"] = platform.platform()
    probe = (
        "import json, sys, yaml, cryptography, click, weasyprint, filelock;"
        "from cryptography.hazmat.backends.openssl.backend import backend;"
        "print(json.dumps({'python': sys.version.split()[0], 'pyyaml': yaml.__version__,"
        " 'libyaml': getattr(yaml, '__with_libyaml__', False), 'cryptography': cryptography.__version__,"
        " 'openssl': backend.openssl_version_text(), 'click': click.__version__,"
        " 'weasyprint': weasyprint.__version__}))"
    )
    r = run([PYTHON, "-c", probe], child_env())
    if r.returncode == 0:
        v = json.loads(r.stdout)
        info["python"] = v["python"]
        info["libraries"] = (
            f"PyYAML {v['pyyaml']} (libyaml {'yes' if v['libyaml'] else 'NO'}), cryptography {v['cryptography']} "
            f"({v['openssl']}), click {v['click']}, WeasyPrint {v['weasyprint']}"
        )
    else:
        info["python"] = platform.python_version()
    with contextlib.suppress(OSError):
        info["load"] = "load average at start: " + ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return info
