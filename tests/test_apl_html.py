"""The HTML drawing of the screen (for docs/screens): faithful to the document, or it refuses. No browser."""
from __future__ import annotations

import copy
import re

import pytest

from skill import screen
from skill_tools.simulator import apl_html
from skill_tools.simulator.envelopes import VIEWPORTS


def directive(text: str, kind: str = "answer", more: bool = False) -> dict:
    return {"document": screen.document(), "datasources": screen.datasource(text, kind, more)}


def test_expressions_the_document_uses():
    scope = {"viewport": apl_html.viewport_scope(VIEWPORTS["hub-small"]), "p": {"key": "", "items": [1, 2]}}
    assert apl_html.evaluate("viewport.height < 540", scope) is True
    assert apl_html.evaluate("viewport.shape == 'round'", scope) is False
    assert apl_html.evaluate("p.key != ''", scope) is False
    assert apl_html.evaluate("p.items.length > 0 && !(viewport.width >= 1600)", scope) is True
    with pytest.raises(apl_html.Unsupported):
        apl_html.evaluate("p.key + 1", scope)


def test_resources_follow_the_viewport():
    doc = screen.document()
    medium = apl_html.resources_for(doc, {"viewport": apl_html.viewport_scope(VIEWPORTS["hub-medium"])})
    small = apl_html.resources_for(doc, {"viewport": apl_html.viewport_scope(VIEWPORTS["hub-small"])})
    round_ = apl_html.resources_for(doc, {"viewport": apl_html.viewport_scope(VIEWPORTS["hub-round"])})
    assert (medium["textSize"], small["textSize"], round_["textSize"]) == ("44dp", "34dp", "28dp")
    assert (medium["align"], round_["align"]) == ("left", "center")


def test_an_answer_page_shows_every_part_with_the_documents_sizes_and_colours():
    page = apl_html.page(directive("Wait until Tuesday, December 22nd. Would you like to hear more?", more=True),
                         VIEWPORTS["hub-medium"])
    assert "Tuesday, December 22nd</span>" in page  # the key line
    assert "Wait until Tuesday, December 22nd.</span>" in page and "Would you like to hear more?</span>" in page
    assert re.search(r"font-size:56px[^\"]*color:#FFD54F", page)  # key: 56 dp, amber
    assert ">Repeat</span>" in page and ">More</span>" in page
    assert "border-radius:50%" not in page


def test_the_emergency_page_is_red_without_buttons_and_round_screens_are_masked():
    page = apl_html.page(directive("Call 911 now.", "emergency"), VIEWPORTS["hub-round"])
    assert "background-color:#8B0000" in page and "Call 911 now</span>" in page
    assert "Repeat" not in page
    assert "text-align:center" in page and "border-radius:50%" in page


def test_anything_the_drawing_does_not_know_is_refused_not_dropped():
    doc = copy.deepcopy(screen.document())
    doc["mainTemplate"]["items"][0]["item"]["items"][0]["fontStyle"] = "italic"
    with pytest.raises(apl_html.Unsupported, match="fontStyle"):
        apl_html.page({"document": doc, "datasources": screen.datasource("Hello.")}, VIEWPORTS["hub-medium"])
    doc = copy.deepcopy(screen.document())
    doc["mainTemplate"]["items"][0]["item"]["items"].append({"type": "Image", "source": "x.png"})
    with pytest.raises(apl_html.Unsupported, match="Image"):
        apl_html.page({"document": doc, "datasources": screen.datasource("Hello.")}, VIEWPORTS["hub-medium"])
