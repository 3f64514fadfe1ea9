# Two commands do all set-up: `make run` opens Claimdesk, `make test` runs every test.
# The newest supported Python that runs (a pyenv shim for a version not selected does not).
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
  $$p -c 'import sys; sys.exit(not (3, 11) <= sys.version_info[:2] <= (3, 13))' 2>/dev/null && command -v $$p && break; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench lint model clean install lock

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
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $(STAMP)

lint: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[lint]"
	$(BIN)/ruff check app tests benchmarks migrations --extend-ignore E501
	$(BIN)/mypy

# Retrain the check-worthiness model shipped in app/detection/ (about 5 minutes on 2 cores).
DATA ?= ../shared/data/checkworthiness/ct24_english_train.tsv
model: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[train]"  # the lock covers the app and tests; the rest by range
	$(BIN)/python scripts/train_model.py $(DATA) --ablation

# Refresh requirements.lock from pyproject.toml's ranges (the app and its test extra): uv's resolver, one
# lock for every supported Python (--universal), every file's hash. Then check it installs on each.
UV := uv==0.13.9
lock:
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet "$(UV)"
	$(BIN)/uv pip compile --quiet pyproject.toml --extra test --universal --python-version 3.11 \
	  --generate-hashes --custom-compile-command "make lock" -o requirements.lock
	scripts/check-lock.sh

clean:
	rm -rf $(VENV) .pytest_cache
