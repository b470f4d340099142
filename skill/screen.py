"""What a screen shows with each answer: one APL document, one data source per answer kind.

The document and the data-source templates are data (``skill/content/apl/``);
this module only decides whether the device has a screen, which kind an answer
is, and fills the template with the words just spoken and the date or figure
that matters most, on its own line. Devices without
``Alexa.Presentation.APL`` in their supported interfaces get nothing from here.
"""
from __future__ import annotations

import copy
import functools
import json
import re
from pathlib import Path

from skill import content, countries

APL_DIR = Path(__file__).parent / "content" / "apl"
DOCUMENT_TOKEN = "spine-recovery-screen"
KINDS = ("answer", "yes_no", "question", "goodbye", "emergency")
BUTTON_EVENTS = ("repeat", "more")  # what a touch sends back in Alexa.Presentation.APL.UserEvent


@functools.cache
def document() -> dict:
    return json.loads((APL_DIR / "document.json").read_text(encoding="utf-8"))


@functools.cache
def _template_file() -> dict:
    return json.loads((APL_DIR / "screens.json").read_text(encoding="utf-8"))


_RENDERED: dict[str, dict] = {}     # country code -> the templates with its numbers


def templates() -> dict:
    """The screens' templates with the numbers of the request's country (skill/content/countries.yaml)."""
    place = content.current().place
    if place.code not in _RENDERED:
        rendered = countries.render(_template_file(), place)
        for spec in rendered["kinds"].values():      # "{crisis_short}, or ...": a line starts with a capital
            for shown in ("key_when", "instruction_when"):
                spec[shown] = {words: line[:1].upper() + line[1:] for words, line in spec.get(shown, {}).items()}
        _RENDERED[place.code] = rendered
    return _RENDERED[place.code]


@functools.cache
def _key_patterns() -> tuple[re.Pattern, ...]:
    return tuple(re.compile(p) for p in _template_file()["key_patterns"])


def supported(handler_input) -> bool:
    """Whether the device said it renders APL (never assumed from anything else)."""
    system = getattr(handler_input.request_envelope.context, "system", None)
    interfaces = getattr(getattr(system, "device", None), "supported_interfaces", None)
    return getattr(interfaces, "alexa_presentation_apl", None) is not None


def key_line(text: str) -> str:
    """The date or figure of an answer worth its own line: the first key pattern that matches, or ''."""
    for pattern in _key_patterns():
        found = pattern.search(text)
        if found:
            key = found.group("key")
            return key[:1].upper() + key[1:]
    return ""


_LAST_SENTENCE = re.compile(r"(?:^|(?<=[.!?]) )([^.!?]*\?)$")


def split_question(text: str) -> tuple[str, str]:
    """(the words before, the closing question): a question stays in view however long the answer."""
    found = _LAST_SENTENCE.search(text)
    if not found or found.start(1) == 0:
        return text, ""
    return text[: found.start(1)].rstrip(), found.group(1)


def datasource(text: str, kind: str = "answer", more: bool = False) -> dict:
    """The data source of one answer: its kind's template, the words, the key line, the buttons."""
    spec = templates()
    screen = copy.deepcopy(spec["kinds"].get(kind) or spec["kinds"]["answer"])
    screen["kind"] = kind if kind in spec["kinds"] else "answer"
    screen["text"], screen["question"] = split_question(text)
    chosen = [key for words, key in (screen.pop("key_when", None) or {}).items() if words in text]
    if chosen:
        screen["key"] = chosen[0]      # the crisis and poison answers: their own numbers
    if not screen.get("key"):
        screen["key"] = key_line(text)
    # The emergency screens: a short instruction that fits every screen whole; the full answer is spoken.
    instruction = [words_shown for words, words_shown in (screen.pop("instruction_when", None) or {}).items()
                   if words in text]
    instruction = instruction[0] if instruction else screen.pop("instruction", None)
    screen.pop("instruction", None)
    if instruction:
        screen["text"], screen["question"] = instruction, ""
    screen["buttons"] = [spec["buttons"][b] for b in screen["buttons"] if b != "more" or more]
    return {"screen": {"type": "object", "properties": screen}}


def directive(text: str, kind: str = "answer", more: bool = False):
    """The RenderDocument directive for one answer."""
    from ask_sdk_model.interfaces.alexa.presentation.apl import RenderDocumentDirective

    return RenderDocumentDirective(token=DOCUMENT_TOKEN, document=document(), datasources=datasource(text, kind, more))


def button_pressed(handler_input) -> str | None:
    """'repeat' or 'more' when the request is a touch on one of our buttons, else None."""
    request = handler_input.request_envelope.request
    if getattr(request, "object_type", None) != "Alexa.Presentation.APL.UserEvent":
        return None
    arguments = getattr(request, "arguments", None) or []
    event = arguments[0] if arguments else None
    return event if event in BUTTON_EVENTS else None
