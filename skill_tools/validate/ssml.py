"""SSML as Alexa takes it: well-formed, rooted in <speak>, not too long."""
from __future__ import annotations

import xml.etree.ElementTree as ET

MAX_SSML = 8000  # characters of outputSpeech SSML


def ssml_of_text(text: str) -> list[str]:
    """Problems of the SSML the skill makes of one piece of text (skill.speech.ssml)."""
    from skill import speech

    try:
        doc = speech.ssml(" ".join(text.split()))
    except ValueError as exc:
        return [f"SSML: {exc}"]
    return ssml_problems(doc)


def ssml_problems(doc: str) -> list[str]:
    found = []
    if len(doc) > MAX_SSML:
        found.append(f"SSML is {len(doc)} characters; Alexa speaks at most {MAX_SSML}")
    try:
        root = ET.fromstring(doc if doc.lstrip().startswith("<speak") else f"<speak>{doc}</speak>")
    except ET.ParseError as exc:
        found.append(f"SSML is not well-formed XML: {exc}")
        return found
    if root.tag != "speak":
        found.append(f"SSML root is <{root.tag}>, not <speak>")
    return found
