"""The layout's rules, checked from the imports (skill_tools/architecture.py draws docs/architecture.md
from the same scan): no circles, no upward imports, the runtime apart from the tools, files of a size a
newcomer can read, and the committed doc current. Fix a failure in the code, or place a new module in
LAYERS; then `make architecture`."""
from skill_tools import architecture

MODULES = architecture.scan()


def test_every_module_has_a_layer():
    assert architecture.unplaced(MODULES) == [], "place these in LAYERS (skill_tools/architecture.py)"


def test_no_module_imports_a_higher_layer():
    assert architecture.upward_imports(MODULES) == []


def test_no_imports_go_round_in_a_circle():
    assert architecture.cycles(MODULES) == []


def test_the_runtime_imports_nothing_of_the_tools():
    assert architecture.runtime_imports_of_tools(MODULES) == []


def test_no_python_file_is_over_the_limit():
    assert architecture.oversized(MODULES) == [], f"over {architecture.MAX_LINES} lines: split by concern"


def test_the_architecture_doc_is_current():
    assert architecture.DOC.read_text(encoding="utf-8") == architecture.render(MODULES), "run make architecture"


def test_the_scan_sees_what_the_rules_are_about(tmp_path):
    """A small tree with one of each fault: the rules find each (so an empty answer above means something)."""
    files = {
        "skill/__init__.py": "",
        "skill/triage.py": "from skill import handlers\n",                            # upward
        "skill/handlers/__init__.py": "from . import replies\n",
        "skill/handlers/replies.py": "import skill.handlers.symptoms\nfrom skill_tools import cli\n",
        "skill/handlers/symptoms.py": "def f():\n    from .replies import x\n",          # a circle, lazily
        "skill/clock.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from skill import builder\n",
        "skill/builder.py": "x = 1\n" * (architecture.MAX_LINES + 1),
        "skill_tools/__init__.py": "",
        "skill_tools/cli.py": "import skill.builder\n",
        "lambda/lambda_function.py": "from skill.builder import build\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    modules = architecture.scan(tmp_path)
    assert architecture.upward_imports(modules) == [("skill.handlers.replies", "skill_tools.cli"),
                                                    ("skill.triage", "skill.handlers")]
    assert architecture.cycles(modules) == [["skill.handlers.replies", "skill.handlers.symptoms"]]
    assert architecture.runtime_imports_of_tools(modules) == [("skill.handlers.replies", "skill_tools.cli")]
    assert architecture.oversized(modules) == [("skill/builder.py", architecture.MAX_LINES + 1)]
    assert modules["skill.clock"].imports == set()                   # type hints only: no dependency
    assert modules["lambda.lambda_function"].imports == {"skill.builder"}
    assert architecture.unplaced(modules) == []
