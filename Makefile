# Every target sets up its own .venv first, so each works on a fresh clone.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test bench stress lint clean venv sysdeps man install-man

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "refaudit needs Python 3.11 or newer ($(PYTHON) is older)"; exit 1; }
	@[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV) || { echo "Could not create $(VENV): install the venv module (Debian: apt-get install python3-venv)"; exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

venv: $(STAMP)

sysdeps:
	@scripts/ensure-system-deps --test-tools

demo: sysdeps venv
	@mkdir -p demo
	@rm -f demo/registry.refaudit demo/registry.refaudit.bak
	REFAUDIT_PASSPHRASE=demo $(BIN)/refaudit --registry demo/registry.refaudit demo
	REFAUDIT_PASSPHRASE=demo $(BIN)/refaudit --registry demo/registry.refaudit audit
	REFAUDIT_PASSPHRASE=demo $(BIN)/refaudit --registry demo/registry.refaudit next
	REFAUDIT_PASSPHRASE=demo $(BIN)/refaudit --registry demo/registry.refaudit report -o demo/refaudit-report.pdf
	@echo
	@echo "The demo registry is demo/registry.refaudit (passphrase: demo)."
	@echo "The report is demo/refaudit-report.pdf"

# In parallel (pytest-xdist), a worker per core: about 5-6 min on a 2-core machine against
# 9.5-10 serially. Tests are spread one by one (--dist load); -n 3 or 4, --dist loadfile or
# worksteal measured no faster there. Serially, or with pdb: make test TEST_WORKERS=0
TEST_WORKERS ?= auto
test: sysdeps venv
	$(BIN)/pytest -q -n $(TEST_WORKERS)

# The long loops at full size: 1,000 SIGKILLs during saves, 16 x 25 concurrent updates,
# every naughty string in every field, longer random command sequences.
stress: sysdeps venv
	REFAUDIT_STRESS=1 $(BIN)/pytest -q -m slow

bench: sysdeps venv
	$(BIN)/python -m benchmarks --markdown docs/PERFORMANCE.md

lint: venv
	$(BIN)/ruff check refaudit tests benchmarks
	$(BIN)/ruff format --check refaudit tests benchmarks
	$(BIN)/mypy

# Man pages generated from the Click commands (refaudit/cli/_manpage.py): man/refaudit.1,
# man/refaudit-app-add.1 … with verbatim examples, EXIT STATUS, ENVIRONMENT, FILES, SEE ALSO.
# Read one without installing: man -l man/refaudit-app-update.1
man: venv
	rm -rf man
	$(BIN)/python -m refaudit.cli._manpage man

MANDIR ?= $(HOME)/.local/share/man/man1
install-man: man
	mkdir -p $(MANDIR)
	install -m 0644 man/*.1 $(MANDIR)/
	@echo "Installed $$(ls man/*.1 | wc -l) man pages in $(MANDIR): try 'man refaudit-app-update'."

clean:
	rm -rf $(VENV) demo man build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
