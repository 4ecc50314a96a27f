# The two commands of the README: `make demo` reviews the bundled example, `make test` runs the test suite.
# Both create the virtualenv on first use, so a fresh clone needs only Python 3.11+ with venv, and make.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test benchmark clean readme

$(BIN)/vitruvius: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.dev: $(BIN)/vitruvius
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

demo: $(BIN)/vitruvius
	$(BIN)/vitruvius review examples/deletion-service --fail-on never

test: $(VENV)/.dev
	$(BIN)/python -m pytest -q

benchmark: $(VENV)/.dev
	$(BIN)/python benchmarks/review_pretix.py

clean:
	rm -rf $(VENV) .pytest_cache

# Regenerate the README's rule list from the rules (tests/test_readme.py fails when it is stale).
readme: $(BIN)/vitruvius
	$(BIN)/python -c "import re, pathlib; from vitruvius.cli import rule_table_markdown; from vitruvius.rules import all_rules; p = pathlib.Path('README.md'); t = p.read_text(); p.write_text(re.sub(r'(<!-- rules:start -->\n).*?(<!-- rules:end -->)', lambda m: m.group(1) + rule_table_markdown(all_rules().values()) + m.group(2), t, flags=re.S))"
