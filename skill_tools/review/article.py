"""The source article, to say where each source sentence stands in it, and sentences one a line."""
from __future__ import annotations

import re

from skill_tools.review.shape import Source

_SENTENCE_END = re.compile(r"(?<=[.?!])\s+(?=[A-Z0-9\"'{])")


class Article:
    """The source article, to say where each source sentence stands in it."""

    def __init__(self, text: str):
        self.paragraphs: list[tuple[str, int, str]] = []   # (heading, paragraph number, text)
        heading, number = "Introduction", 0
        for block in (b.strip() for b in text.split("\n")):
            if not block:
                continue
            if len(block) < 80 and not block.endswith((".", ",")):
                if self.paragraphs or block != text.strip().split("\n")[0].strip():
                    heading, number = block, 0
                continue
            number += 1
            self.paragraphs.append((heading, number, " ".join(block.split())))

    def source(self, sentence: str) -> Source:
        wanted = " ".join(str(sentence).split())
        for heading, number, text in self.paragraphs:
            if wanted and wanted in text:
                return Source(wanted, "article", f"{heading}, paragraph {number}")
        return Source(wanted, "public" if not _looks_like_article(wanted) else "article", "", found=False)


def _looks_like_article(sentence: str) -> bool:
    """A quoted article sentence ends like one; a public source names its organisation."""
    return not re.search(r"\(([A-Z][A-Za-z]+|[a-z]+\.(org|gov))|: ", sentence)


def split_sentences(text: str) -> list[str]:
    """One spoken sentence a line, so each can be read and ticked on its own."""
    text = " ".join(str(text or "").split())
    return [s for s in _SENTENCE_END.split(text) if s] if text else []
