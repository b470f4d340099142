"""The browser console end to end: a real headless Chromium (Debian's) on the served page.

One server and one browser for the module; each test opens its own page, which is a new
tab and so a new device with its own session. Answers are checked against the skill's
content, never against copies of its sentences.
"""
from __future__ import annotations

import io
import shutil
from pathlib import Path
from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect, sync_playwright

from skill import content as recovery_content
from skill import screen, speech
from skill_tools.simulator import envelopes
from skill.storage.sqlite import SQLiteAdapter
from skill.storage.store import user_key
from skill_tools.web.console import Console, screen_view
from skill_tools.web.console_app import create_console_app
from skill_tools.web.server import running

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SCREENSHOT = ROOT / "docs" / "console.png"

NO_CHROMIUM = "Debian's chromium is not installed (make setup installs it: scripts/install-system-packages.sh)"

# Records what the page asks the browser to say; a headless browser has no voice to finish an
# utterance, so each one "ends" at once and the next part follows.
RECORD_SPEECH = """
window.__spoken = [];
speechSynthesis.speak = (u) => { window.__spoken.push({text: u.text, rate: u.rate}); setTimeout(() => u.onend && u.onend(), 0); };
"""


@pytest.fixture(scope="module")
def understanding():
    from skill_tools.simulator.nlu import Understanding

    return Understanding.from_model_file()


@pytest.fixture(scope="module")
def served(tmp_path_factory, understanding):
    store = SQLiteAdapter(tmp_path_factory.mktemp("console") / "console.db")
    console = Console(store, understanding=understanding)
    with running(create_console_app(console)) as url:
        yield url, store, console


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.skip(NO_CHROMIUM)
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, served):
    served[1].delete(user_key(envelopes.DEFAULT_USER))          # each test starts with nothing stored
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(RECORD_SPEECH)
    tab = context.new_page()
    errors = []
    tab.on("pageerror", lambda error: errors.append(error))
    yield tab
    context.close()
    assert not errors, f"errors in the page's script: {errors}"


def content():
    return recovery_content.load()


def ask(page, text: str) -> None:
    """Type a sentence and press Enter, as a person would; wait for its answer."""
    before = page.locator("#transcript li").count()
    page.locator("#say").fill(text)
    page.keyboard.press("Enter")
    expect(page.locator("#transcript li")).to_have_count(before + 1)


def opened(page, url: str) -> None:
    """Open the console and wait for its first state: until then its buttons are busy, and a click or an Enter
    is ignored (a flake: the dates applied at once were never sent)."""
    page.goto(url)
    expect(page.locator("#s-today")).not_to_have_text("-")
    expect(page.locator("#apply-settings")).to_be_enabled()


def answer(page) -> str:
    return page.locator("#answer").inner_text()


def stored_date(store) -> str | None:
    return store.load(user_key(envelopes.DEFAULT_USER)).get("surgery_date")


