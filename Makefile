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
# tests/example_plugin is an outside plugin (an illustrative 浙江省 layer, invented rules) installed
# as its own distribution, as a regional team's package would be -- in a venv of its own, so that
# the demo and the commands in .venv never judge Wenzhou by invented provincial rules.
EXAMPLE_VENV = .venv-example
EXAMPLE_STAMP = $(EXAMPLE_VENV)/.installed
SIZE ?= 10000

.PHONY: venv demo test serve bench clean

$(STAMP): pyproject.toml $(addsuffix /pyproject.toml,$(PROJECTS))
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet $(addprefix -e ,$(PROJECTS)) -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

$(EXAMPLE_STAMP): pyproject.toml $(addsuffix /pyproject.toml,$(PROJECTS)) tests/example_plugin/pyproject.toml
	test -x $(EXAMPLE_VENV)/bin/python || $(PYTHON) -m venv $(EXAMPLE_VENV)
	$(EXAMPLE_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(EXAMPLE_VENV)/bin/python -m pip install --quiet $(addprefix -e ,$(PROJECTS)) -e tests/example_plugin -e '.[dev]'
	touch $(EXAMPLE_STAMP)

demo: venv
	$(BIN)/jijiao demo --db demo.db --size $(SIZE)

# The suite runs twice: with the built-in plugins only, then with the outside example plugin
# installed beside them (and its own tests), so that no host test depends on what else is installed.
test: venv $(EXAMPLE_STAMP)
	$(BIN)/python -m pytest --ignore=tests/example_plugin
	$(EXAMPLE_VENV)/bin/python -m pytest -q

serve: venv
	$(BIN)/jijiao serve --db demo.db

# The province benchmark (docs/benchmark.md): make bench, or make bench BENCH=--quick
BENCH ?=
bench: venv
	$(BIN)/python bench/province.py $(BENCH)

clean:
	rm -rf $(VENV) $(EXAMPLE_VENV) demo.db
