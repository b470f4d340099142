"""The corpus the tools use by default is their own package data; the frozen test set is only ever passed in."""
import inspect
import tomllib
from pathlib import Path

from skill_tools.simulator import corpus

ROOT = Path(__file__).resolve().parents[1]
TOOLS = ROOT / "skill_tools"


def test_the_tuning_set_is_package_data_of_the_tools():
    package_data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    assert all(path.exists() and path.is_relative_to(TOOLS) for path in corpus.TUNING)
    assert all(any(path.relative_to(TOOLS).match(glob) for glob in package_data["skill_tools"]) for path in corpus.TUNING)


def test_the_held_out_test_set_is_no_default_of_the_tools():
    assert not hasattr(corpus, "TEST") and not corpus.DATA.is_relative_to(ROOT / "tests")
    assert inspect.signature(corpus.load_held_out).parameters["paths"].default is inspect.Parameter.empty
    assert not any(p.name == "triage_test.yaml" for p in corpus.DATA.iterdir())