def test_a_typed_question_is_answered_shown_and_spoken_at_the_skills_rate(page, served, understanding):
    from datetime import date

    url = served[0]
    opened(page, url)
    expect(page.locator("#say")).to_be_focused()              # keyboard first: type straight away
    page.keyboard.type("open spine recovery helper")
    page.keyboard.press("Enter")
    expect(page.locator("#answer")).to_contain_text(content().phrases["welcome"])
    expect(page.locator("#say")).to_be_focused()
    expect(page.locator("#say")).to_have_value("")

    ask(page, "can I drive yet")
    driving = content().topics["driving"]
    assert answer(page) == f"{driving.answer} {content().phrases['offer_more']}"
    # The panel names the intent the interaction model gives the sentence (the driving subject or topic).
    heard = understanding.parse("can i drive yet", date.today())
    expect(page.locator("#t-intent")).to_have_text(heard.intent)
    expect(page.locator("#t-slots")).to_have_text(", ".join(f"{s['name']} = {s['value']}" for s in heard.slots) or "-")
    expect(page.locator("#s-yes")).to_contain_text(driving.title)
    # Spoken by the browser, in the skill's pauses, at the skill's slower rate.
    page.wait_for_function("window.__spoken.some(u => u.text.includes('hear more'))")
    spoken = page.evaluate("window.__spoken")
    rate = float(speech.RATE.rstrip("%")) / 100
    assert [u["rate"] for u in spoken] == pytest.approx([rate] * len(spoken))
    assert " ".join(u["text"] for u in spoken[-2:]) == answer(page)

    ask(page, "yes")                                            # "yes" answers the pending offer
    assert answer(page).startswith(driving.more)
    # The request and response JSON are there for testers, folded away.
    expect(page.locator("#t-response-json")).not_to_be_visible()
    page.locator("summary", has_text="Response JSON").click()
    expect(page.locator("#t-response-json")).to_contain_text('"shouldEndSession": false')

    page.locator("#mute").check()                               # muted: nothing more is said
    said = len(page.evaluate("window.__spoken"))
    ask(page, "what is kyphoplasty")
    assert content().topics["procedure"].answer in answer(page)
    page.wait_for_timeout(100)
    assert len(page.evaluate("window.__spoken")) == said


def test_an_emergency_is_shown_as_one_in_any_state(page, served, tmp_path):
    url = served[0]
    opened(page, url)
    ask(page, "open spine recovery helper")
    ask(page, "yes")                                            # now the skill waits for a date...
    ask(page, "my chest feels tight and heavy")                 # ...and hears an emergency
    emergency = content().triage_text["emergency"]["answer"]
    assert answer(page).startswith(emergency)
    expect(page.locator("#answer-box")).to_have_attribute("data-level", "emergency")
    expect(page.locator("#emergency-flag")).to_be_visible()
    expect(page.locator("#t-level")).to_have_text("emergency")
    expect(page.locator("#t-answer")).to_contain_text("emergency")
    expect(page.locator("#t-family")).to_contain_text(content().families["chest_pain"]["title"])
    expect(page.locator("#t-matched")).to_contain_text("chest")

    # It stands out on screen: the answer box is mostly the emergency colour.
    from PIL import Image

    shot = Image.open(io.BytesIO(page.locator("#answer-box").screenshot())).convert("RGB")
    colours = shot.getcolors(shot.width * shot.height)
    reddish = sum(n for n, (r, g, b) in colours if r > 200 and g < 245 and b < 245 and r - b > 10)
    assert reddish / (shot.width * shot.height) > 0.5

    page.screenshot(path=tmp_path / "emergency.png")
    assert (tmp_path / "emergency.png").stat().st_size > 10_000


def test_the_replay_link_sends_its_turns_on_load_with_its_dates(page, served):
    url, store = served[:2]
    turns = ["open spine recovery helper", "how long will the pain last"]
    page.goto(f"{url}/?" + urlencode([("say", t) for t in turns] + [("today", "2026-11-17"), ("surgery", "2026-11-10")]))
    expect(page.locator("#transcript li")).to_have_count(2)
    expect(page.locator("#transcript li").first).to_contain_text(content().phrases["welcome_back"])
    assert answer(page).startswith(content().topics["pain"].answer)
    # One week after surgery: inside the usual couple of weeks, easing by the 24th.
    assert content().timing["pain_inside"].format(date="Tuesday, November 24th") in answer(page)
    expect(page.locator("#s-surgery")).to_contain_text("Tuesday, November 10th")
    assert stored_date(store) == "2026-11-10"

    # The page's own link replays exactly this conversation.
    link = page.locator("#replay-link").get_attribute("href")
    again = page.context.new_page()
    again.goto(url + link)
    expect(again.locator("#transcript li")).to_have_count(2)
    assert again.locator("#answer").inner_text() == answer(page)
    again.close()

    page.goto(f"{url}/?say=open+spine+recovery+helper&say=can+i+drive+yet")
    expect(page.locator("#transcript li")).to_have_count(2)
    assert answer(page).startswith(content().topics["driving"].answer)


