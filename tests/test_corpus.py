"""How corpus results are sorted: the kind of answer heard, and right, over, under or unrecognised.

The console's tester panel and the clinician's review both show these, so the sorting is
checked against the content's own answers, not copies of their words, and against the new
wordings the triage engine is moving to (docs/triage-protocol.md) as well as the old ones.
"""
from __future__ import annotations

import os

import pytest

from skill import content as recovery_content
from skill_tools.simulator import corpus
from skill_tools.simulator.corpus import EMERGENCY_ANSWERS, Said, answer_kind, table
from skill_tools.simulator.processes import Ahead

C = recovery_content.load()


def test_each_answer_of_the_content_is_told_apart():
    text = C.triage_text
    for kind in EMERGENCY_ANSWERS:
        assert answer_kind(text[kind]["answer"]) == kind
    medicine = " ".join(t for t in (text["medicine"]["answer"], text["medicine"].get("fact")) if t)
    assert answer_kind(medicine) == "medicine"
    assert answer_kind(text["doctor"]["answer"].format(symptom_sentence="You mentioned tingling.")) == "doctor"
    expected = text["expected"]["answer"].format(fact=C.families["soreness"]["fact"])
    assert answer_kind(f"{expected} {text['expected']['when_to_call']}") == "expected"
    assert answer_kind(text["unknown"]["answer"]) == "unknown"
    assert answer_kind(C.topics["driving"].answer) == "other"
    assert answer_kind(C.phrases["fallback"]) == "not understood"


@pytest.mark.parametrize("speech, kind", [
    ("Call 911 now. What you describe can be serious. Again: call 911 now.", "emergency"),
    ("Call 911 or go to the emergency room now. What you describe can be serious.", "emergency"),
    ("Call 911 now. And please call or text 988, the Suicide and Crisis Lifeline, once help is on the way.",
     "emergency"),
    ("Please call or text 988 now, the Suicide and Crisis Lifeline, or call 911 if you might act on these thoughts.",
     "crisis"),
    ("Call Poison Control now at 1-800-222-1222. They can tell you what to do.", "overdose"),
    ("Call 911 now, or call Poison Control at 1-800-222-1222. If the person is hard to wake, call 911.", "overdose"),
    ("Call 911 now, and then Poison Control at 1-800-222-1222. Too much pain medicine can slow breathing.",
     "overdose"),
    ("Please call your surgeon's office now, and tell them about it. If you can't reach them within the hour, "
     "or it gets worse, go to urgent care or call 911.", "urgent"),
    ("Please call your surgeon's office now. Fever after surgery needs checking.", "urgent"),
    ("You mentioned a fever. Please call your doctor or surgeon today and tell them about it.", "doctor"),
    ("Are your legs also weak, or is it hard to pass urine? If so, call 911 now.", "question"),
    ("Is it 103 degrees or more, or do you have shaking chills? If so, call 911 now. If not, tell me no.",
     "question"),
    ("Is there pus, or is the redness spreading? If so, call your surgeon's office now.", "question"),
    ("Is it sore? Tell me more.", "other"),                       # a question without the safety line
    ("I'm not sure I understood. I can answer questions about recovering from kyphoplasty. If you have a "
     "serious symptom, call 911.", "not understood"),
    ("I'm not sure about that one. If you have chest pain, call 911 now.", "not understood"),
    ("I can't tell from that how serious it is, and I can't give medical advice. If it came on suddenly or "
     "feels severe, call 911 now.", "unknown"),
    ("Please say yes or no.", "re-asked"),
])
def test_old_and_new_wordings_of_each_answer_sort_by_their_first_sentence(speech, kind):
    assert answer_kind(speech) == kind


def said(level: str, answer: str, state: str = "one-shot", speech: str = "", question: str = "") -> Said:
    heard = Said("a sentence", level, "a_family", state, None, speech, question=question)
    heard.answer = answer
    return heard


