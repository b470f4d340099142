"""docs/intents.md calls itself the contract: it names every intent of every interaction model, and no other,
each with the slots (and their types) the model gives it."""
import json
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "intents.md"
MODELS = sorted((ROOT / "skill-package" / "interactionModels" / "custom").glob("*.json"))
INTENT = re.compile(r"\b(?:AMAZON\.)?[A-Z][A-Za-z]*Intent\b")
SLOT = re.compile(r"`(\w+)` \(([\w.]+)\)")


def documented() -> dict[str, set[tuple[str, str]]]:
    """Intent -> its (slot, type) pairs, from the rows of the doc's intent table."""
    rows: dict[str, set[tuple[str, str]]] = {}
    section = DOC.read_text(encoding="utf-8").split("## Intents", 1)[1].split("\n## ", 1)[0]
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 4 or not INTENT.search(cells[0]):
            continue
        for name in INTENT.findall(cells[0]):
            assert name not in rows, f"{name} has two rows in {DOC.name}"
            rows[name] = set(SLOT.findall(cells[1]))
    return rows


def model_intents(path: Path) -> dict[str, set[tuple[str, str]]]:
    model = json.loads(path.read_text(encoding="utf-8"))["interactionModel"]["languageModel"]
    return {i["name"]: {(s["name"], s["type"]) for s in i.get("slots", [])} for i in model["intents"]}


def test_there_is_a_model_to_check():
    assert MODELS and (ROOT / "interaction_model" / "en-US.json").resolve() in {m.resolve() for m in MODELS}


@pytest.mark.parametrize("model", MODELS, ids=lambda p: p.stem)
def test_every_intent_of_the_model_is_in_the_doc_and_none_else(model):
    doc, wanted = documented(), model_intents(model)
    assert sorted(set(wanted) - set(doc)) == [], f"intents of {model.name} missing from {DOC.name}"
    assert sorted(set(doc) - set(wanted)) == [], f"intents in {DOC.name} that {model.name} does not have"


@pytest.mark.parametrize("model", MODELS, ids=lambda p: p.stem)
def test_each_intent_has_the_slots_the_model_gives_it(model):
    doc = documented()
    wrong = {name: (sorted(doc[name]), sorted(slots)) for name, slots in model_intents(model).items()
             if name in doc and doc[name] != slots}
    assert wrong == {}, "(doc, model) slots differ"


def test_the_check_notices_a_missing_row(tmp_path, monkeypatch):
    text = DOC.read_text(encoding="utf-8")
    cut = tmp_path / "intents.md"
    cut.write_text("\n".join(l for l in text.splitlines() if not l.startswith("| WhatIfIntent")), encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "DOC", cut)
    assert "WhatIfIntent" not in documented() and "DescribeIntent" in documented()
