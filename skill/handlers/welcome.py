"""The welcome: said when the person opens the skill, and after Alexa's country question."""
from __future__ import annotations

from skill import dialog
from skill.handlers.replies import phrase, reply
from skill.handlers.timing import StoredDate, progress, since_sentence


def launch_reply(handler_input, first: str | None = None):
    """The welcome (``first``: said before it, after Alexa's permission question)."""
    stored = StoredDate(handler_input)
    if stored.day is not None:
        return reply(
            handler_input,
            [first, phrase("welcome_back"), since_sentence(progress(handler_input, stored.day)), phrase("what_else")],
        )
    if not stored.available:
        return reply(handler_input, [first, phrase("welcome"), phrase("what_else")])
    return reply(
        handler_input,
        [first, phrase("welcome"), phrase("disclaimer"), phrase("offer_date")],
        phrase("offer_date"),
        state=dialog.OFFER_DATE,
    )
