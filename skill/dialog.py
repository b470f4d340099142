"""Dialog state as one declared table: what the skill last asked, and what each answer means there.

The session attribute ``state`` names the question the skill is waiting on (none: nothing is
pending). Each row below says what was asked, and what yes, no, cancel, a fallback (words that
answer nothing) and silence mean while it is pending. The Yes, No, Stop and Fallback handlers
act on the row (skill.handlers.system); the screen shows its kind of question; the console says
what a "yes" would do and the triage corpus names the states it says sentences in, from this
same table. "Stop" and "go home" are goodbye in every state; silence gets Alexa's reprompt,
which every question's turn sets to the question itself.
"""
from __future__ import annotations

from typing import NamedTuple

# The states: what the skill is waiting for.
OFFER_DATE = "offer_date"
OFFER_MORE = "offer_more"
CONFIRM_DATE = "confirm_date"
ASK_DAY = "ask_day"
CONFIRM_FORGET = "confirm_forget"
OFFER_REMINDER = "offer_reminder"
TRIAGE_QUESTION = "triage_question"   # the one clarifying question of a symptom (its family's `ask`)

# What an answer does. Each names one function of the handlers (skill.handlers.system.ANSWERS).
WHAT_ELSE = "what_else"               # "What else would you like to know?"
ALL_RIGHT = "all_right"               # "All right. What else ...?"
GOODBYE = "goodbye"                   # the session ends
NOT_UNDERSTOOD = "not_understood"     # "I'm not sure I understood ..."
ASK_AGAIN = "ask_again"               # "Please say yes or no", the safety line, the question again
REPROMPT = "reprompt"                 # silence: Alexa says the turn's reprompt (the question)
ASK_DATE = "ask_date"                 # Alexa's dialog asks for the date
SAVE_DATE = "save_date"               # the date read back is stored
DATE_AGAIN = "date_again"             # "All right", and the date asked for again
CANCEL_QUESTION = "cancel_question"   # "All right, I've cancelled that"
FORGET_DATE = "forget_date"           # the stored date (and its reminder) go
KEEP_DATE = "keep_date"               # "I'll keep it"
TELL_MORE = "tell_more"               # the topic's longer answer
SET_REMINDER = "set_reminder"         # the lifting reminder is set (Alexa asks the permission first)
DECLINE_REMINDER = "decline_reminder" # not offered again for this date
HIGHER_ANSWER = "higher_answer"       # the triage question's "yes": its family's higher answer
ASKED_ANSWER = "asked_answer"         # the triage question's "no": the answer of the family asked about
UNSURE_ANSWER = "unsure_answer"       # neither: the higher answer, the safe side


class DialogState(NamedTuple):
    """One state: the question pending and what each answer means while it is."""

    key: str | None            # the session's ``state`` (None: nothing pending)
    question: str              # what the skill asked (recovery.yaml phrase, or where it comes from)
    yes: str
    no: str
    cancel: str
    fallback: str
    silence: str
    screen: str                # the screen's kind while it is pending: "yes_no", "question" or "answer"

    @property
    def more_button(self) -> bool:
        """The screen's More button says yes to this question."""
        return self.yes == TELL_MORE


TABLE: dict[str | None, DialogState] = {s.key: s for s in (
    DialogState(None, "nothing: an answer ended with what_else",
                yes=WHAT_ELSE, no=ALL_RIGHT, cancel=GOODBYE, fallback=NOT_UNDERSTOOD, silence=REPROMPT,
                screen="answer"),
    DialogState(OFFER_DATE, "phrases.offer_date: would you like me to remember the date of your surgery?",
                yes=ASK_DATE, no=ALL_RIGHT, cancel=GOODBYE, fallback=ASK_AGAIN, silence=REPROMPT, screen="yes_no"),
    DialogState(OFFER_MORE, "phrases.offer_more: would you like to hear more?",
                yes=TELL_MORE, no=ALL_RIGHT, cancel=GOODBYE, fallback=ASK_AGAIN, silence=REPROMPT, screen="answer"),
    DialogState(CONFIRM_DATE, "phrases.confirm_date (or is_that_right): the date read back, is that right?",
                yes=SAVE_DATE, no=DATE_AGAIN, cancel=CANCEL_QUESTION, fallback=ASK_AGAIN, silence=REPROMPT,
                screen="yes_no"),
    DialogState(ASK_DAY, "phrases.ask_day: which day in that month? (Alexa's dialog fills the date)",
                yes=WHAT_ELSE, no=ALL_RIGHT, cancel=CANCEL_QUESTION, fallback=NOT_UNDERSTOOD, silence=REPROMPT,
                screen="question"),
    DialogState(CONFIRM_FORGET, "phrases.confirm_forget: shall I forget your surgery date?",
                yes=FORGET_DATE, no=KEEP_DATE, cancel=CANCEL_QUESTION, fallback=ASK_AGAIN, silence=REPROMPT,
                screen="yes_no"),
    DialogState(OFFER_REMINDER, "phrases.reminder_offer: would you like a reminder when you can lift again?",
                yes=SET_REMINDER, no=DECLINE_REMINDER, cancel=GOODBYE, fallback=ASK_AGAIN, silence=REPROMPT,
                screen="yes_no"),
    DialogState(TRIAGE_QUESTION, "the red-flag family's ask.question (triage.yaml), with its safety line",
                yes=HIGHER_ANSWER, no=ASKED_ANSWER, cancel=GOODBYE, fallback=UNSURE_ANSWER, silence=REPROMPT,
                screen="yes_no"),
)}


def state_of(session: dict) -> DialogState:
    """The row of the session's pending question; nothing pending for a state no row names."""
    state = session.get("state")
    return TABLE.get(state if isinstance(state, str) else None, TABLE[None])
