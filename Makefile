# vnconv — `make demo`, `make test`, `make bench`. Each target creates .venv when it is missing.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
# Test oracles, the LibreOffice that .doc/.xls conversion uses, the Java runtime Spark needs and the browser the web page's test drives (Debian packages; installed when missing
# and running as root, otherwise the tests that need them skip with a message).
DEBS   := recode libreoffice-writer-nogui libreoffice-calc-nogui openjdk-17-jre-headless chromium chromium-driver

.PHONY: demo test fuzz bench oracles clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,pipelines,web]'
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/vnconv convert examples/ke-hoach-60-nam.txt -o -

oracles:
	@missing=""; \
	command -v recode >/dev/null 2>&1 || missing="$$missing recode"; \
	command -v soffice >/dev/null 2>&1 || missing="$$missing libreoffice-writer-nogui libreoffice-calc-nogui"; \
	command -v java >/dev/null 2>&1 || missing="$$missing openjdk-17-jre-headless"; \
	command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1 || missing="$$missing chromium chromium-driver"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing$$missing (Debian packages for the tests)"; \
	    (apt-get install -y -qq --no-install-recommends $$missing >/dev/null 2>&1 || \
	     (apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq --no-install-recommends $$missing >/dev/null 2>&1)) \
	      || echo "note: could not install$$missing; the tests that need them will skip"; \
	  else echo "note:$$missing missing and not root; the tests that need them will skip"; fi; fi

test: $(STAMP) oracles
	$(PY) -m pytest -q

# The property tests on fresh random examples, VNCONV_FUZZ times as many as `make test` runs (always the same).
fuzz: $(STAMP)
	VNCONV_FUZZ=$${VNCONV_FUZZ:-10} $(PY) -m pytest -q -m property

# viparse (PyPI, MIT) is the closest peer of the repair engine: measured beside it, never a dependency.
bench: $(STAMP) oracles
	$(PY) -m pip install --quiet viparse || echo "note: viparse not installed; bench_repair runs without it"
	$(PY) benchmarks/bench_codecs.py
	$(PY) benchmarks/bench_repair.py
	$(PY) benchmarks/bench_cli.py
	$(PY) benchmarks/bench_office.py
	$(PY) benchmarks/bench_pipeline.py

clean:
	rm -rf $(VENV) build dist .pytest_cache .hypothesis
