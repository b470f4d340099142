"""CLINC150's everyday requests to assistants (Larson et al. 2019, CC BY 3.0) said to the skill.

None is about anyone's health now, so issue 18 asks: at most 0.5% with 911, 988 or Poison Control in
the first sentence of the answer, and no crisis or overdose answer at all. The suite says a fixed
tenth of the 5,500 (every tenth, skill_tools.simulator.clinc150.SUBSET_STEP), one-shot and after "would you
like to hear more?"; bench/clinc150.py says all of them and lists the alarms. The data is read from
where tests/data/clinc150/README.md says; without it these tests are skipped."""
import pytest

from skill_tools.simulator import clinc150, corpus

FOUND, WHERE = clinc150.utterances()
pytestmark = pytest.mark.skipif(FOUND is None, reason=WHERE)
STATES = ("one-shot", "after hear-more")
MOST_ALARMS = 0.005


def test_the_corpus_is_the_5500_test_and_out_of_scope_test_utterances():
    assert len(FOUND) == 5500 and len(set(FOUND)) == 5500
    assert FOUND[0] == "how would you say fly in italian"              # the first `test` utterance
    assert FOUND[4500] == "how much has the dow changed today"         # the first `oos_test` one
    assert len(clinc150.subset(FOUND)) == 550


@pytest.fixture(scope="module")
def heard():
    return corpus.run(clinc150.entries(clinc150.subset(FOUND)), states=STATES)


@pytest.mark.parametrize("state", STATES)
def test_no_everyday_request_gets_the_crisis_or_overdose_answer(heard, state):
    wrong = [(s.text, s.intent, s.answer) for s in heard if s.state == state and s.answer in ("crisis", "overdose")]
    assert not wrong


@pytest.mark.parametrize("state", STATES)
def test_at_most_half_a_percent_of_everyday_requests_get_an_alarm_first(heard, state):
    group = [s for s in heard if s.state == state]
    alarms = [(s.text, s.intent, s.answer) for s in group if s.first_alarm]
    assert len(alarms) <= MOST_ALARMS * len(group), f"{len(alarms)} of {len(group)}: {alarms[:10]}"
