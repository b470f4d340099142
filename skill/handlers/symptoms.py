"""Every intent whose answer follows the person's triage: emergencies in any intent, symptoms,
free words, subjects asked with a symptom in them, "what if", and the answer to the one
clarifying question. The verdict is the triage interceptor's (skill.interceptors), read here.

The emergency handler comes first of all handlers so a serious symptom wins in every intent
and every dialog state, and it never touches storage, so it answers even when storage is down.
"""
from __future__ import annotations

import logging

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.utils import get_intent_name, is_intent_name, is_request_type

from skill import dialog, interceptors, speech, triage
from skill.handlers.replies import content, phrase, reply
from skill.handlers.timing import StoredDate, pain_sentence, progress, since_sentence
from skill.handlers.topics import subject_reply
from skill.slots import MEDICINE_INTENT, OWN_WORDS, SUBJECT_INTENT, WHAT_IF_INTENT, own_words

log = logging.getLogger(__name__)

# The crisis line's answers: told (crisis words a pattern named), or asked about (heard by the crisis model alone).
CRISIS_ANSWERS = ("crisis", "crisis_check")


class EmergencyHandler(AbstractRequestHandler):
    """Serious symptoms, in any intent and any state: the emergency instruction first. No storage."""

    def can_handle(self, handler_input):
        if not is_request_type("IntentRequest")(handler_input):
            return False
        if get_intent_name(handler_input) in interceptors.EMERGENCY_INTENTS:
            return True
        return interceptors.emergency_verdict(handler_input) is not None

    def handle(self, handler_input):
        return emergency_reply(handler_input, interceptors.verdict(handler_input))


def emergency_reply(handler_input, verdict: triage.Verdict | None = None):
    """Instruction first and last, that the skill can't call, and the session closed: the device is
    free at once for "Alexa, call ...". Crisis words get 988 gently (and after 911 when a physical
    emergency was found with them); an overdose with danger signs 911 and naloxone; too much or the
    wrong medicine otherwise, Poison Control first."""
    families = content().families
    texts = content().triage_text
    family = families.get(verdict.family, {}) if verdict is not None else {}
    kind = family.get("answer") or triage.EMERGENCY
    parts = [texts[kind]["answer"]]
    if kind not in CRISIS_ANSWERS and verdict is not None and _crisis_family(verdict):
        parts.append(texts["also_crisis"]["answer"])
    elif "if_meant" in texts[kind]:
        parts.append(texts[kind]["if_meant"])   # an overdose may have been meant: 988 after 911, asked
    log.info("emergency answer given")  # never the family: it says what the person has
    return reply(handler_input, parts, end=True, kind="emergency")


def _crisis_family(verdict: triage.Verdict) -> str | None:
    """The first family of the verdict whose answer is the crisis line's, if any."""
    families = content().families
    return next((f for f in verdict.families if families.get(f, {}).get("answer") in CRISIS_ANSWERS), None)


def symptom_reply(handler_input, words: str, verdict: triage.Verdict, *, asked: bool = False):
    """What the person described, at the level triage gave it (skill.interceptors; the emergency
    handler took serious ones). A family whose level turns on something people rarely say asks one
    yes/no question first (its ``ask``), once a session; ``asked``: this answers that question."""
    if verdict.level == triage.EMERGENCY:  # only when reached without the emergency handler
        return emergency_reply(handler_input, verdict)
    texts = content().triage_text
    family = content().families.get(verdict.family, {})
    level = verdict.level
    timing: list[str] = []
    if level == triage.EXPECTED and family.get("past_pain_window"):
        # Pain past the article's couple of weeks is not "part of recovery": the doctor hears of it.
        stored = StoredDate(handler_input)
        if stored.day is not None:
            p = progress(handler_input, stored.day)
            if p.days_since >= 0 and not p.within_pain_window:
                level, family = triage.DOCTOR, content().families[family["past_pain_window"]]
            timing = [since_sentence(p), pain_sentence(p)]
    session = handler_input.attributes_manager.session_attributes
    ask = content().families.get(verdict.family, {}).get("ask")   # of what was said, not of a timing upgrade
    if ask and not asked and level in (triage.URGENT, triage.DOCTOR) and not session.get("triage_asked"):
        session["triage_asked"] = True      # never more than one question a session
        return reply(handler_input, [ask["question"]], ask["question"], state=dialog.TRIAGE_QUESTION,
                     extra={"ask_family": verdict.family})
    log.info("symptom triaged as %s", level)
    mentioned = mentioned_parts(verdict)
    if level == triage.URGENT:
        text = texts[triage.URGENT]
        parts = [text["answer"].format(fact=family.get("fact", "")), *timing, *mentioned, phrase("disclaimer")]
        return reply(handler_input, parts + [phrase("what_else")], text["reprompt"])
    if level == triage.MEDICINE:
        text = texts[triage.MEDICINE]
        parts = [text["answer"]] + (mentioned or [phrase("safety_line")])
        return reply(handler_input, parts + [phrase("what_else")], text["reprompt"])
    if level == triage.DOCTOR:
        text = texts[triage.DOCTOR]
        said = symptom_sentence(words) if words else ""
        parts = [text["answer"].format(symptom_sentence=said), family.get("fact", ""), *timing, text["urgent"]]
        parts += mentioned + [phrase("disclaimer")]
        return reply(handler_input, parts + [phrase("what_else")], text["reprompt"])
    if level == triage.EXPECTED:
        text = texts[triage.EXPECTED]
        parts = [text["answer"].format(fact=family.get("fact", "")), *timing, text["when_to_call"]]
        return reply(handler_input, parts + (mentioned or [phrase("safety_line")]) + [phrase("what_else")],
                     text["reprompt"])
    if level == triage.NOT_HEALTH:
        text = texts[triage.NOT_HEALTH]
        return reply(handler_input, [text["answer"], *(mentioned or [phrase("safety_line")]), phrase("what_else")],
                     text["reprompt"])
    text = texts[triage.UNKNOWN]
    return reply(handler_input, [text["answer"], *mentioned, phrase("disclaimer"), phrase("what_else")],
                 text["reprompt"])


