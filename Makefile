# Two commands do all the set-up on a fresh machine (Python 3.11 and pip):
#   make demo   build the demo database and assess it
#   make test   run the whole test suite (unit tests, Gherkin scenarios, browser test)
#   make bench  the province-scale benchmark (bench/province.py; BENCH=--quick for 20,000 people)
# Each creates .venv when it is missing or older than any pyproject.toml.

PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin
STAMP = $(VENV)/.installed
PROJECTS = core plugins/national plugins/liaoning plugins/wenzhou plugins/changsha
SIZE ?= 10000

.PHONY: venv demo test serve bench clean

$(STAMP): pyproject.toml $(addsuffix /pyproject.toml,$(PROJECTS))
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet $(addprefix -e ,$(PROJECTS)) -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

demo: venv
	$(BIN)/jijiao demo --db demo.db --size $(SIZE)

test: venv
	$(BIN)/python -m pytest

serve: venv
	$(BIN)/jijiao serve --db demo.db

# The province benchmark (docs/benchmark.md): make bench, or make bench BENCH=--quick
BENCH ?=
bench: venv
	$(BIN)/python bench/province.py $(BENCH)

clean:
	rm -rf $(VENV) demo.db
