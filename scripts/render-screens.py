#!/usr/bin/env python3
"""Pictures of the skill's screens for docs/: the real RenderDocument directive, drawn by headless Chromium.

Each picture: a conversation turn through the skill (the simulator's Conversation,
the Lambda entry point), the APL directive of that answer turned into HTML by
skill.simulator.apl_html for the device's viewport, and a screenshot of that page
by Debian's chromium at the device's pixel size. Usage (make screens):

    python scripts/render-screens.py [OUT_DIR]     (default docs/screens)
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from skill.simulator import apl_html, envelopes  # noqa: E402
from skill.simulator.fake_reminders import FakeReminders  # noqa: E402
from skill.simulator.session import Conversation  # noqa: E402
from skill.storage import SQLiteAdapter, user_key  # noqa: E402

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=timezone.utc)  # Tuesday; surgery two weeks before


def turns(db: Path):
    """(file name, viewport, the turn) of each picture."""
    store = SQLiteAdapter(db)
    store.save(user_key(envelopes.DEFAULT_USER), {"surgery_date": "2026-11-10"})
    for viewport in ("hub-medium", "hub-round"):
        talk = Conversation.build(store, now=NOW, viewport=viewport, reminders=FakeReminders(granted=True))
        talk.intent("PainIntent")
        yield f"answer-{viewport}", viewport, talk.intent("LiftingIntent")
        yield f"emergency-{viewport}", viewport, talk.intent("SymptomIntent", [envelopes.slot("symptom", "chest pain")])


def main(out: Path) -> int:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        print("render-screens: no chromium: run scripts/install-system-packages.sh --with-browser", file=sys.stderr)
        return 1
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        for name, viewport, turn in turns(Path(scratch) / "render.db"):
            size = envelopes.VIEWPORTS[viewport]
            page = Path(scratch) / f"{name}.html"
            page.write_text(apl_html.page(turn.document, size), encoding="utf-8")
            scale = size["dpi"] / 160
            width, height = round(size["pixelWidth"] / scale), round(size["pixelHeight"] / scale)
            picture = out / f"{name}.png"
            subprocess.run(
                [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--mute-audio",
                 "--no-first-run", f"--user-data-dir={scratch}/profile", f"--force-device-scale-factor={scale}",
                 f"--window-size={width},{height}", f"--screenshot={picture}", page.as_uri()],
                check=True, capture_output=True, timeout=120,
            )
            print(f"{picture.relative_to(ROOT) if picture.is_relative_to(ROOT) else picture}: "
                  f"{turn.screen['kind']} screen, {size['pixelWidth']}x{size['pixelHeight']} px ({viewport})")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screens"))
