"""CLINC150: everyday requests to home assistants, said to the skill to count its false alarms.

The public corpus of Larson et al. (2019), "An Evaluation Dataset for Intent Classification and
Out-of-Scope Prediction" (EMNLP-IJCNLP; github.com/clinc/oos-eval, CC BY 3.0): its `test` and
`oos_test` utterances of data/data_full.json, 5,500 requests such as "set the living room lights
to fifty percent" or "can you call an uber for me". None is about a current health problem of
someone present, so each is a not_alarm sentence: 911, 988 or Poison Control in the first
sentence of the answer is a false alarm (skill_tools.simulator.corpus).

The utterances are not kept in this repository (tests/data/clinc150/README.md says why and
where they come from); :func:`utterances` reads them from the first place that has them.
"""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
COMMIT = "828f8093932c8fe6ca7936c3d2e52903b1c523de"   # clinc/oos-eval; data/data_full.json unchanged since 48a0e1c
SPLITS = ("test", "oos_test")
TRAINING_SPLITS = ("train", "val", "oos_train", "oos_val")   # the crisis model's everyday sentences: never measured
ENV = "CLINC150_DATA"
# Where the data may be, first found wins: $CLINC150_DATA (data_full.json, or utterances one a line);
# this directory; the steering repository's shared/ data; a `fetch` snapshot of clinc/oos-eval.
PLACES = (ROOT / "tests" / "data" / "clinc150", ROOT.parent / "shared" / "clinc150")
MIRROR = ROOT.parent / ".mirror" / "clinc+oos-eval" / "repo"
# The fixed subset the test suite says (every SUBSET_STEP-th utterance, in the corpus's order).
SUBSET_STEP = 10


def _from_json(text: str, splits=SPLITS) -> list[str]:
    data = json.loads(text)
    return [str(item[0]) for split in splits for item in data[split]]


def _from_file(path: Path, splits=SPLITS) -> list[str] | None:
    if not path.is_file():
        return None
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        return _from_json(text, splits)
    if splits != SPLITS:
        return None               # utterances one a line are the measured splits only
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def utterances(splits=SPLITS) -> tuple[list[str], str] | tuple[None, str]:
    """(the 5,500 utterances of the measured splits, or those of ``splits``, where they came from), or (None, why
    not)."""
    candidates = [Path(os.environ[ENV])] if os.environ.get(ENV) else []
    for place in PLACES:
        candidates += [place / "utterances.txt", place / "data_full.json"]
    for path in candidates:
        try:
            found = _from_file(path, splits)
        except (OSError, ValueError, KeyError, IndexError, TypeError):
            continue
        if found:
            return found, str(path)
    if MIRROR.exists():
        for rev in (COMMIT, "HEAD"):
            done = subprocess.run(["git", "--git-dir", str(MIRROR), "show", f"{rev}:data/data_full.json"],
                                  capture_output=True, text=True)
            if done.returncode == 0:
                return _from_json(done.stdout, splits), f"{MIRROR} at {rev}"
    return None, (f"CLINC150 is not here: set {ENV} to its data/data_full.json (github.com/clinc/oos-eval, "
                  f"commit {COMMIT[:7]}), or see tests/data/clinc150/README.md")


def subset(found: list[str], step: int = SUBSET_STEP) -> list[str]:
    return found[::step]


def entries(found: list[str]) -> list[dict]:
    """Corpus entries: every utterance a not_alarm sentence."""
    return [{"text": text, "level": "not_alarm", "complaint": "clinc150"} for text in found]
