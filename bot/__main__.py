"""``python -m bot`` entry point."""

import gc
import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("PTB_TIMEDELTA", "1")
# No pydantic plugin is installed or wanted; without this, pydantic reads every installed distribution's
# entry points (importlib.metadata, email parsing) the first time it builds a validator, ~25 ms of each start.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

# Importing the bot creates a few hundred thousand long-lived objects (modules, classes, ORM and pydantic
# schemas) and next to no garbage, yet the cyclic collector ran ~280 times over them (~0.13 s of every
# start). Collection is off while importing; the objects made so far are then frozen (kept out of later
# collections, which only need to look at what the running bot creates) and collection resumes.
gc.disable()
from bot.cli import main  # noqa: E402  (after gc.disable(), on purpose)

gc.freeze()
gc.enable()
raise SystemExit(main())