def test_the_panel_shows_the_verdict_the_answer_followed_with_denied_and_asked_about_red_flags(page, served):
    url = served[0]
    opened(page, url)
    ask(page, "my back is sore but i have no chest pain")          # soreness, chest pain denied
    families = content().families
    expect(page.locator("#t-level")).to_have_text("expected")
    expect(page.locator("#t-family")).to_contain_text(families["soreness"]["title"])
    expect(page.locator("#t-mentioned")).to_contain_text(families["chest_pain"]["title"])
    assert content().phrases["mentioned"].format(what=families["chest_pain"]["if_you"]) in answer(page)
    expect(page.locator("#emergency-flag")).to_be_hidden()
    expect(page.locator("#t-answer")).to_contain_text("expected")

    ask(page, "what should i do if i fall")                       # asked about, not happening
    expect(page.locator("#t-level")).to_contain_text("asked about")
    expect(page.locator("#t-family")).to_contain_text(families["fall_or_blow"]["title"])
    expect(page.locator("#emergency-flag")).to_be_hidden()
    expect(page.locator("#answer-box")).not_to_have_attribute("data-level", "emergency")
    assert not answer(page).startswith(content().triage_text["emergency"]["answer"])


def settle(page) -> None:
    """Wait until the page is done with what the last click asked the server."""
    expect(page.locator("#send")).to_be_enabled()


def test_the_screen_view_shows_the_echo_shows_screen_only_when_the_device_has_one(page, served):
    url = served[0]
    opened(page, url)
    shown = page.frame_locator("#screen-frame")
    # A tab starts as a device without a screen, like most Echo devices.
    expect(page.locator("#screen-device")).not_to_be_checked()
    ask(page, "how long will the pain last")
    expect(page.locator("#screen")).to_be_hidden()
    assert "Alexa.Presentation.APL" not in page.locator("#t-request-json").text_content()

    page.locator("#screen-device").check()
    settle(page)
    ask(page, "how long will the pain last")
    assert "Alexa.Presentation.APL" in page.locator("#t-request-json").text_content()
    expect(page.locator("#screen")).to_be_visible()
    said = answer(page)
    text, question = screen.split_question(said)
    key = screen.key_line(said)
    assert key and question, "this answer should have a key line and a closing question on screen"
    expect(shown.locator("body")).to_contain_text(screen.templates()["kinds"]["answer"]["title"])
    for part in (key, text, question, "Repeat", "More"):
        expect(shown.get_by_text(part, exact=True)).to_be_visible()
    assert "#" not in shown.locator("body").inner_text()           # no colour codes, no data-source plumbing
    # Scaled to the column: the whole screen fits, nothing scrolls sideways.
    device = page.locator("#screen-device-frame").bounding_box()
    drawn = page.locator("#screen-frame").bounding_box()
    assert device["x"] <= drawn["x"] and drawn["x"] + drawn["width"] <= device["x"] + device["width"]
    assert drawn["width"] > 0.9 * device["width"] and drawn["height"] < drawn["width"]
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    # The replay link gives a device with a screen while this one has one.
    link = page.locator("#replay-link").get_attribute("href")
    assert "screen=1" in link

    ask(page, "my chest feels tight and heavy")
    emergency = screen.templates()["kinds"]["emergency"]
    expect(shown.get_by_text(emergency["title"], exact=True)).to_be_visible()
    expect(shown.get_by_text(emergency["key"], exact=True)).to_be_visible()
    expect(shown.locator("body")).to_contain_text(emergency["instruction"])   # the full words are spoken
    expect(shown.get_by_text("Repeat")).to_have_count(0)

    page.locator("#screen-device").uncheck()                      # the screen goes with the device's screen
    settle(page)
    expect(page.locator("#screen")).to_be_hidden()
    ask(page, "how long will the pain last")
    expect(page.locator("#screen")).to_be_hidden()
    assert "Alexa.Presentation.APL" not in page.locator("#t-request-json").text_content()

    assert "screen=1" not in page.locator("#replay-link").get_attribute("href")
    again = page.context.new_page()                               # the earlier link: a screen again
    again.goto(url + link)
    expect(again.locator("#transcript li")).to_have_count(2)
    expect(again.locator("#screen-device")).to_be_checked()
    expect(again.frame_locator("#screen-frame").get_by_text(key, exact=True)).to_be_visible()
    again.close()


