# `make demo` and `make test` are all a newcomer needs; both create .venv first.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
KG     := $(VENV)/bin/kg
STAMP  := $(VENV)/.installed
OUT    := build

.PHONY: all demo test test-all bench lint clean screenshot screenshot-corpus

all: demo

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	@mkdir -p $(OUT)
	$(KG) build examples/articles --out $(OUT)/demo.ttl --html $(OUT)/demo.html
	$(KG) stats $(OUT)/demo.ttl
	@for q in examples/queries/*.rq; do echo "== $$q"; $(KG) query $(OUT)/demo.ttl --file $$q || exit 1; done
	@echo "Wrote $(OUT)/demo.ttl and $(OUT)/demo.html"

# the fast suite (what the README's `make test` promises: well under a minute; browser tests skip without Chromium)
test: $(STAMP)
	$(PY) -m pytest -q -m 'not slow'

# everything, the slow tests too: what CI runs (.ci/run)
test-all: $(STAMP)
	$(PY) -m pytest -q

bench: $(STAMP)
	$(PY) bench/run.py

# docs/seed-graph.png: the seed article's graph in headless Chromium (needs chromium + fonts-wqy-microhei).
SEED := ../shared/seeds/000_b625d6200ca549e7.txt
screenshot: $(STAMP)
	@mkdir -p $(OUT)
	$(KG) build $(SEED) --out $(OUT)/seed.ttl --html $(OUT)/seed.html --title "kg: seed article 种子文章"
	$(PY) -m tests.tools.browser $(OUT)/seed.html docs/seed-graph.png 1400 900 Microsoft

# docs/corpus-graph.png: the explorer on a 400-document bench corpus (about 700 entities), at fit zoom.
screenshot-corpus: $(STAMP)
	@mkdir -p $(OUT)
	$(PY) bench/corpus.py $(OUT)/bench400 --docs 400 --kb 2
	$(KG) build $(OUT)/bench400 --out $(OUT)/bench400.ttl --report $(OUT)/bench400-report.json
	$(KG) render $(OUT)/bench400.ttl --out $(OUT)/bench400.html --title "kg: 400 bench articles (bench/corpus.py --docs 400 --kb 2)"
	$(PY) -m tests.tools.browser $(OUT)/bench400.html docs/corpus-graph.png 1400 900

lint: $(STAMP)
	$(VENV)/bin/ruff check kg tests

clean:
	rm -rf $(OUT) .pytest_cache