@pytest.mark.parametrize("level, answer, outcome", [
    ("emergency", "emergency", "right"),
    ("emergency", "overdose", "right"),
    ("emergency", "crisis", "under"),              # 988 for "I can't feel my legs": the 911 is not first
    ("emergency", "just happened", "under"),       # 911 is said, but not first
    ("emergency", "unknown", "under"),             # an emergency is never merely "not recognised"
    ("emergency", "urgent", "under"),
    ("overdose", "overdose", "right"),
    ("overdose", "emergency", "right"),
    ("overdose", "crisis", "under"),
    ("overdose", "medicine", "under"),
    ("urgent", "urgent", "right"),
    ("urgent", "doctor", "right"),                 # "doctor or urgent" is one measure
    ("urgent", "emergency", "over"),
    ("urgent", "expected", "under"),
    ("urgent", "unknown", "unrecognised"),
    ("doctor", "urgent", "right"),
    ("doctor", "emergency", "over"),
    ("doctor", "just happened", "over"),
    ("doctor", "unknown", "unrecognised"),
    ("doctor", "medicine", "under"),
    ("doctor", "expected", "under"),
    ("medicine", "medicine topic", "right"),
    ("medicine", "doctor", "over"),
    ("expected", "not understood", "under"),
    ("not_alarm", "other", "right"),
    ("not_alarm", "doctor", "right"),
])
def test_an_answer_is_right_over_under_or_unrecognised_by_its_urgency(level, answer, outcome):
    assert said(level, answer).outcome == outcome


def test_a_crisis_needs_988_in_what_was_said():
    assert said("crisis", "crisis", speech="Please call or text 988 now.").outcome == "right"
    assert said("crisis", "emergency", speech="Call 911 now. And please call or text 988 once help is on the way."
                ).outcome == "right"
    assert said("crisis", "emergency", speech="Call 911 now. What you describe can be serious.").outcome == "under"
    assert said("crisis", "doctor", speech="Please call your doctor or surgeon today.").outcome == "under"


def test_not_alarm_is_right_unless_the_first_sentence_sends_someone_to_emergency_help():
    for speech in ("Call 911 now.", "Please call or text 988 now.", "Call Poison Control now at 1-800-222-1222.",
                   "If this came on suddenly or feels severe, call 911 or go to the emergency room now. Otherwise ..."):
        assert said("not_alarm", answer_kind(speech), speech=speech).outcome == "over", speech
    for speech in ("I'm not sure I understood. If you have a serious symptom, call 911.",
                   "Most people can drive again after a few weeks. If you have chest pain, call 911."):
        assert said("not_alarm", answer_kind(speech), speech=speech).right, speech
    # the question's first sentence is heard first, and the answer after "no"
    asked = said("not_alarm", "doctor", speech="Please call your doctor or surgeon today.",
                 question="Are your legs also weak? If so, call 911 now.")
    assert asked.asked and asked.right and asked.safety_line


def test_medicine_answers_are_checked_for_words_that_sound_like_permission():
    assert said("medicine", "medicine", speech="Your pharmacist or your doctor has to decide that, so please ask "
                "them before you take it. Over-the-counter pain medicine may work well too.").permission
    assert not said("medicine", "medicine", speech="I can't tell you whether that is safe for you. Your pharmacist "
                    "or your doctor has to decide that, so please ask them before you take it.").permission


def test_the_table_counts_each_outcome_per_family_and_per_state():
    results = [said("doctor", "doctor"), said("doctor", "unknown"), said("doctor", "expected", "after launch"),
               said("doctor", "emergency", "after launch")]
    family = table(results)[("doctor", "a_family")]
    assert (family.total, family.right, family.unrecognised, family.under, family.over) == (4, 1, 1, 1, 1)
    states = table(results, "state")
    assert (states[("doctor", "one-shot")].right, states[("doctor", "after launch")].under) == (1, 1)


