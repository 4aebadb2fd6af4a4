# The few commands a newcomer needs. `make run` and `make test` work on a fresh Debian machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000
PGPORT ?= 54329

# Debian packages: PostgreSQL (tested for real), Chromium (browser tests), Pango + DejaVu (PDF reports with
# ң ө ү ә ғ қ ұ һ і), Java 17 (Spark in local mode).
DEBIAN_PACKAGES := postgresql chromium fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0 openjdk-17-jre-headless
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: install debian run test lint train bench clean

debian:
	@missing=$$(for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing Debian packages:" $$missing; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: debian $(STAMP)

run: install
	$(BIN)/tumar serve --host $(HOST) --port $(PORT)

# The tests need a real PostgreSQL: a throwaway server on 127.0.0.1:$(PGPORT) runs for the length of the tests.
test: install
	@PGPORT=$(PGPORT) scripts/test-postgres start
	@TUMAR_TEST_POSTGRES_URL=postgresql+psycopg://postgres@127.0.0.1:$(PGPORT)/postgres TUMAR_REQUIRE_POSTGRES=1 \
		$(BIN)/python -m pytest -q; status=$$?; PGPORT=$(PGPORT) scripts/test-postgres stop; exit $$status

# Retrain the classifier from training/corpus (and ../shared/datasets when present); see training/GUIDE.md.
# Fine-tunes the encoder with PyTorch on the CPU (installed with the dev extras): about 100 minutes on two cores.
train: install
	$(BIN)/python training/train.py

# The quality and speed numbers of the README (prints them; takes a few minutes).
bench: install
	$(BIN)/python benchmarks/quality.py
	$(BIN)/python benchmarks/speed.py

lint: install
	$(BIN)/ruff check src tests benchmarks training
	$(BIN)/ruff format --check src tests benchmarks training
	$(BIN)/mypy src

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache .mypy_cache .ruff_cache
