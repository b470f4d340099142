#!/usr/bin/env python3
"""The pictures in docs/, drawn from the code as it is: docs/screens/*.png and docs/console.png (make screens).

Each screen picture: a conversation turn through the skill (the simulator's Conversation, the
Lambda entry point), the APL directive of that answer turned into HTML by skill_tools.simulator.apl_html
for the device's viewport, and a screenshot of that page by Debian's chromium at the device's
pixel size. docs/console.png: the browser console, served here on 127.0.0.1, replaying a short
conversation (the README's example link), screenshot by the same chromium through Playwright.

docs/screens/INPUTS.sha256 records, for each picture, a hash of what it was drawn from: the HTML
page of each screen; for the console its page, script and style, and what the skill answered and
the tester panel showed for each turn. tests/test_pictures.py computes the same hashes from the
code as it is now (no browser needed) and fails when a picture is stale. Pixels are not compared:
fonts and anti-aliasing differ between machines, what is drawn does not.

    python scripts/render-screens.py [OUT_DIR]     draw every picture (default: docs/screens and docs/console.png)
    python scripts/render-screens.py --check       exit 1, naming them, when pictures are stale
"""
from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from skill_tools.simulator import apl_html, envelopes  # noqa: E402
from skill_tools.simulator.fake_reminders import FakeReminders  # noqa: E402
from skill_tools.simulator.session import Conversation  # noqa: E402
from skill.storage.sqlite import SQLiteAdapter  # noqa: E402
from skill.storage.store import user_key  # noqa: E402

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=timezone.utc)  # Tuesday; surgery two weeks before
SCREENS = ROOT / "docs" / "screens"
CONSOLE_PICTURE = ROOT / "docs" / "console.png"
INPUTS = SCREENS / "INPUTS.sha256"
# The console's picture: the README's example, with the dates fixed so the picture does not age.
CONSOLE_TURNS = ("open spine recovery helper", "can I pick up my grandson")
CONSOLE_TODAY, CONSOLE_SURGERY = "2026-11-24", "2026-11-10"
CONSOLE_SIZE = {"width": 1280, "height": 900}
CONSOLE_FILES = ("skill_tools/web/templates/console.html", "skill_tools/web/static/console.js", "skill_tools/web/static/console.css")


def turns(db: Path):
    """(file name, viewport, the turn) of each screen picture."""
    store = SQLiteAdapter(db)
    store.save(user_key(envelopes.DEFAULT_USER), {"surgery_date": "2026-11-10"})
    for viewport in ("hub-medium", "hub-round"):
        talk = Conversation.build(store, now=NOW, viewport=viewport, reminders=FakeReminders(granted=True))
        talk.intent("PainIntent")
        yield f"answer-{viewport}", viewport, talk.intent("LiftingIntent")
        yield f"emergency-{viewport}", viewport, talk.intent("SymptomIntent", [envelopes.slot("symptom", "chest pain")])


def screen_pages(scratch: Path) -> dict[str, tuple[str, str]]:
    """{picture file name: (viewport, the HTML page it is a screenshot of)}."""
    return {f"{name}.png": (viewport, apl_html.page(turn.document, envelopes.VIEWPORTS[viewport]))
            for name, viewport, turn in turns(scratch / "render.db")}


def console_shown(scratch: Path) -> str:
    """What docs/console.png shows, as text: the page's files and each turn's answer and tester panel."""
    from skill_tools.web.console import Console

    console = Console(SQLiteAdapter(scratch / "console.db"))
    device = "render-screens-0001"
    console.settings(device, today=CONSOLE_TODAY, surgery_date=CONSOLE_SURGERY, screen=False)
    shown = []
    for text in CONSOLE_TURNS:
        turn = console.say(device, text)
        # The request's IDs and timestamps change every run and are not what the picture is about.
        turn["request"] = {"intent": (turn["request"]["request"].get("intent") or {}).get("name")}
        turn["response"] = turn["response"].get("response")
        shown.append(turn)
    files = {name: (ROOT / name).read_text(encoding="utf-8") for name in CONSOLE_FILES}
    return json.dumps({"files": files, "turns": shown, "size": CONSOLE_SIZE}, sort_keys=True, default=str)


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def input_hashes() -> dict[str, str]:
    """{picture path relative to docs/: hash of what it is drawn from}, from the code as it is now."""
    with tempfile.TemporaryDirectory() as scratch:
        hashes = {f"screens/{name}": _sha256(json.dumps([viewport, page]))
                  for name, (viewport, page) in screen_pages(Path(scratch)).items()}
        hashes["console.png"] = _sha256(console_shown(Path(scratch)))
    return dict(sorted(hashes.items()))


