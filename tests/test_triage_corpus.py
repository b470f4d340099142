"""The project's triage corpus said to the whole skill, in the dialog states that differ most.

The TUNING set (skill_tools/corpus/triage_tuning*.yaml, one file per independent writer, listed in corpus.TUNING;
corpus.BENCH_ONLY's long stories are the bench's alone) holds the floors below; the held-out TEST set
(tests/data/triage_test.yaml, written blind and frozen) is only loaded and checked for its shape and for
sentences shared with the tuning set: nothing here is tuned on it (bench/triage_corpus.py prints its figures).
Every phrasing goes through the simulator's understanding of the deployed model, real request envelopes and the
same handlers.

FLOORS are the shares the tuning set measures in every dialog state (rounded down), set again each time new
writers' files joined it and the engine and model were tuned on them; a comment says which file last moved a floor.
"crisis: 988" stays below 97%: crisis sentences that the model sends to AMAZON.FallbackIntent (long, or Spanish
alone) carry no words to triage. A change that makes one worse fails here.
Issue 18's "done when" goals that the tuning set does not meet yet are marked xfail(strict): the work that meets
one removes the mark and raises the floors."""
import collections
from pathlib import Path

import pytest

from skill_tools.simulator import corpus
from skill_tools.simulator.engine_alone import engine_levels
from skill_tools.simulator.processes import Ahead

ENTRIES = corpus.load_set(corpus.TUNING)
TEST = Path(__file__).parent / "data" / "triage_test.yaml"   # never a default of the tools
TEST_SET = corpus.load_set(TEST)
ALARMING = ("emergency", "crisis", "overdose")
# Complaints of the protocol whose emergencies the tuning set must cover well.
EMERGENCY_COMPLAINTS = ("chest", "breathing", "back", "legs", "bladder", "fever", "consciousness", "fall",
                        "wound", "stroke", "allergy", "headache")
# name: (the sentences measured, what counts, least share in each dialog state)
FLOORS = {
    # 98.8% since the five red-team files joined (real dangers written to be missed: 81-97% heard fresh, 89-100% tuned)
    "emergency first": (lambda s: s.level == "emergency", lambda s: s.emergency_first, 0.98),
    "911 in emergency answers": (lambda s: s.level == "emergency", lambda s: s.safety_line, 0.99),
    # 90.1% since the 83rd-98th files joined (requests, opinion and practical questions, dated plans and recovery
    # questions that hide a crisis: 41-75% fresh); 89.8% since the 99th-110th (short replies to the skill, slow and
    # passive ways, self-harm without a wish to die: 60-89% fresh); most misses reach AMAZON.FallbackIntent, which
    # carries no words ("no thanks, im going to overdose tonight"), or a topic intent, whose samples carry none either
    "crisis: 988": (lambda s: s.level == "crisis", lambda s: s.right, 0.89),
    "overdose: Poison Control or 911": (lambda s: s.level == "overdose", lambda s: s.right, 0.99),
    # the fourteenth file's side effects said with a medicine question (87.5% right): doctor 97.7%, with urgent 96.7%
    "doctor or urgent": (lambda s: s.level in ("urgent", "doctor"), lambda s: s.right, 0.96),
    "doctor": (lambda s: s.level == "doctor", lambda s: s.right, 0.97),
    # 95.8% since the 23rd-30th files joined (soreness said with a guess or a pill: 79-95% fresh)
    "expected reassured": (lambda s: s.level == "expected", lambda s: s.right, 0.95),
    # 96.2% since the fourteenth file joined (questions full of alarming words: 75% deferred fresh, 86.5% tuned)
    "medicine deferred": (lambda s: s.level == "medicine", lambda s: s.right, 0.96),
    "911 in every answer but a topic answer": (lambda s: s.needs_safety_line, lambda s: s.safety_line, 1.0),
    # 97.8% since the 23rd-27th files joined (the 23rd's resolved and explained signs: 36% alarmed fresh); 97.1%
    # one-shot since the 128th-159th (writers W138-W169: crisis said every way, with hard twins) joined; 96.6% since
    # the 179th-206th (W205-W232: 220 twins a file written first and hard, 88-91% spared fresh, 92-96% tuned) joined;
    # over 97% since crisis words a pattern found are not heard where the model scores them near 0 (unheard)
    "not_alarm: no emergency answer": (lambda s: s.level == "not_alarm", lambda s: not s.emergency_first, 0.97),
    "not_alarm: no alarm first": (lambda s: s.level == "not_alarm", lambda s: not s.first_alarm, 0.97),
}
# Triage alone (no simulator): the share of alarm sentences it finds, and of not_alarm ones it does not alarm on.
# finds: 98.98% since the eighth red-team file joined (dangers written to be missed: 88% heard fresh); 98.5% since
# the 99th-104th files (slow and passive ways, self-harm without a wish to die: 95% heard in-sample) joined, the
# earlier files' share unchanged (98.75% before and after); spares: 96.9% since the 18th-22nd files (hard resolved
# and caregiver talk) joined; 95.8% since the 179th-206th (W205-W232's hard twins, see FLOORS) joined
TRIAGE_FLOORS = {"finds": 0.98, "spares": 0.95}


