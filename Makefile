# vnconv — `make demo`, `make test`, `make bench`. Each target creates .venv when it is missing.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: demo test bench oracles clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/vnconv convert examples/ke-hoach-60-nam.txt -o -

# Test oracles: GNU recode (Debian) when running as root; glibc iconv is part of the system.
oracles:
	@if ! command -v recode >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get install -y -qq recode >/dev/null 2>&1 || (apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq recode >/dev/null 2>&1)) \
	      || echo "note: could not install recode; its tests will skip"; \
	  else echo "note: recode missing and not root; its tests will skip"; fi; fi

test: $(STAMP) oracles
	$(PY) -m pytest -q

bench: $(STAMP) oracles
	$(PY) benchmarks/bench_codecs.py

clean:
	rm -rf $(VENV) build dist .pytest_cache .hypothesis