def answer_to_question(handler_input, said: str):
    """The answer to the clarifying question: "yes" its higher family (911), "no" the family asked
    about, anything else the higher one (the safe side)."""
    session = handler_input.attributes_manager.session_attributes
    key = session.get("ask_family")
    families = content().families
    if key not in families or not families[key].get("ask"):
        return reply(handler_input, [phrase("what_else")])
    chosen = key if said == "no" else families[key]["ask"]["if_yes"]
    level = families[chosen]["level"]
    return symptom_reply(handler_input, "", triage.Verdict(level, (), chosen, (), (chosen,)), asked=True)


def symptom_sentence(words: str) -> str:
    """"You mentioned your toes tingle": the person's words said back as theirs, never "my" parroted;
    words that can't be said back well (too long, already "you") are "You described a symptom"."""
    back = speech.said_back(words)
    return phrase("you_mentioned", words=back) if back else phrase("you_described")


def mentioned_parts(verdict: triage.Verdict) -> list[str]:
    """"If you do have chest pain, call 911": for red flags that were denied or only asked about. A family
    with its own sentence says it apart (crisis words of a friend far off: the crisis line, for them too)."""
    families = [content().families.get(f, {}) for f in verdict.mentioned]
    own = [f["mentioned"] for f in families if f.get("mentioned")]
    names = [f["if_you"] for f in families if f.get("if_you") and not f.get("mentioned")]
    if not names:
        return own
    what = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
    return [phrase("mentioned", what=what), *own]


class TriageAnswerHandler(AbstractRequestHandler):
    """Words said to the one clarifying question that name nothing (not a symptom, not a question):
    not understood, which there means the higher answer (skill.dialog's fallback of the question).
    Yes, no and the fallback intent itself are the Yes, No and Fallback handlers'; a new symptom or
    question goes on as usual."""

    def can_handle(self, handler_input):
        if not is_request_type("IntentRequest")(handler_input):
            return False                    # events such as SkillDisabled have no session
        session = handler_input.attributes_manager.session_attributes
        if dialog.state_of(session).key != dialog.TRIAGE_QUESTION:
            return False
        verdict = interceptors.verdict(handler_input) if get_intent_name(handler_input) in OWN_WORDS else None
        return verdict is not None and verdict.level in (triage.UNKNOWN, triage.NOT_HEALTH)

    def handle(self, handler_input):
        return answer_to_question(handler_input, "unsure")


class SymptomHandler(AbstractRequestHandler):
    """Non-emergency symptoms (the emergency handler has already taken serious ones)."""

    def can_handle(self, handler_input):
        return is_intent_name("SymptomIntent")(handler_input)

    def handle(self, handler_input):
        words, _ = own_words(handler_input)
        if not words:
            return reply(
                handler_input,
                [phrase("ask_symptom"), phrase("safety_line")],
                phrase("ask_symptom_short"),
            )
        return symptom_reply(handler_input, words, interceptors.verdict(handler_input))


