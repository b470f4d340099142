"""The emergency screens fit whole on every viewport profile: nothing to scroll, nothing cut, nothing outside
the circle of a round screen. Drawn as the pictures are (skill_tools.simulator.apl_html) and measured in Chromium.

The full emergency answer is spoken; the screen shows its number and a short instruction, so a person
who looks at it in a hurry sees all of it (an Echo Show 8 used to cut it off: "Again: call 911 or go to the").
"""
from __future__ import annotations

import shutil

import pytest

from skill_tools.simulator import apl_html, envelopes
from tests.conftest import NOW, CheckedConversation

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

EMERGENCIES = {"EmergencyIntent": "Call 911 now", "CrisisIntent": "Call or text 988, or call 911",
               "OverdoseIntent": "Call 911 now", "ExtraDoseIntent": "Call Poison Control 1-800-222-1222"}

MEASURE = """() => {
  const out = {scrolls: [], cut: [], outside: []};
  for (const el of document.querySelectorAll('[data-apl]')) {
    if (el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1)
      out.scrolls.push(el.dataset.id || el.dataset.apl);
  }
  const w = window.innerWidth, h = window.innerHeight, r = Math.min(w, h) / 2;
  for (const span of document.querySelectorAll('[data-apl="Text"] span')) {
    const range = document.createRange(); range.selectNodeContents(span);
    for (const box of range.getClientRects()) {
      if (box.bottom > h + 0.5 || box.right > w + 0.5 || box.top < -0.5 || box.left < -0.5)
        out.cut.push(span.textContent);
      for (const [x, y] of [[box.left, box.top], [box.right, box.top], [box.left, box.bottom], [box.right, box.bottom]])
        if (Math.hypot(x - w / 2, y - h / 2) > r + 0.5) { out.outside.push(span.textContent); break; }
    }
  }
  return out;
}"""


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.skip("Debian's chromium is not installed (make setup installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield chromium
        chromium.close()


@pytest.mark.parametrize("viewport", list(envelopes.VIEWPORTS))
@pytest.mark.parametrize("intent", list(EMERGENCIES))
def test_the_emergency_screen_fits_whole_on_every_viewport(browser, store, viewport, intent):
    turn = CheckedConversation.build(store, zone="America/New_York", now=NOW, viewport=viewport).intent(intent)
    assert turn.screen["kind"] == "emergency" and turn.screen["key"] == EMERGENCIES[intent]
    assert len(turn.screen["text"]) < len(turn.speech), "the full words are spoken, a short instruction shown"
    size = envelopes.VIEWPORTS[viewport]
    scale = size["dpi"] / 160
    page = browser.new_page(viewport={"width": round(size["pixelWidth"] / scale),
                                      "height": round(size["pixelHeight"] / scale)}, device_scale_factor=scale)
    try:
        page.set_content(apl_html.page(turn.document, size))
        found = page.evaluate(MEASURE)
    finally:
        page.close()
    assert found["scrolls"] == [], f"scrolls or is cut on {viewport}: {found['scrolls']}"
    assert found["cut"] == [], found["cut"]
    if size["shape"] == "ROUND":
        assert found["outside"] == [], f"outside the round screen: {found['outside']}"
