"""The lifting reminder, as the person hears it and as Alexa's Reminders API sees it.

Most tests talk to the in-process fake (the simulator's); the first ones go through
the real Lambda entry point and the skill's real ApiClient to the same fake served
over HTTPS on 127.0.0.1, so the SDK's service client, the timeout and the wire
format are all exercised.
"""
from __future__ import annotations

import datetime as dt
import importlib.util
import json
from pathlib import Path

import pytest
from ask_sdk_core.exceptions import PersistenceException
from cryptography.hazmat.primitives import serialization

from skill import content as recovery_content
from skill_tools.simulator import envelopes
from skill_tools.simulator.fake_reminders import FakeReminders, serve
from skill.storage.sqlite import SQLiteAdapter
from skill.storage.store import user_key
from tests import certs_for_tests as pki
from tests.conftest import NOW, BrokenStore, CheckedConversation

ROOT = Path(__file__).parents[1]
PHRASES = recovery_content.load().phrases
SURGERY = "2026-11-10"  # lifting ends Tuesday, December 22nd


def stored(store):
    return store.load(user_key(envelopes.DEFAULT_USER))


def person(store, fake, surgery=SURGERY, **kw):
    if surgery:
        store.save(user_key(envelopes.DEFAULT_USER), {"surgery_date": surgery})
    return CheckedConversation.build(store, zone="America/New_York", now=NOW, reminders=fake, **kw)