def recorded_hashes() -> dict[str, str]:
    if not INPUTS.exists():
        return {}
    recorded = {}
    for line in INPUTS.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            digest, name = line.split(maxsplit=1)
            recorded[name] = digest
    return recorded


def stale() -> list[str]:
    """The pictures whose inputs changed since they were drawn (or that are missing)."""
    now, then = input_hashes(), recorded_hashes()
    return [name for name, digest in now.items() if then.get(name) != digest or not (ROOT / "docs" / name).exists()]


def _browser() -> str:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        raise SystemExit("render-screens: no chromium: run scripts/install-system-packages.sh --with-browser")
    return browser


def draw_screens(out: Path, browser: str, scratch: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, (viewport, html) in screen_pages(scratch).items():
        size = envelopes.VIEWPORTS[viewport]
        page = scratch / name.replace(".png", ".html")
        page.write_text(html, encoding="utf-8")
        scale = size["dpi"] / 160
        width, height = round(size["pixelWidth"] / scale), round(size["pixelHeight"] / scale)
        picture = out / name
        subprocess.run(
            [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--mute-audio",
             "--no-first-run", f"--user-data-dir={scratch}/profile", f"--force-device-scale-factor={scale}",
             f"--window-size={width},{height}", f"--screenshot={picture}", page.as_uri()],
            check=True, capture_output=True, timeout=120,
        )
        print(f"{_shown_path(picture)}: {size['pixelWidth']}x{size['pixelHeight']} px ({viewport})")


def draw_console(picture: Path, browser: str, scratch: Path) -> None:
    """The console on 127.0.0.1, the example conversation replayed by its own link, a full-page screenshot."""
    from urllib.parse import urlencode

    from playwright.sync_api import expect, sync_playwright

    from skill_tools.web.console import Console
    from skill_tools.web.console_app import create_console_app
    from skill_tools.web.server import running

    console = Console(SQLiteAdapter(scratch / "console-shown.db"))
    query = urlencode([("say", text) for text in CONSOLE_TURNS] + [("today", CONSOLE_TODAY),
                                                                  ("surgery", CONSOLE_SURGERY)])
    with running(create_console_app(console)) as url, sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=browser, headless=True)
        try:
            context = chromium.new_context(viewport=CONSOLE_SIZE)
            # A headless browser has no voice: each utterance ends at once.
            context.add_init_script("speechSynthesis.speak = (u) => setTimeout(() => u.onend && u.onend(), 0);")
            page = context.new_page()
            page.goto(f"{url}/?{query}")
            expect(page.locator("#transcript li")).to_have_count(len(CONSOLE_TURNS), timeout=30_000)
            expect(page.locator("#send")).to_be_enabled()
            page.screenshot(path=picture, full_page=True)
        finally:
            chromium.close()
    print(f"{_shown_path(picture)}: the console, {CONSOLE_SIZE['width']} px wide")


def _shown_path(path: Path) -> str:
    return str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)


def main(argv: list[str]) -> int:
    if argv[:1] == ["--check"]:
        old = stale()
        for name in old:
            print(f"docs/{name} is stale: what it shows has changed (make screens draws it anew)", file=sys.stderr)
        return 1 if old else 0
    out = Path(argv[0]) if argv else SCREENS
    browser = _browser()
    with tempfile.TemporaryDirectory() as scratch:
        draw_screens(out, browser, Path(scratch))
        draw_console(out.parent / "console.png" if argv else CONSOLE_PICTURE, browser, Path(scratch))
    if not argv:
        lines = [f"{digest}  {name}" for name, digest in input_hashes().items()]
        INPUTS.write_text("# What each picture in docs/ was drawn from (scripts/render-screens.py; checked by "
                          "tests/test_pictures.py)\n" + "\n".join(lines) + "\n", encoding="utf-8")
        print(f"{_shown_path(INPUTS)}: what they were drawn from")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