def test_dates_set_on_the_page_are_stored_and_forget_me_deletes_them(page, served):
    url, store = served[:2]
    opened(page, url)
    page.locator("#surgery-date").fill("2026-11-10")
    page.locator("#today-date").fill("2026-12-01")
    page.locator("#apply-settings").click()
    expect(page.locator("#s-surgery")).to_contain_text("Tuesday, November 10th")
    expect(page.locator("#s-today")).to_contain_text("Tuesday, December 1st")
    assert stored_date(store) == "2026-11-10"
    ask(page, "when can I lift things")
    assert content().timing["since"].format(since="3 weeks", surgery_date="Tuesday, November 10th") in answer(page)

    page.locator("#forget").click()
    expect(page.locator("#s-surgery")).to_have_text("none stored")
    expect(page.locator("#transcript li")).to_have_count(0)
    assert stored_date(store) is None
    ask(page, "when can I lift things")
    assert content().timing["no_date"] in answer(page)


def test_keyboard_only_labels_and_200_percent_zoom(browser, served):
    url = served[0]
    # 200% zoom: the CSS viewport of a 1280-pixel window halves.
    context = browser.new_context(viewport={"width": 640, "height": 900}, device_scale_factor=2)
    page = context.new_page()
    opened(page, url)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "scrolls sideways at 200%"
    assert page.evaluate("[...document.querySelectorAll('input')].every(i => i.labels.length > 0)")
    reached = set()
    for _ in range(30):                                          # Tab through the whole page
        page.keyboard.press("Tab")
        reached.add(page.evaluate("document.activeElement.id"))
    assert {"say", "send", "mute", "new-session", "forget", "surgery-date", "today-date", "apply-settings"} <= reached
    page.locator("#new-session").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#answer")).to_contain_text("New session")
    context.close()


def test_screenshot_of_the_console(page, served, tmp_path):
    """The conversation of the README's picture (make screens draws docs/console.png; test_pictures checks it)."""
    url = served[0]
    page.goto(f"{url}/?say=open+spine+recovery+helper&say=can+I+pick+up+my+grandson&today=2026-11-24&surgery=2026-11-10")
    expect(page.locator("#transcript li")).to_have_count(2)
    assert answer(page).startswith(content().topics["lifting"].answer)
    expect(page.locator("#s-yes")).to_contain_text("reminder")       # the lifting reminder is offered
    out = tmp_path / "console.png"
    page.screenshot(path=out, full_page=True)
    from PIL import Image

    with Image.open(out) as shot:
        assert shot.width == 1280 and shot.height >= 900
    assert SCREENSHOT.exists(), "docs/console.png is missing: make screens draws it"


# ------------------------------------------------------------------ without a browser: the API's edges

DEVICE = "test-device-0001"


@pytest.fixture
def client(tmp_path, understanding):
    app = create_console_app(Console(SQLiteAdapter(tmp_path / "c.db"), understanding=understanding))
    return app.test_client()


