"""Every corpus sentence said in every dialog state, and the skill's whole answer, one JSON line each.

    python bench/corpus_answers.py OUT.jsonl            # the tuning and test sets, every state
    diff <(sort before.jsonl) <(sort after.jsonl)     # a restructure must give exactly the same lines

For a change that must not change behaviour (issue 19): run it before and after, and compare. It
runs the held-out test set too, only to compare answers, never to read or tune on them.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from skill_tools.simulator import corpus  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    args = parser.parse_args(argv)
    paths = sorted(corpus.DATA.glob("triage_tuning*.yaml")) + [ROOT / "tests" / "data" / "triage_test.yaml"]
    with args.out.open("w", encoding="utf-8") as out:
        for path in paths:
            if not path.exists():
                continue
            for said in corpus.run(corpus.load(path)):
                out.write(json.dumps({"file": path.name, "state": said.state, "text": said.text,
                                      "intent": said.intent, "slots": said.slots, "question": said.question,
                                      "speech": said.speech}, sort_keys=True) + "\n")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
