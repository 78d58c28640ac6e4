"""``python -m bot`` entry point."""

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("PTB_TIMEDELTA", "1")
# No pydantic plugin is installed or wanted; without this, pydantic reads every installed distribution's
# entry points (importlib.metadata, email parsing) the first time it builds a validator, ~25 ms of each start.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

from bot.cli import main

raise SystemExit(main())