def test_the_tuning_set_is_large_and_covers_every_label_and_emergency_complaint():
    assert len(ENTRIES) >= 1900
    assert {e["level"] for e in ENTRIES} == set(corpus.LABELS)
    assert all(str(e.get("text") or "").strip() for e in ENTRIES)
    counts = collections.Counter(e.get("complaint") or e.get("family") for e in ENTRIES if e["level"] == "emergency")
    for complaint in EMERGENCY_COMPLAINTS:
        assert counts[complaint] >= 10, complaint
    levels = collections.Counter(e["level"] for e in ENTRIES)
    assert min(levels[label] for label in ("crisis", "overdose", "urgent", "medicine")) >= 50
    assert levels["not_alarm"] >= 400


def test_the_held_out_test_set_is_labelled_and_what_the_tuning_set_also_has_is_left_out_of_it():
    if not TEST_SET:
        pytest.skip("tests/data/triage_test.yaml is not written yet")
    assert all(e.get("level") in corpus.LABELS and str(e.get("text") or "").strip() for e in TEST_SET)
    held_out, shared = corpus.load_held_out((TEST,))
    assert len(held_out) + shared == len(TEST_SET)
    assert not {corpus.said_key(e["text"]) for e in ENTRIES} & {corpus.said_key(e["text"]) for e in held_out}
    # independent writers say some of the same short sentences ("tell me a joke"): the 29 tuning files share 26 of 860
    # (3.0%), left out of the held-out figures; more than 4% would mean a test file copied into the tuning set
    assert shared <= 0.04 * len(TEST_SET), f"{shared} test sentences are also tuning sentences"


def test_the_held_out_crisis_set_is_labelled_large_and_not_in_the_tuning_set():
    crisis_test = TEST.with_name("triage_test_crisis.yaml")
    entries = corpus.load_set(crisis_test)
    assert collections.Counter(e["level"] for e in entries) == {"crisis": 300, "not_alarm": 300}
    held_out, shared = corpus.load_held_out((crisis_test,))
    assert not {corpus.said_key(e["text"]) for e in ENTRIES} & {corpus.said_key(e["text"]) for e in held_out}
    assert shared <= 0.04 * len(entries), f"{shared} crisis test sentences are also tuning sentences"


def test_triage_alone_finds_the_alarms_and_spares_not_alarm_sentences_as_before(triage_levels):
    alarms = len(ALONE) - len(PLAIN)
    finds = sum(level == "emergency" for level in triage_levels[:alarms]) / alarms
    spares = sum(level != "emergency" for level in triage_levels[alarms:]) / len(PLAIN)
    assert (finds >= TRIAGE_FLOORS["finds"], spares >= TRIAGE_FLOORS["spares"]) == (True, True), (finds, spares)


# Alarms are said in the three dialog states that differ most: nothing pending, a yes/no question pending and
# Alexa's dialog asking for a date; crisis sentences (two thirds of the alarms) in the last two a third each, not
# the same third; the other levels one-shot only, and of everyday sentences (over half the set) every second one,
# here and to triage alone. That keeps the suite under ten minutes on two cores: replaying the lines that lead to
# a state costs more than the sentence. `make bench` says every sentence in all six, which have measured alike.
ALARM_STATES = ("one-shot", "after hear-more", "in the date dialog")
OTHER_STATES = ("one-shot",)


