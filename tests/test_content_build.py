"""Building the Lambda zip never writes a tracked file: the content build is a tool, the zip only checks it."""
import json
import shutil
import re
from pathlib import Path

import pytest

from skill import content
from skill_tools import content_build, model_locales

ROOT = Path(__file__).resolve().parents[1]


def _recipe(target: str) -> str:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    return re.search(rf"^{target}:.*\n((?:\t.*\n|\s*\n)*)", makefile, re.M).group(1)


def test_the_generated_content_is_current():
    assert content_build.stale() == [], "run make content"


def test_lambda_zip_checks_the_content_and_writes_only_build():
    recipe = _recipe("lambda-zip")
    assert "skill_tools.content_build --check" in recipe
    assert "-m skill.content" not in recipe
    assert "content_build\n" not in recipe and "content_build " not in recipe.replace("content_build --check", "")
    assert "content_build" in _recipe("content")


def test_the_runtime_content_module_only_loads():
    assert not hasattr(content, "compile_content") and not hasattr(content, "write_subject_type")


def test_a_build_into_another_file_is_what_the_loader_accepts(tmp_path):
    out = content_build.compile_content(tmp_path / "content.json")
    compiled = json.loads(out.read_text(encoding="utf-8"))
    texts = {name: (content.CONTENT_DIR / name).read_text(encoding="utf-8") for name in content.SOURCES}
    assert content._compiled(texts) is not None
    assert compiled["sources"] == json.loads((content.CONTENT_DIR / content.COMPILED).read_text())["sources"]


def test_check_names_a_stale_subject_type_and_writes_nothing(tmp_path, capsys, monkeypatch):
    model = json.loads(content_build.MODEL.read_text(encoding="utf-8"))
    for spec in model["interactionModel"]["languageModel"]["types"]:
        if spec["name"] == "SubjectType":
            spec["values"] = spec["values"][1:]
    path = tmp_path / "en-US.json"
    path.write_text(json.dumps(model), encoding="utf-8")
    before = path.read_text(encoding="utf-8")
    # the other locales' models are made from en-US's, so they are behind it too
    assert content_build.stale(path)[0] == f"the SubjectType or MedicineType of {path}"
    monkeypatch.setattr(content_build, "MODEL", path)
    assert content_build.main(["--check"]) == 1
    assert "make content" in capsys.readouterr().err
    assert path.read_text(encoding="utf-8") == before


def test_check_names_a_locale_model_that_was_edited_by_hand(tmp_path, capsys, monkeypatch):
    for locale in model_locales.locales():
        shutil.copyfile(content_build.MODEL.parent / f"{locale}.json", tmp_path / f"{locale}.json")
    monkeypatch.setattr(content_build, "MODEL", tmp_path / "en-US.json")
    assert content_build.main(["--check"]) == 0
    model = json.loads((tmp_path / "en-GB.json").read_text(encoding="utf-8"))
    model["interactionModel"]["languageModel"]["invocationName"] = "spine helper"
    (tmp_path / "en-GB.json").write_text(json.dumps(model), encoding="utf-8")
    assert content_build.main(["--check"]) == 1
    assert "en-GB.json" in capsys.readouterr().err
    monkeypatch.setattr(content_build, "compile_content", lambda: tmp_path / "content.json")  # not the real one
    assert content_build.main([]) == 0
    assert model_locales.stale(model_dir=tmp_path) == []


def test_a_sample_added_to_en_us_reaches_every_locale(tmp_path):
    source = json.loads(content_build.MODEL.read_text(encoding="utf-8"))
    intents = source["interactionModel"]["languageModel"]["intents"]
    driving = next(it for it in intents if it["name"] == "DrivingIntent")
    driving["samples"].append("can i drive to the shops")
    for path, text in model_locales.generated(source, tmp_path).items():
        model = json.loads(text)
        samples = next(it["samples"] for it in model["interactionModel"]["languageModel"]["intents"]
                       if it["name"] == "DrivingIntent")
        assert "can i drive to the shops" in samples, path.name


def test_a_key_named_twice_in_the_yaml_stops_the_build(monkeypatch):
    """A word class defined twice would keep only its last list: the build names the key and its line."""
    real = content_build._read

    def doubled(name):
        text = real(name)
        return text.replace("lexicon:\n", "lexicon:\n  SELF: [me]\n", 1) if name == "triage.yaml" else text

    monkeypatch.setattr(content_build, "_read", doubled)
    with pytest.raises(ValueError, match=r"triage.yaml: 'SELF' is named twice in one mapping \(line"):
        content_build.compiled_content()
