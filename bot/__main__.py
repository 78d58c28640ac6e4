"""``python -m bot`` entry point."""

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("PTB_TIMEDELTA", "1")
# No pydantic plugin is installed or wanted; without this, pydantic reads every installed distribution's
# entry points (importlib.metadata, email parsing) the first time it builds a validator, ~25 ms of each start.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

import logging
import sys

from bot import collector_paused

with collector_paused():
    from bot.cli import main

code = main()
if sys.argv[1:2] == ["ask"]:
    # `ask` is called again and again by scripts, and by then it has closed all it opened (the database, the
    # model's loading thread) and printed its answer: the interpreter's own teardown, freeing every module
    # and object one by one (0.1-0.2 s here), is skipped. Logs and output are flushed first.
    logging.shutdown()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # the reader went away: the answer was not delivered
        code = code or 1
    os._exit(code)
raise SystemExit(code)
