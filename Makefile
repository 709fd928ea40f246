# Two commands a new user needs (see README.md):
#   make run   install into .venv and start the app on its built-in standing week
#   make test  install into .venv and run the checks and the tests
# For translators:
#   make pot   extract the catalog template, assets/locale/grounding-companion.pot, with
#              Babel (pybabel extract; babel.cfg maps the Python modules and the shipped
#              practice files, whose words companion/i18n_extract.py reads). Keywords:
#              _, N_, ngettext (singular, plural) and pgettext (context, message).
#              POT=path writes it elsewhere. The template is generated, not kept in git.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed

POT    ?= assets/locale/grounding-companion.pot

.PHONY: run test lint bench screenshots clean pot

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/companion run

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: lint
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python bench/journal.py --quick
	$(BIN)/python bench/calendar.py
	$(BIN)/python bench/pacer.py --quick
	$(BIN)/python bench/history.py
	$(BIN)/python bench/startup.py --quick
	$(BIN)/python bench/idle.py --quick

pot: $(STAMP)
	mkdir -p $(dir $(POT))
	PYTHONPATH=. $(BIN)/pybabel -q extract --mapping-file=babel.cfg --no-default-keywords \
		--keyword=_ --keyword=N_ --keyword=ngettext:1,2 --keyword=pgettext:1c,2 \
		--add-comments=Translators: --sort-by-file --width=100 \
		--project="Grounding Companion" \
		--version="$$($(BIN)/python -c 'import companion; print(companion.__version__)')" \
		--output-file=$(POT) .
	@$(BIN)/python -c "import sys; from babel.messages.pofile import read_po; \
		c = read_po(open(sys.argv[1], 'rb')); \
		print(f'{sys.argv[1]}: {len(c)} messages, {sum(1 for m in c if m.pluralizable)} with plurals, {sum(1 for m in c if m.context)} with a context')" $(POT)

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
