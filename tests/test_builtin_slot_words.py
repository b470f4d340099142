"""The built-in slot types' English is data (nlu/en-US.yaml and skill.text's numbers), not Python."""
import ast
import copy
import importlib
from datetime import date
from pathlib import Path

from skill import text
from skill_tools.simulator import builtin_slots, locale_words

TODAY = date(2026, 11, 24)
SOURCE = Path(builtin_slots.__file__)


def _data_words() -> set[str]:
    """Every word the YAML gives the built-in slot types, and the spoken numbers they share with skill.text."""
    found: set[str] = set()

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                found.update(str(key).split())
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
        elif isinstance(node, str):
            found.update(node.split())

    walk(locale_words.WORDS["builtin_slots"])
    walk(text.for_locale(locale_words.LOCALE).data["numbers"])
    return {w for w in found if w.islower()}


def test_no_word_of_the_data_is_written_in_the_code():
    tree = ast.parse(SOURCE.read_text(encoding="utf-8"))
    skipped = {id(n.body[0].value) for n in ast.walk(tree)                # docstrings
               if isinstance(n, (ast.Module, ast.FunctionDef)) and ast.get_docstring(n) is not None}
    skipped |= {id(n.slice) for n in ast.walk(tree) if isinstance(n, ast.Subscript)}   # data keys
    literals = {n.value for n in ast.walk(tree)
                if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in skipped}
    words = {w for literal in literals for w in literal.split()}
    assert not words & _data_words()


def test_an_abbreviation_only_in_the_yaml_is_a_month():
    assert "sept" not in SOURCE.read_text(encoding="utf-8")
    assert builtin_slots.resolve_date("sept third", TODAY) == "2027-09-03"


def test_month_names_are_read_from_the_data(monkeypatch):
    words = copy.deepcopy(locale_words.WORDS)
    words["builtin_slots"]["months"][10] = "brumaire"
    monkeypatch.setattr(locale_words, "WORDS", words)
    try:
        importlib.reload(builtin_slots)
        assert builtin_slots.resolve_date("brumaire tenth", TODAY) == "2027-11-10"
        assert builtin_slots.resolve_date("november tenth", TODAY) is None
    finally:
        monkeypatch.undo()
        importlib.reload(builtin_slots)
    assert builtin_slots.resolve_date("november tenth", TODAY) == "2027-11-10"