class FreeWordsHandler(AbstractRequestHandler):
    """Free words that fit no question ("my husband {description}", "can I take {question}"), triaged
    as they were said; words that name a subject instead ("can I take a shower") get that subject."""

    def can_handle(self, handler_input):
        return is_intent_name("DescribeIntent")(handler_input) or is_intent_name(MEDICINE_INTENT)(handler_input)

    def handle(self, handler_input):
        words, _ = own_words(handler_input)
        if not words and not is_intent_name(MEDICINE_INTENT)(handler_input):  # a medicine question is one
            return reply(handler_input, [phrase("ask_symptom"), phrase("safety_line")], phrase("ask_symptom_short"))
        verdict = interceptors.verdict(handler_input)
        if verdict is None:  # "I want to know when I can drive": a question, not a symptom
            return subject_reply(handler_input, content().subject_in(words))
        return symptom_reply(handler_input, words, verdict)


class SubjectHandler(AbstractRequestHandler):
    """"Can I take a shower?": the topic that covers a subject, or an honest "that isn't covered";
    a subject asked with a symptom or a medicine in it ("... with this new hip pain") is triaged."""

    def can_handle(self, handler_input):
        return is_intent_name(SUBJECT_INTENT)(handler_input)

    def handle(self, handler_input):
        words, ids = own_words(handler_input)
        verdict = interceptors.verdict(handler_input)
        if verdict is not None:  # "can I take my sleeping pill with the oxycodone", "... with this new hip pain"
            return symptom_reply(handler_input, words, verdict)
        subject = next((content().subjects.get(i.lower()) for i in ids if i.lower() in content().subjects), None)
        subject = subject or content().subject_in(words)
        if subject is None:
            return reply(handler_input, [phrase("fallback"), phrase("what_else")])
        return subject_reply(handler_input, subject)


class WhatIfHandler(AbstractRequestHandler):
    """"What should I do if I fall?", "what's the difference between heartburn and a heart attack?": a
    situation asked about, answered without treating it as happening now."""

    def can_handle(self, handler_input):
        return is_intent_name(WHAT_IF_INTENT)(handler_input)

    def handle(self, handler_input):
        words, _ = own_words(handler_input)
        verdict = interceptors.verdict(handler_input) or triage.Verdict(triage.UNKNOWN)
        # "what if he can't breathe now", "what if i took too many, i think i did": a description of now
        now_words = content().handling["now_words"]
        # crisis words are never only asked about ("what if I took the whole bottle, I kinda want to"): 988
        crisis = _crisis_family(verdict)
        if verdict.level == triage.EMERGENCY and crisis is not None:
            crisis_only = triage.Verdict(triage.EMERGENCY, verdict.matched, crisis, (), (crisis,))
            return emergency_reply(handler_input, crisis_only)
        if verdict.level == triage.EMERGENCY and (_said_now(words, now_words)
                                                  or content().triage.asked_and_happening(words)):
            return emergency_reply(handler_input, verdict)
        if verdict.level == triage.MEDICINE:    # "what if I take my pill twice": the pharmacist decides
            return symptom_reply(handler_input, words, verdict)
        # "what if I throw up right after my pill": what to do about a medicine, asked ahead, as a medicine question
        asked = (content().triage.asked_about_medicine(words, verdict.mentioned)
                 if verdict.level not in (triage.EMERGENCY, triage.URGENT) else None)
        if asked is not None:
            return symptom_reply(handler_input, words, asked)
        if verdict.level in (triage.UNKNOWN, triage.NOT_HEALTH):
            subject = content().subject_in(words)   # "what if I can't drive by Christmas": the driving answer
            if subject is not None:
                return subject_reply(handler_input, subject)
        family = content().families.get(verdict.family, {})
        if verdict.level == triage.EMERGENCY:   # a plan, not an alarm: 911 is not the first thing heard
            parts = [phrase("plan_ahead"), phrase("mentioned", what=family.get("if_you") or phrase("that_happens"))]
        elif verdict.level in (triage.URGENT, triage.DOCTOR, triage.MEDICINE):
            parts = [phrase("if_doctor"), family.get("fact", ""), phrase("safety_line")]
        else:
            parts = [phrase("if_unsure"), phrase("safety_line")]
        return reply(handler_input, parts + [phrase("what_else")])


def _said_now(words: str, now_words) -> bool:
    """A word of now said ("what if he can't breathe NOW"), not as "only" after a form of "be" ("how can i
    tell if he's JUST sleepy": ``handling.only_after``, read in the words as said: "he's", not "he")."""
    if not set(now_words) & set(content().language.words(words)):
        return False
    raw = [w.strip(".,!?").replace("\u2019", "'") for w in (words or "").lower().split()]
    only_after = set(content().handling.get("only_after", ()))
    at = [k for k, w in enumerate(raw) if w in now_words]
    return not at or any(not (k and raw[k - 1] in only_after) for k in at)