# ------------------------------------------------------------------ the real Lambda entry point, over HTTPS


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory):
    """A test CA the client trusts (SSL_CERT_FILE) and a certificate for localhost signed by it."""
    folder = tmp_path_factory.mktemp("tls")
    now = dt.datetime.now(dt.timezone.utc)
    ca_key, leaf_key = pki.new_key(), pki.new_key()
    root = pki.make_root(ca_key, not_before=now - dt.timedelta(days=1), not_after=now + dt.timedelta(days=2))
    leaf = pki.make_leaf(root, leaf_key, san=("localhost",), common_name="localhost",
                         not_before=now - dt.timedelta(days=1), not_after=now + dt.timedelta(days=2))
    (folder / "ca.pem").write_bytes(pki.chain_pem(root.cert))
    (folder / "leaf.pem").write_bytes(pki.chain_pem(leaf))
    (folder / "leaf.key").write_bytes(leaf_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return folder


@pytest.fixture
def lambda_person(tmp_path, tls_files, monkeypatch):
    """lambda/lambda_function.py as deployed, its apiEndpoint pointed at the fake on loopback."""
    monkeypatch.setenv("SSL_CERT_FILE", str(tls_files / "ca.pem"))
    monkeypatch.setenv("RECOVERY_SKILL_DB", str(tmp_path / "lambda.db"))
    monkeypatch.delenv("RECOVERY_SKILL_DYNAMODB_TABLE", raising=False)
    monkeypatch.delenv("RECOVERY_SKILL_ID", raising=False)
    SQLiteAdapter(tmp_path / "lambda.db").save(user_key(envelopes.DEFAULT_USER), {"surgery_date": SURGERY})
    spec = importlib.util.spec_from_file_location("lambda_function_under_test", ROOT / "lambda" / "lambda_function.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    fake = FakeReminders(granted=True, slow_seconds=2.5)

    def start(zone="America/Los_Angeles"):
        return serve(fake, str(tls_files / "leaf.pem"), str(tls_files / "leaf.key"), zone=zone)

    def conversation(url):
        def handler(event, context):
            event["context"]["System"]["apiEndpoint"] = url
            return module.lambda_handler(event, context)

        return CheckedConversation(handler=handler, now=NOW, reminders=fake)

    return fake, start, conversation, tmp_path / "lambda.db"


def test_lambda_creates_the_reminder_at_ten_on_the_day_six_weeks_end_in_the_device_zone(lambda_person):
    fake, start, conversation, db = lambda_person
    with start(zone="America/Los_Angeles") as url:
        talk = conversation(url)
        turn = talk.intent("RemindMeIntent")
    assert turn.speech.startswith("Done. I'll remind you on Tuesday, December 22nd, at 10 in the morning, "
                                  "to check with your surgeon before any heavy lifting.")
    (body,) = fake.bodies
    assert body["trigger"] == {"type": "SCHEDULED_ABSOLUTE", "scheduledTime": "2026-12-22T10:00:00",
                               "timeZoneId": "America/Los_Angeles"}
    assert body["alertInfo"]["spokenInfo"]["content"] == [{"locale": "en-US", "text": PHRASES["reminder_text"]}]
    assert body["pushNotification"] == {"status": "ENABLED"}
    assert fake.calls == [("POST", "/v1/alerts/reminders")], "no reminder of this person yet: one call"
    (token,) = fake.reminders
    assert SQLiteAdapter(db).load(user_key(envelopes.DEFAULT_USER)) == {
        "surgery_date": SURGERY, "reminder": {"token": token}}


def test_lambda_asks_for_the_permission_when_the_api_says_401_then_sets_it(lambda_person):
    fake, start, conversation, _ = lambda_person
    fake.granted = False
    with start() as url:
        talk = conversation(url)
        ask = talk.intent("RemindMeIntent")
        assert ask.asks_permission and ask.speech == "" and not ask.end_session
        (directive,) = ask.body["directives"]
        assert directive["payload"]["permissionScopes"] == [
            {"permissionScope": "alexa::alerts:reminders:skill:readwrite", "consentLevel": "ACCOUNT"}]
        done = talk.permission_answer("ACCEPTED")
    assert done.speech.startswith("Done. I'll remind you on Tuesday, December 22nd")
    assert len(fake.active) == 1


@pytest.mark.parametrize("mode", ["down", "slow"])
def test_lambda_says_so_when_the_api_is_down_or_too_slow(lambda_person, mode):
    fake, start, conversation, db = lambda_person
    fake.mode = mode
    with start() as url:
        turn = conversation(url).intent("RemindMeIntent")
    assert turn.speech == f"{PHRASES['reminder_failed']} {PHRASES['what_else']}"
    assert not turn.end_session
    assert fake.calls == [("POST", "/v1/alerts/reminders")], "after a failure no further call"
    assert fake.reminders == {}
    assert SQLiteAdapter(db).load(user_key(envelopes.DEFAULT_USER)) == {"surgery_date": SURGERY}


def test_lambda_with_the_wrong_access_token_is_refused_and_answers_anyway(lambda_person):
    fake, start, conversation, _ = lambda_person
    with start() as url:
        talk = conversation(url)

        def other_token(event, context, inner=talk.handler):
            event["context"]["System"]["apiAccessToken"] = "someone-else"
            return inner(event, context)

        talk.handler = other_token
        turn = talk.intent("ReminderStatusIntent")
    assert turn.speech.startswith(PHRASES["reminder_status_no"]), "a 401 means no reminders of ours, said plainly"
    assert fake.calls == [], "the fake never saw a request without the right bearer token"


# ------------------------------------------------------------------ the offer and the permission


def test_the_offer_comes_once_after_the_lifting_date_and_yes_without_permission_asks_alexa(store):
    fake = FakeReminders(granted=False)
    talk = person(store, fake)
    offer = talk.intent("LiftingIntent")
    assert "until Tuesday, December 22nd, before any heavy lifting" in offer.speech
    assert offer.speech.endswith("Would you like me to remind you on that day, at 10 in the morning, "
                                 "that the article's six weeks are up, and to check with your surgeon before any "
                                 "heavy lifting?")
    assert offer.reprompt == PHRASES["reminder_offer"].format(date="Tuesday, December 22nd")
    assert talk.intent("GetSurgeryDateIntent").speech.endswith(PHRASES["what_else"]), "not offered twice"
    talk.intent("LiftingIntent")
    # A yes now answers "would you like to hear more", not the reminder offer.
    assert talk.intent("AMAZON.YesIntent").speech.startswith(recovery_content.load().topics["lifting"].more)
    assert fake.calls == [] and stored(store) == {"surgery_date": SURGERY}


def test_yes_to_the_offer_with_the_permission_denied_in_the_request_asks_alexa_by_voice(store):
    fake = FakeReminders(granted=False)
    talk = person(store, fake)
    talk.intent("LiftingIntent")
    ask = talk.intent("AMAZON.YesIntent")
    assert ask.asks_permission and fake.calls == [], "Alexa said the permission is missing: no API call"
    refused = talk.permission_answer("DENIED")
    assert refused.speech.startswith(PHRASES["reminder_permission_denied"])
    assert fake.reminders == {}


@pytest.mark.parametrize("status, code", [("NOT_ANSWERED", "200"), ("ACCEPTED", "500")])
def test_an_unanswered_or_failed_permission_request_falls_back_to_the_consent_card(store, status, code):
    fake = FakeReminders(granted=False)
    talk = person(store, fake)
    talk.intent("RemindMeIntent")
    turn = talk.send(envelopes.connections_response(status, NOW, code=code, **talk._common()))
    assert turn.speech.startswith(PHRASES["reminder_permission_card"])
    assert turn.body["card"] == {"type": "AskForPermissionsConsent",
                                 "permissions": ["alexa::alerts:reminders:skill:readwrite"]}
    assert not turn.end_session and fake.reminders == {}


def test_a_second_401_in_one_session_sends_the_card_instead_of_asking_again(store):
    fake = FakeReminders(granted=False)
    talk = person(store, fake)
    assert talk.intent("RemindMeIntent").asks_permission
    talk.intent("AMAZON.NoIntent")
    again = talk.intent("RemindMeIntent")
    assert not again.asks_permission and again.card_type == "AskForPermissionsConsent"


def test_no_thanks_is_remembered_for_that_date_only(store):
    fake = FakeReminders(granted=True)
    talk = person(store, fake)
    talk.intent("LiftingIntent")
    assert talk.intent("AMAZON.NoIntent").speech.startswith(PHRASES["reminder_declined"])
    assert stored(store) == {"surgery_date": SURGERY, "reminder": {"declined_for": SURGERY}}
    talk.end()
    assert "remind you" not in talk.intent("LiftingIntent").speech
    talk.intent("SetSurgeryDateIntent", {"date": "2026-11-12"})
    changed = talk.intent("AMAZON.YesIntent")
    assert "until Thursday, December 24th, before any heavy lifting" in changed.speech
    assert changed.speech.endswith("Would you like me to remind you on that day, at 10 in the morning, "
                                 "that the article's six weeks are up, and to check with your surgeon before any "
                                 "heavy lifting?")


# ------------------------------------------------------------------ no duplicates, moved, cancelled


def test_no_duplicate_when_asked_again_and_other_voices_reminders_are_left_alone(store):
    fake = FakeReminders(granted=True)
    fake.answer("POST", "/v1/alerts/reminders", json.dumps({  # another voice profile's, on the same account
        "trigger": {"type": "SCHEDULED_ABSOLUTE", "scheduledTime": "2027-01-05T10:00:00"},
        "alertInfo": {"spokenInfo": {"content": [{"locale": "en-US", "text": "theirs"}]}}}))
    (theirs,) = fake.reminders
    talk = person(store, fake)
    talk.intent("RemindMeIntent")
    again = talk.intent("RemindMeIntent")
    assert again.speech.startswith("You already have a reminder from me, on Tuesday, December 22nd")
    mine = stored(store)["reminder"]["token"]
    assert set(fake.reminders) == {theirs, mine}
    assert talk.intent("ReminderStatusIntent").speech.startswith("Yes. I'll remind you on Tuesday, December 22nd")
    talk.intent("CancelReminderIntent")
    assert set(fake.reminders) == {theirs}
    assert talk.intent("ReminderStatusIntent").speech.startswith(PHRASES["reminder_status_no"])


class SavesFail(SQLiteAdapter):
    """Storage that reads but cannot write (a full disk, a throttled table)."""

    failing = False

    def save_attributes(self, request_envelope, attributes):
        if self.failing:
            raise PersistenceException("cannot write")
        super().save_attributes(request_envelope, attributes)


def test_a_reminder_whose_token_cannot_be_stored_is_taken_back(tmp_path):
    store = SavesFail(tmp_path / "s.db")
    fake = FakeReminders(granted=True)
    talk = person(store, fake)
    store.failing = True
    turn = talk.intent("RemindMeIntent")
    assert turn.speech.startswith(PHRASES["reminder_failed"])
    assert fake.reminders == {}, "no reminder the skill could not find again"


def test_a_changed_date_moves_the_reminder_and_an_over_date_cancels_it(store):
    fake = FakeReminders(granted=True)
    talk = person(store, fake)
    talk.intent("RemindMeIntent")
    talk.intent("SetSurgeryDateIntent", {"date": "2026-11-12"})
    moved = talk.intent("AMAZON.YesIntent")
    assert "until Thursday, December 24th, before any heavy lifting" in moved.speech
    assert "I've moved your reminder to that day, at 10 in the morning." in moved.speech
    (only,) = fake.active
    assert only["trigger"]["scheduledTime"] == "2026-12-24T10:00:00"
    assert stored(store)["reminder"] == {"token": only["alertToken"]}
    talk.intent("SetSurgeryDateIntent", {"date": "2026-09-01"})
    over = talk.intent("AMAZON.YesIntent")
    assert PHRASES["reminder_removed"] in over.speech
    assert fake.active == [] and "reminder" not in stored(store)


def test_forgetting_the_date_cancels_the_reminder_and_keeps_nothing(store):
    fake = FakeReminders(granted=True)
    talk = person(store, fake)
    talk.intent("RemindMeIntent")
    talk.intent("ForgetSurgeryDateIntent")
    done = talk.intent("AMAZON.YesIntent")
    assert done.speech.startswith(f"{PHRASES['forgotten']} {PHRASES['reminder_removed']}")
    assert fake.active == [] and stored(store) == {}


def test_forgetting_the_date_with_the_api_down_still_forgets_and_says_the_reminder_stays(store):
    fake = FakeReminders(granted=True)
    talk = person(store, fake)
    talk.intent("RemindMeIntent")
    fake.mode = "down"
    talk.intent("ForgetSurgeryDateIntent")
    done = talk.intent("AMAZON.YesIntent")
    assert PHRASES["forgotten"] in done.speech and PHRASES["reminder_cancel_failed"] in done.speech
    assert stored(store) == {}


def test_cancel_and_status(store):
    fake = FakeReminders(granted=True)
    talk = person(store, fake)
    assert talk.intent("ReminderStatusIntent").speech.startswith(PHRASES["reminder_status_no"])
    assert talk.intent("CancelReminderIntent").speech.startswith(PHRASES["reminder_nothing_to_cancel"])
    talk.intent("RemindMeIntent")
    assert talk.intent("ReminderStatusIntent").speech.startswith(
        "Yes. I'll remind you on Tuesday, December 22nd, at 10 in the morning")
    assert talk.intent("CancelReminderIntent").speech.startswith(PHRASES["reminder_cancelled"])
    assert fake.active == [] and "reminder" not in stored(store)
    talk.intent("RemindMeIntent")
    fake.mode = "down"
    assert talk.intent("CancelReminderIntent").speech.startswith(PHRASES["reminder_cancel_failed"])
    assert talk.intent("ReminderStatusIntent").speech.startswith(PHRASES["reminder_check_failed"])
    assert "token" in stored(store)["reminder"], "kept: the reminder is still there"


def test_a_reminder_that_rang_is_no_longer_reported(store):
    fake = FakeReminders(granted=True)
    talk = person(store, fake)
    talk.intent("RemindMeIntent")
    for reminder in fake.reminders.values():
        reminder["status"] = "COMPLETED"
    assert talk.intent("ReminderStatusIntent").speech.startswith(PHRASES["reminder_status_no"])
    assert "reminder" not in stored(store)


# ------------------------------------------------------------------ no reminder to give


@pytest.mark.parametrize("surgery, expected", [
    ("2026-09-01", "reminder_past"),  # six weeks over long ago
    ("2026-10-13", "reminder_past"),  # they end today: 10 a.m. may be gone
    (None, "reminder_need_date"),
])
def test_no_reminder_without_a_day_ahead(store, surgery, expected):
    fake = FakeReminders(granted=True)
    talk = person(store, fake, surgery=surgery)
    assert talk.intent("RemindMeIntent").speech.startswith(PHRASES[expected])
    assert fake.calls == []


def test_a_surgery_still_ahead_can_have_its_reminder(store):
    fake = FakeReminders(granted=True)
    talk = person(store, fake, surgery="2026-12-03")
    assert "Thursday, January 14th, 2027" in talk.intent("RemindMeIntent").speech
    assert fake.active[0]["trigger"]["scheduledTime"] == "2027-01-14T10:00:00"


@pytest.mark.parametrize("intent", ["RemindMeIntent", "ReminderStatusIntent", "CancelReminderIntent"])
def test_storage_down_is_said_and_the_api_left_alone(intent):
    fake = FakeReminders(granted=True)
    talk = CheckedConversation.build(BrokenStore(), zone="America/New_York", now=NOW, reminders=fake)
    assert talk.intent(intent).speech.startswith(recovery_content.load().timing["storage_down"])
    assert fake.calls == []


def test_two_voices_on_one_echo_each_have_their_own_reminder(store):
    fake = FakeReminders(granted=True)
    alice = person(store, fake, surgery=None, person_id="amzn1.ask.person.ALICE")
    bob = CheckedConversation.build(store, zone="America/New_York", now=NOW, reminders=fake,
                                    person_id="amzn1.ask.person.BOB")
    alice.intent("SetSurgeryDateIntent", {"date": SURGERY})
    alice.intent("AMAZON.YesIntent")
    assert alice.intent("AMAZON.YesIntent").speech.startswith("Done. I'll remind you on Tuesday, December 22nd")
    assert bob.intent("ReminderStatusIntent").speech.startswith(PHRASES["reminder_status_no"])
    assert bob.intent("CancelReminderIntent").speech.startswith(PHRASES["reminder_nothing_to_cancel"])
    assert len(fake.active) == 1


def test_an_emergency_wins_while_the_reminder_offer_waits(store):
    fake = FakeReminders(granted=True)
    talk = person(store, fake)
    talk.intent("LiftingIntent")
    emergency = talk.intent("SymptomIntent", [envelopes.slot("symptom", "chest pain")])
    assert emergency.speech.startswith("Call 911")
    assert fake.calls == []
    if not emergency.end_session:
        assert not talk.intent("AMAZON.YesIntent").asks_permission and fake.reminders == {}
