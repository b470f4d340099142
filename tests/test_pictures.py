"""The pictures in docs/ show the code as it is: each was drawn from inputs whose hash is recorded.

make screens (scripts/render-screens.py) draws docs/screens/*.png and docs/console.png and writes
docs/screens/INPUTS.sha256. Here the same hashes are computed from the code as it is now, without
a browser: an answer, a screen, an intent or the console page that changed since the pictures were
drawn makes them stale, and this test says which and how to draw them again.
"""
from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def render_screens():
    spec = importlib.util.spec_from_file_location("render_screens", ROOT / "scripts" / "render-screens.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_picture_in_docs_is_drawn_from_the_code_as_it_is():
    pictures = render_screens()
    recorded = pictures.recorded_hashes()
    now = pictures.input_hashes()
    assert sorted(recorded) == sorted(now), "docs/screens/INPUTS.sha256 lists other pictures: run make screens"
    stale = [name for name in now if recorded[name] != now[name]]
    assert not stale, f"stale pictures (what they show has changed): {', '.join('docs/' + n for n in stale)}: " \
                      "run make screens and commit them"
    for name in now:
        assert (ROOT / "docs" / name).stat().st_size > 1000, f"docs/{name} is missing or empty"


def test_the_readme_and_screens_doc_show_the_pictures_that_exist():
    readme = (ROOT / "README.md").read_text()
    screens_doc = (ROOT / "docs" / "screens.md").read_text()
    assert "docs/console.png" in readme
    for name in render_screens().recorded_hashes():
        if name.startswith("screens/"):
            assert name in screens_doc, name
