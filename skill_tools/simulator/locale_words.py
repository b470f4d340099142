"""The simulator's English, read once: ``nlu/<LOCALE>.yaml``, for the language understanding
(:mod:`.nlu.words`) and the built-in slot types (:mod:`.builtin_slots`). It stands outside the
``nlu`` package because the understanding imports :mod:`.builtin_slots`, which reads it too."""
from __future__ import annotations

from pathlib import Path

import yaml

LOCALE = "en-US"                # the locale of the interaction model the simulator reads
WORDS: dict = yaml.safe_load((Path(__file__).parent / "nlu" / f"{LOCALE}.yaml").read_text(encoding="utf-8"))