ALARMS = [e for e in ENTRIES if e["level"] in ALARMING and e["level"] != "crisis"]
CRISIS = [e for e in ENTRIES if e["level"] == "crisis"]
EVERYDAY = [e for e in ENTRIES if e["level"] == "not_alarm"][::2]
OTHERS = [e for e in ENTRIES if e["level"] not in ALARMING and e["level"] != "not_alarm"] + EVERYDAY
PLAIN = [e["text"] for e in EVERYDAY]
ALONE = [e["text"] for e in ENTRIES if e["level"] in ALARMING] + PLAIN      # said to triage alone: alarms, then plain
ahead = None     # processes.Ahead: set by conftest.py once this module's tests are to run


def _parts(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def ahead_jobs() -> list[tuple]:
    """The work of ``ahead_results``, in parts of about ten seconds: conftest.py starts it in a background process
    as soon as this module's tests are to run, so that it is mostly done alongside the other tests."""
    jobs = [(corpus.run, part, ALARM_STATES) for part in _parts(ALARMS, 500)]
    jobs += [(corpus.run, part, (state,)) for i, state in enumerate(ALARM_STATES[1:])
             for part in _parts(CRISIS[i::3], 1500)]
    jobs += [(corpus.run, part, OTHER_STATES) for part in _parts(CRISIS + OTHERS, 1500)]
    return jobs + [(engine_levels, part, "en-US", 1) for part in _parts(ALONE, 4000)]


@pytest.fixture(scope="module")
def ahead_results() -> list:
    started = ahead or Ahead(ahead_jobs())
    return list(zip(started.jobs, started.results()))


@pytest.fixture(scope="module")
def heard(ahead_results):
    return [said for (work, *_), part in ahead_results if work is corpus.run for said in part]


@pytest.fixture(scope="module")
def triage_levels(ahead_results):
    return [level for (work, *_), part in ahead_results if work is engine_levels for level in part]


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_the_tuning_set_holds_its_floors_in_each_dialog_state_it_is_said_in(heard, name):
    pick, hit, floor = FLOORS[name]
    low = {}
    for state in dict.fromkeys(s.state for s in heard if pick(s)):
        group = [s for s in heard if s.state == state and pick(s)]
        share = sum(bool(hit(s)) for s in group) / len(group)
        if share < floor:
            low[state] = f"{share:.1%} of {len(group)}"
    assert not low, f"{name} below {floor:.1%}: {low}"


MET = {m.name for m in corpus.DONE_WHEN if m.name in (
    "emergency first, in every state", "doctor or urgent", "expected reassured", "not_alarm: no alarm first")}


@pytest.mark.parametrize("measure", [
    pytest.param(m, id=m.name, marks=() if m.name in MET else
                 pytest.mark.xfail(strict=True, reason="engine work in progress"))
    for m in corpus.DONE_WHEN])
def test_issue_18_done_when_measures_on_the_tuning_set(heard, measure):
    hits, total, per = measure.figures(heard)
    assert measure.passed(heard), f"{measure.name}: {hits} of {total}, per state {per}"


def test_each_dialog_state_of_the_corpus_is_the_state_of_skill_dialog_it_names():
    """The lines said before a sentence leave the skill waiting on the question skill.dialog's table
    names for that state (None: nothing pending)."""
    from skill_tools.simulator.device import Simulator
    from skill_tools.simulator.nlu import Understanding
    from skill_tools.simulator.session import Conversation

    understanding = Understanding.from_model_file()
    for name, (lines, state) in corpus.REACHED.items():
        store = corpus.MemoryStore()
        conversation = Conversation.build(store, now=corpus.NOW)
        if name in corpus._STORED:
            store.records[conversation.user_id] = {"surgery_date": "2026-11-17"}
        sim = Simulator(conversation, understanding=understanding)
        for line in lines:
            sim.say(line)
        pending = conversation.attributes.get("state") if conversation.in_session else None
        assert pending == state, name
