"""The map stays true: docs/ARCHITECTURE.md names every module, and imports keep its one rule."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "refaudit"
ARCHITECTURE = ROOT / "docs" / "ARCHITECTURE.md"

# The pure core: no Click, no prompts, no files (ARCHITECTURE.md, "The layers, and the one rule").
CORE = (
    "model", "checks", "parts", "text", "dates", "change", "references", "applications", "feedback", "erasure",
    "history", "resolve", "asof", "audit", "actions", "action", "action_sources", "judgement", "drafts", "ical",
    "demo", "strength", "report.contents", "report.applications", "report.narrative", "report.charts",
    "report.redact", "report.settings",
)  # fmt: skip
STORAGE = ("store", "vault", "session", "fileio", "filecheck", "sweep")


def _modules() -> list[Path]:
    return sorted(p.relative_to(PACKAGE) for p in PACKAGE.rglob("*.py"))


def _name(relative: Path) -> str:
    parts = relative.with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(relative: Path) -> set[str]:
    """Every refaudit module ``relative`` imports, at the top or inside a function, without the prefix."""
    found: set[str] = set()
    for node in ast.walk(ast.parse((PACKAGE / relative).read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "refaudit":
            if node.module == "refaudit":
                found.update(alias.name for alias in node.names)
            else:
                found.add(node.module.removeprefix("refaudit."))
        elif isinstance(node, ast.Import):
            found.update(a.name.removeprefix("refaudit.") for a in node.names if a.name.startswith("refaudit."))
    return found


def test_architecture_names_every_module() -> None:
    """Each file under refaudit/ appears in ARCHITECTURE.md as `path/relative/to/refaudit.py`."""
    text = ARCHITECTURE.read_text(encoding="utf-8")
    missing = [str(m) for m in _modules() if f"`{m.as_posix()}`" not in text]
    assert missing == [], f"docs/ARCHITECTURE.md does not name: {', '.join(missing)}"


def test_architecture_has_the_recipes_it_promises() -> None:
    """The recipes a newcomer looks for are there, under these headings."""
    lines = ARCHITECTURE.read_text(encoding="utf-8").splitlines()
    headings = {line.removeprefix("### ") for line in lines if line.startswith("### ")}
    recipes = {
        "Add a command", "Add a use case that writes", "Add a setting", "Add a `--json` output with its schema",
        "Add a rule to the audit", "Merge two copies", "Add an import source",
    }  # fmt: skip
    assert recipes <= headings


def test_imports_point_down() -> None:
    """Only cli/ imports refaudit.cli and the service; the core imports neither, nor Click, nor storage."""
    broken = []
    for relative in _modules():
        name = _name(relative)
        imported = _imports(relative)
        in_cli = name in ("cli", "__main__") or name.startswith("cli.")  # __main__ only starts the command line
        if not in_cli and any(m == "cli" or m.startswith("cli.") for m in imported):
            broken.append(f"{name} imports the command line")
        if not in_cli and "service" in imported:
            broken.append(f"{name} imports the service")
        if name in CORE:
            source = (PACKAGE / relative).read_text(encoding="utf-8")
            broken.extend(f"{name} (core) imports {m}" for m in sorted(imported & set(STORAGE)))
            if "import click" in source:
                broken.append(f"{name} (core) imports click")
    assert broken == []


def test_the_core_list_names_real_modules() -> None:
    """The lists this test checks against name modules that exist (a rename must update them)."""
    names = {_name(m) for m in _modules()}
    assert set(CORE) <= names and set(STORAGE) <= names


def test_every_spec_mention_names_the_file_that_exists() -> None:
    """Code, tests and docs cite the contract as docs/SPEC.md, a file in the repository anyone can read."""
    assert (ROOT / "docs" / "SPEC.md").is_file()
    files = [ROOT / "README.md", ROOT / "CHANGELOG.md"]
    for folder in ("refaudit", "tests", "docs", "benchmarks", "config", "templates"):
        files += [p for p in (ROOT / folder).rglob("*") if p.is_file() and p.suffix in (".py", ".md", ".json", ".yaml")]
    bare = []
    for path in sorted(files):
        if path.name == "test_docs.py" or "data" in path.relative_to(ROOT).parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"\bSPEC\b(?!\.md)", line):  # docs/SPEC.md, or SPEC.md linked from docs/
                bare.append(f"{path.relative_to(ROOT)}:{number}")
    assert bare == [], "cite the contract as docs/SPEC.md"


def test_the_readme_lists_every_variable_the_code_reads() -> None:
    """README's "Environment variables" table has a row for each REFAUDIT_* name in refaudit/, and no other."""
    read = set()
    for relative in _modules():
        read.update(re.findall(r"_?REFAUDIT_[A-Z_]+", (PACKAGE / relative).read_text(encoding="utf-8")))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Environment variables", 1)[1].split("\n## ", 1)[0]
    listed = set(re.findall(r"^\| `(_?REFAUDIT_[A-Z_]+)` \|", section, re.M))
    assert listed == read


def test_every_module_says_what_it_owns() -> None:
    """Each module opens with a docstring: the map in ARCHITECTURE.md is its first line, written out."""
    silent = [str(m) for m in _modules() if not ast.get_docstring(ast.parse((PACKAGE / m).read_text(encoding="utf-8")))]
    assert silent == []
