# Two commands do all set-up: `make run` opens Claimdesk, `make test` runs every test.
# The newest supported Python that runs (a pyenv shim for a version not selected does not).
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
  $$p -c 'import sys; sys.exit(not (3, 11) <= sys.version_info[:2] <= (3, 13))' 2>/dev/null && command -v $$p && break; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench lint model clean install

run: $(STAMP)
	@scripts/system-deps.sh desktop
	$(BIN)/claimdesk

test: $(STAMP)
	@scripts/system-deps.sh test
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

# Claimdesk in the desktop's menu: a .desktop entry and its icon in ~/.local/share.
install: $(STAMP)
	$(BIN)/claimdesk --install-desktop-entry

bench: $(STAMP)
	@scripts/system-deps.sh bench
	ARCHIVE=$(ARCHIVE) $(BIN)/python benchmarks/run.py

$(STAMP): pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(not (3, 11) <= sys.version_info[:2] <= (3, 13))' || \
	  { echo "Claimdesk needs Python 3.11 to 3.13; set PYTHON=/path/to/python3" >&2; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e ".[test]"
	@touch $(STAMP)

lint: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[lint]"
	$(BIN)/ruff check app tests benchmarks migrations --extend-ignore E501
	$(BIN)/mypy

# Retrain the check-worthiness model shipped in app/detection/ (about 5 minutes on 2 cores).
DATA ?= ../shared/data/checkworthiness/ct24_english_train.tsv
model: $(STAMP)
	$(BIN)/python -m pip install --quiet -c requirements.lock -e ".[train]"
	$(BIN)/python scripts/train_model.py $(DATA) --ablation

clean:
	rm -rf $(VENV) .pytest_cache
