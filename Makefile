VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install run test docs timing faults fuzz bench api-docs clean

$(PY):
	python3 -m venv $(VENV)

$(STAMP): $(PY) pyproject.toml
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[embedded,test,docs]"
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(VENV)/bin/customer-service serve

test: $(STAMP)
	$(PY) -m ruff check src tests bench docs examples
	$(PY) -m mypy
	$(PY) -m mypy --strict examples  # as an embedder's code is checked
	$(MAKE) --no-print-directory docs
	$(PY) -m pytest -n 4 --dist loadgroup -m "not timing and not faults"

# The reference (mkdocs.yml) from the docstrings into site/; any warning fails it.
docs: $(STAMP)
	$(PY) -m mkdocs build --strict --quiet

# Latency comparisons at bcrypt cost 12: minutes, so kept out of `make test`.
timing: $(STAMP)
	$(PY) -m pytest -m timing -s

# Crashes and outages: the API and the embedded store killed, the database gone (about a minute).
faults: $(STAMP)
	$(PY) -m pytest -n 2 -m faults

# Schemathesis at length, with a new seed each run (make test uses a fixed one).
fuzz: $(STAMP)
	CS_TEST_FUZZ_EXAMPLES=$${CS_TEST_FUZZ_EXAMPLES:-300} $(PY) -m pytest --timeout=0 tests/integration/test_schemathesis.py

bench: $(STAMP)
	$(PY) -m pip install --quiet -e ".[embedded,test,bench]"
	$(PY) bench/run_all.py

# docs/api.md from the OpenAPI document the code serves (a test checks it is current).
api-docs: $(STAMP)
	$(PY) -m entrypoints.http.api_reference > docs/api.md

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis site
