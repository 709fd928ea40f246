# Two commands a new user needs (see README.md):
#   make run   install what is missing (system packages too) and start the app
#   make test  install what is missing and run the checks and the tests
# System packages come from packaging/system-deps.sh (the one list; apt, through sudo when
# not root). SYSTEM_DEPS=skip leaves them alone.
# For packagers (see packaging/README.md):
#   make bundle  the PyInstaller one-folder bundle, dist/companion
#   make deb     a Debian/Ubuntu package from that bundle, dist/grounding-companion_<v>_<arch>.deb
# For the spoken voice (see assets/voice/README.md):
#   make voice  render the spoken cue of every shipped practice that is new or changed
#               (Piper, offline), and drop audio no practice uses. Needs the `voice` extra,
#               which it installs; the app and its tests never need it.
# For translators:
#   make pot   extract the catalog template, assets/locale/grounding-companion.pot, with
#              Babel (pybabel extract; babel.cfg maps the Python modules and the shipped
#              practice files, whose words companion/i18n_extract.py reads). Keywords:
#              _, N_, ngettext (singular, plural) and pgettext (context, message).
#              POT=path writes it elsewhere. The template is generated, not kept in git.
# Found when first used, so after system-deps.sh has installed one if there was none.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed
DEPS    = bash packaging/system-deps.sh

POT    ?= assets/locale/grounding-companion.pot

.PHONY: run test lint bench screenshots clean pot bundle deb system-deps-venv voice

system-deps-venv:
	@PYTHON="$(PYTHON)" $(DEPS) venv

$(STAMP): pyproject.toml | system-deps-venv
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

run: $(STAMP)
	@$(DEPS) run
	$(BIN)/companion run

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: lint
	@$(DEPS) test
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

$(VENV)/.installed-build: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[test,build]"
	touch $@

bundle: $(VENV)/.installed-build
	@PYTHON=$(BIN)/python $(DEPS) bundle
	$(BIN)/pyinstaller --noconfirm --log-level WARN packaging/companion.spec
	@du -sh dist/companion

deb: bundle
	@$(DEPS) deb
	$(BIN)/python packaging/deb/build.py dist/companion

$(VENV)/.installed-voice: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[test,voice]"
	touch $@

voice: $(VENV)/.installed-voice
	$(BIN)/python assets/voice/render.py

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