def test_only_the_page_itself_on_this_machine_is_answered(client):
    ok = client.post("/api/say", json={"device": DEVICE, "text": "help"})
    assert ok.status_code == 200 and content().phrases["help"] in ok.get_json()["speech"]
    # a name rebound to this machine by some web site
    assert client.post("/api/say", json={"device": DEVICE, "text": "help"},
                       headers={"Host": "evil.example:8000"}).status_code == 403
    # another origin's page posting to us
    assert client.post("/api/forget", json={"device": DEVICE},
                       headers={"Origin": "http://evil.example"}).status_code == 403
    # a plain HTML form from anywhere (no JSON, so no CORS preflight)
    assert client.post("/api/forget", data={"device": DEVICE}).status_code == 415
    assert client.get("/", headers={"Host": "[::1]:8000"}).status_code == 200


def test_bad_input_gets_a_clear_message_not_a_crash(client):
    empty = client.post("/api/say", json={"device": DEVICE, "text": "   "})
    assert empty.status_code == 400 and "Type what you would say" in empty.get_json()["error"]
    assert client.post("/api/say", json={"device": DEVICE, "text": "x" * 501}).status_code == 400
    assert client.post("/api/say", json={"device": "../../etc", "text": "help"}).status_code == 400
    bad_date = client.post("/api/settings", json={"device": DEVICE, "surgery_date": "next tuesday"})
    assert bad_date.status_code == 400 and "2026-11-10" in bad_date.get_json()["error"]
    assert client.post("/api/say", data="[1, 2", content_type="application/json").status_code == 400


def test_with_storage_down_the_page_still_answers_and_says_so(understanding):
    from conftest import BrokenStore

    client = create_console_app(Console(BrokenStore(), understanding=understanding)).test_client()
    lifted = client.post("/api/say", json={"device": DEVICE, "text": "can I lift my grandson"}).get_json()
    assert content().timing["storage_down"] in lifted["speech"]
    assert lifted["state"]["storage"] == "unavailable"
    emergency = client.post("/api/say", json={"device": DEVICE, "text": "I can't breathe"}).get_json()
    assert emergency["speech"].startswith(content().triage_text["emergency"]["answer"])
    forgot = client.post("/api/forget", json={"device": DEVICE})
    assert forgot.status_code == 503 and "nothing was forgotten" in forgot.get_json()["error"]
    saved = client.post("/api/settings", json={"device": DEVICE, "surgery_date": "2026-11-10"})
    assert saved.status_code == 503


def test_a_screen_the_drawing_cannot_show_is_said_not_crashed(client):
    client.post("/api/settings", json={"device": DEVICE, "screen": True})
    turn = client.post("/api/say", json={"device": DEVICE, "text": "help"}).get_json()
    directive = next(d for d in turn["response"]["response"]["directives"] if "APL" in d["type"])
    assert turn["screen"]["kind"] and "<html>" in turn["screen"]["html"].lower()
    directive["document"]["mainTemplate"]["items"][0]["type"] = "VectorGraphic"
    view = screen_view(directive, "hub-medium")
    assert "html" not in view and "could not be drawn" in view["error"] and "VectorGraphic" in view["error"]
    client.post("/api/settings", json={"device": DEVICE, "screen": False})
    assert client.post("/api/say", json={"device": DEVICE, "text": "help"}).get_json()["screen"] is None


def test_the_console_command_serves_the_page_on_this_machine_only(tmp_path):
    import re
    import signal
    import subprocess
    import sys

    import requests

    db = tmp_path / "console.db"
    server = subprocess.Popen([sys.executable, "-m", "skill_tools", "console", "--port", "0", "--db", str(db)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        line = server.stdout.readline()
        url = re.search(r"http://127\.0\.0\.1:\d+", line)
        assert url, f"no loopback URL in {line!r} ({server.stderr.read() if server.poll() is not None else ''})"
        page = requests.get(url.group(0) + "/?say=help", timeout=10)
        assert page.status_code == 200 and "What would you say?" in page.text and '"say": ["help"]' in page.text
        turn = requests.post(url.group(0) + "/api/say", json={"device": DEVICE, "text": "forget my surgery date"},
                             timeout=10).json()
        assert turn["speech"].startswith(content().phrases["nothing_to_forget"])
        assert db.exists()
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=10)
    assert server.returncode == 0