def test_a_question_is_answered_no_and_the_answer_to_that_is_the_result(monkeypatch):
    """The runner says "no" to the skill's one clarifying question and sorts what follows."""
    from skill_tools.simulator import device

    replies = {"my legs are numb": "Are your legs also weak, or is it hard to pass urine? If so, call 911 now.",
               "no": "You mentioned numbness. Please call your doctor or surgeon today and tell them about it.",
               "my chest hurts": "Call 911 now. What you describe can be serious."}
    heard = []

    class Result:
        def __init__(self, text):
            self.speech, self.intent, self.end_session = replies.get(text, "Welcome."), "DescribeIntent", False
            self.slots = {"description": text}

    class FakeSimulator:
        def __init__(self, *args, **kwargs):
            pass

        def say(self, text):
            heard.append(text)
            return Result(text)

    monkeypatch.setattr(device, "Simulator", FakeSimulator)
    entries = [{"text": "my legs are numb", "level": "doctor", "complaint": "legs_nerves"},
               {"text": "my chest hurts", "level": "emergency", "family": "chest_pain"}]
    numb, chest = corpus.run(entries, states=["one-shot"])
    assert heard == ["my legs are numb", "no", "my chest hurts"]
    assert (numb.asked, numb.answer, numb.right, numb.group) == (True, "doctor", True, "legs_nerves")
    assert numb.question.startswith("Are your legs also weak")
    assert (chest.asked, chest.answer, chest.group) == (False, "emergency", "chest_pain")
    row = table([numb, chest], "group")[("doctor", "legs_nerves")]
    assert (row.asked, row.right) == (1, 1)


def test_the_tuning_set_tolerates_its_second_file_missing(tmp_path):
    first = tmp_path / "a.yaml"
    first.write_text('- {text: "my chest hurts", level: emergency, family: chest_pain}\n')
    assert [e["text"] for e in corpus.load_set((first, tmp_path / "not_written_yet.yaml"))] == ["my chest hurts"]
    assert corpus.load_set(tmp_path / "none.yaml") == []


def test_a_test_sentence_also_in_the_tuning_set_is_not_held_out(tmp_path):
    tuning, test = tmp_path / "tuning.yaml", tmp_path / "test.yaml"
    tuning.write_text('- {text: "I\'m dizzy.", level: doctor}\n')
    test.write_text('- {text: "im dizzy", level: doctor}\n- {text: "my chest hurts", level: emergency}\n')
    held_out, shared = corpus.load_held_out((test,), (tuning, tmp_path / "not_written_yet.yaml"))
    assert ([e["text"] for e in held_out], shared) == (["my chest hurts"], 1)


def test_a_run_shared_among_processes_hears_what_one_process_hears(monkeypatch):
    """Each sentence in a fresh session: splitting the set changes no answer, state or order."""
    monkeypatch.setattr(corpus, "SPLIT_FROM", 4)
    entries = [e for e in corpus.load_set(corpus.TUNING) if e["level"] in ("emergency", "not_alarm", "crisis")][:12]
    states = ("one-shot", "after hear-more")

    def heard(results):
        return [(s.text, s.state, s.intent, s.speech, s.question) for s in results]

    alone = corpus.run(entries, states=states)
    assert len(alone) == 24 and {s.answer for s in alone} >= {"emergency"}
    assert heard(corpus.run(entries, states=states, workers=3)) == heard(alone)


def test_work_started_ahead_gives_every_jobs_result_in_order_whichever_process_did_it():
    """The background process takes jobs from the first, the caller from the last once it asks: each result
    comes back in its job's place, and the last jobs are the caller's own (it does not wait idle)."""
    jobs = [(sorted, [i, -i]) for i in range(40)]
    ahead = Ahead(jobs)
    assert ahead.results() == [[-i, i] for i in range(40)]
    assert Ahead([(os.getpid,)] * 20).results()[-1] == os.getpid()
    ahead = Ahead([(sorted, [2, 1])] * 3)
    ahead.cancel()
    assert all(f.cancelled() or f.result() == [1, 2] for f in ahead.futures)
