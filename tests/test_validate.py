"""``recovery-skill validate``: the real project passes, and every rule catches its own breakage.

Each rule is shown on a copy of the project in tmp_path with one thing broken; the
problem must name the right file and the right place inside it.
"""
from __future__ import annotations

import json
import os
import shutil
import struct
import zlib
from pathlib import Path

import pytest

from skill_tools import validate
from skill_tools.validate import (
    LM,
    MANIFEST_FILE,
    MODEL_FILE,
    RECOVERY_FILE,
    HANDLERS_FILE,
    Problem,
    problems,
)
from skill_tools.validate.running import response_problems
from skill_tools.validate.ssml import ssml_problems

ROOT = Path(__file__).resolve().parents[1]
RESOURCES = "ask-resources.json"
CONFIG = "profiles.default.skillInfrastructure.userConfig"
LOCALE_INFO = "manifest.publishingInformation.locales.en-US"

@pytest.fixture(scope="module")
def real_problems():
    return problems(ROOT)


def errors(found):
    return [p for p in found if p.severity == "error"]


# ------------------------------------------------------------------ the real project


def test_the_real_project_validates_clean(real_problems):
    assert errors(real_problems) == []


def test_what_remains_before_submission_is_only_owner_input(real_problems):
    """Placeholder privacy URLs and icons not yet drawn: listed, but not errors."""
    todo = [p for p in real_problems if p.severity == "submission"]
    assert all(p.file == MANIFEST_FILE for p in todo)
    assert {p.path.rsplit(".", 1)[-1] for p in todo} <= {
        "privacyPolicyUrl",
        "termsOfUseUrl",
        "smallIconUri",
        "largeIconUri",
    }


def test_every_intent_of_the_real_model_was_sent_to_the_skill():
    report = validate.check(ROOT)
    model = json.loads((ROOT / MODEL_FILE).read_text())
    intents = model["interactionModel"]["languageModel"]["intents"]
    assert report.stats["intents"] == len(intents)
    assert report.stats["requests"] >= 2 * len(intents)


# ------------------------------------------------------------------ a copy to break


class Project:
    """A copy of the files validate reads (no icons), with helpers to break one of them."""

    def __init__(self, root: Path):
        self.root = root
        for name in validate.INPUT_FILES:
            target = root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if (ROOT / name).is_symlink():
                target.symlink_to(os.readlink(ROOT / name))
            else:
                shutil.copy2(ROOT / name, target)

    def read(self, name):
        return json.loads((self.root / name).read_text())

    def write(self, name, data):
        (self.root / name).write_text(json.dumps(data, indent=2))

    @property
    def model(self):
        return self.read(MODEL_FILE)

    @property
    def manifest(self):
        return self.read(MANIFEST_FILE)

    def intent_index(self, name):
        intents = self.model["interactionModel"]["languageModel"]["intents"]
        return next(i for i, it in enumerate(intents) if it["name"] == name)

    def edit_model(self, change):
        model = self.model
        change(model["interactionModel"]["languageModel"], model)
        self.write(MODEL_FILE, model)

    def edit_manifest(self, change):
        manifest = self.manifest
        change(manifest["manifest"])
        self.write(MANIFEST_FILE, manifest)

    def edit_resources(self, change):
        resources = self.read(RESOURCES)
        change(resources["profiles"]["default"])
        self.write(RESOURCES, resources)

    def problems(self):
        return problems(self.root)


@pytest.fixture
def project(tmp_path):
    return Project(tmp_path)


def intent(lm, name):
    return next(it for it in lm["intents"] if it["name"] == name)


def find(found, file, path, *words):
    """The problems at file/path whose message has every word."""
    return [p for p in found if p.file == file and p.path == path and all(w in p.message for w in words)]


def assert_problem(found, file, path, *words):
    hits = find(found, file, path, *words)
    assert hits, f"no problem at {file}: {path} with {words}; got:\n" + "\n".join(map(str, found))
    return hits


def test_an_untouched_copy_has_only_the_real_problems(project, real_problems):
    """The copy has no icons (the tests that want them add them); all else is as in the project."""

    def same(found):
        return sorted(p for p in found if "IconUri" not in p.path)

    assert same(project.problems()) == same(real_problems)


# ------------------------------------------------------------------ interaction model


def test_digits_in_a_sample(project):
    k = project.intent_index("DrivingIntent")
    project.edit_model(lambda lm, _: intent(lm, "DrivingIntent")["samples"].__setitem__(0, "can i drive in 2 weeks"))
    assert_problem(project.problems(), MODEL_FILE, f"{LM}.intents[{k}].samples[0]", "digits", "spell numbers out")


def test_punctuation_in_a_sample(project):
    k = project.intent_index("DrivingIntent")
    project.edit_model(lambda lm, _: intent(lm, "DrivingIntent")["samples"].__setitem__(1, "can i drive?"))
    assert_problem(project.problems(), MODEL_FILE, f"{LM}.intents[{k}].samples[1]", "only letters")


def test_apostrophes_initials_and_hyphens_are_words(project):
    def change(lm, _):
        intent(lm, "PainMedicineIntent")["samples"] += ["is it o. k. to take over-the-counter pills", "what's the kids' dose"]

    project.edit_model(change)
    k = project.intent_index("PainMedicineIntent")
    assert not [p for p in project.problems() if p.path.startswith(f"{LM}.intents[{k}].samples")]


def test_an_undeclared_slot(project):
    k = project.intent_index("DrivingIntent")
    project.edit_model(lambda lm, _: intent(lm, "DrivingIntent")["samples"].append("can i drive on {date}"))
    n = len(project.model["interactionModel"]["languageModel"]["intents"][k]["samples"]) - 1
    assert_problem(project.problems(), MODEL_FILE, f"{LM}.intents[{k}].samples[{n}]", "{date}", "not declared")


def test_a_slot_twice_in_one_sample(project):
    k = project.intent_index("SymptomIntent")
    project.edit_model(lambda lm, _: intent(lm, "SymptomIntent")["samples"].append("is {symptom} or {symptom} normal"))
    n = len(project.model["interactionModel"]["languageModel"]["intents"][k]["samples"]) - 1
    assert_problem(project.problems(), MODEL_FILE, f"{LM}.intents[{k}].samples[{n}]", "appears twice")


def test_a_sample_shared_by_two_intents(project):
    walk = project.intent_index("WalkingIntent")
    walk_sample = project.model["interactionModel"]["languageModel"]["intents"][walk]["samples"].index("can i walk")
    drive = project.intent_index("DrivingIntent")
    project.edit_model(lambda lm, _: intent(lm, "DrivingIntent")["samples"].append("can i walk"))
    n = len(project.model["interactionModel"]["languageModel"]["intents"][drive]["samples"]) - 1
    paths = {f"{LM}.intents[{walk}].samples[{walk_sample}]", f"{LM}.intents[{drive}].samples[{n}]"}
    found = [p for p in project.problems() if p.file == MODEL_FILE and p.path in paths and "one sample, one intent" in p.message]
    assert len(found) == 1
    (other,) = paths - {found[0].path}
    assert other in found[0].message, "the problem names both places"


def test_a_near_duplicate_apart_from_fillers(project):
    about = project.intent_index("AboutProcedureIntent")
    causes = project.intent_index("CausesIntent")
    project.edit_model(lambda lm, _: intent(lm, "CausesIntent")["samples"].append("what is the kyphoplasty"))
    n = len(project.model["interactionModel"]["languageModel"]["intents"][causes]["samples"]) - 1
    hits = assert_problem(project.problems(), MODEL_FILE, f"{LM}.intents[{causes}].samples[{n}]", "nearly duplicates")
    assert f"{LM}.intents[{about}].samples[0]" in hits[0].message


def test_a_near_duplicate_one_weak_word_apart(project):
    drive = project.intent_index("DrivingIntent")
    walk = project.intent_index("WalkingIntent")
    project.edit_model(lambda lm, _: intent(lm, "WalkingIntent")["samples"].append("can i not drive"))
    n = len(project.model["interactionModel"]["languageModel"]["intents"][walk]["samples"]) - 1
    first = project.model["interactionModel"]["languageModel"]["intents"][drive]["samples"].index("can i drive")
    hits = assert_problem(project.problems(), MODEL_FILE, f"{LM}.intents[{walk}].samples[{n}]", "'not'")
    assert f"{LM}.intents[{drive}].samples[{first}]" in hits[0].message


def test_a_different_content_word_is_not_a_near_duplicate(real_problems):
    """"can i drive" (DrivingIntent) and "can i walk" (WalkingIntent) are different questions."""
    assert not [p for p in real_problems if "'can i walk'" in p.message or "'can i drive'" in p.message]


def test_too_few_samples(project):
    k = project.intent_index("DrivingIntent")
    project.edit_model(lambda lm, _: intent(lm, "DrivingIntent").__setitem__("samples", ["can i drive"]))
    assert_problem(project.problems(), MODEL_FILE, f"{LM}.intents[{k}].samples", "at least 15")


@pytest.mark.parametrize(
    "name, words",
    [
        ("spine", ["two or more words"]),
        ("alexa spine helper", ["'alexa'", "wake word"]),
        ("open spine helper", ["'open'"]),
        ("spine recovery skill", ["'skill'"]),
        ("Spine Recovery Helper", ["lower case"]),
        ("spine recovery helper 2", ["letters only"]),
    ],
)
def test_invocation_name_rules(project, name, words):
    project.edit_model(lambda lm, _: lm.__setitem__("invocationName", name))
    assert_problem(project.problems(), MODEL_FILE, f"{LM}.invocationName", *words)


def test_a_missing_built_in(project):
    project.edit_model(
        lambda lm, _: lm.__setitem__("intents", [it for it in lm["intents"] if it["name"] != "AMAZON.NavigateHomeIntent"])
    )
    assert_problem(project.problems(), MODEL_FILE, f"{LM}.intents", "AMAZON.NavigateHomeIntent", "missing")


def test_an_undeclared_slot_type(project):
    k = project.intent_index("SymptomIntent")
    project.edit_model(lambda lm, _: intent(lm, "SymptomIntent")["slots"][0].__setitem__("type", "FeelingType"))
    assert_problem(project.problems(), MODEL_FILE, f"{LM}.intents[{k}].slots[0].type", "FeelingType", "not declared")


def test_a_built_in_slot_type_outside_the_allow_list(project):
    k = project.intent_index("SetSurgeryDateIntent")
    project.edit_model(lambda lm, _: intent(lm, "SetSurgeryDateIntent")["slots"][1].__setitem__("type", "AMAZON.Made_Up"))
    assert_problem(project.problems(), MODEL_FILE, f"{LM}.intents[{k}].slots[1].type", "AMAZON.Made_Up")


def test_a_synonym_shared_by_two_values(project):
    def change(lm, _):
        lm["types"][0]["values"][1]["name"]["synonyms"].append("chest pain")

    project.edit_model(change)
    n = len(project.model["interactionModel"]["languageModel"]["types"][0]["values"][1]["name"]["synonyms"]) - 1
    assert_problem(
        project.problems(), MODEL_FILE, f"{LM}.types[0].values[1].name.synonyms[{n}]", "'chest pain'", "CHEST_PAIN"
    )


def test_a_value_without_an_id(project):
    project.edit_model(lambda lm, _: lm["types"][0]["values"][2].pop("id"))
    assert_problem(project.problems(), MODEL_FILE, f"{LM}.types[0].values[2]", "without an id")


def test_a_dialog_prompt_that_does_not_exist(project):
    def change(lm, model):
        model["interactionModel"]["dialog"]["intents"][0]["slots"][0]["prompts"]["elicitation"] = "Elicit.Slot.Nowhere"

    project.edit_model(change)
    found = project.problems()
    assert_problem(found, MODEL_FILE, "interactionModel.dialog.intents[0].slots[0].prompts.elicitation", "Elicit.Slot.Nowhere")
    assert_problem(found, MODEL_FILE, "interactionModel.prompts[0].id", "never used")


def test_a_dialog_intent_or_slot_missing_from_the_language_model(project):
    def change(lm, model):
        dialog = model["interactionModel"]["dialog"]["intents"]
        dialog[0]["slots"][1]["name"] = "when"
        dialog.append({"name": "NoSuchIntent", "confirmationRequired": False, "prompts": {}, "slots": []})

    project.edit_model(change)
    found = project.problems()
    assert_problem(found, MODEL_FILE, "interactionModel.dialog.intents[0].slots[1].name", "when")
    assert_problem(found, MODEL_FILE, "interactionModel.dialog.intents[1].name", "NoSuchIntent")


# ------------------------------------------------------------------ running the skill


def test_an_intent_without_a_handler(project):
    samples = [f"tell me about my {w} please" for w in "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen".split()]
    project.edit_model(lambda lm, _: lm["intents"].append({"name": "HydrationIntent", "slots": [], "samples": samples}))
    n = len(project.model["interactionModel"]["languageModel"]["intents"]) - 1
    hits = assert_problem(project.problems(), MODEL_FILE, f"{LM}.intents[{n}]", "HydrationIntent")
    assert any("no handler answers HydrationIntent" in p.message for p in hits)


def test_the_skill_is_run_for_every_slot_value(project):
    """A symptom value the skill has never seen still gets a real answer, not an apology."""
    def change(lm, _):
        lm["types"][0]["values"].append({"id": "HICCUPS", "name": {"value": "hiccups", "synonyms": []}})

    project.edit_model(change)
    found = project.problems()
    # The skill answers (unknown-level triage) but the triage file does not sort the new id:
    n = len(project.model["interactionModel"]["languageModel"]["types"][0]["values"]) - 1
    assert_problem(found, MODEL_FILE, f"{LM}.types[0].values[{n}].id", "HICCUPS", "no triage level")
    k = project.intent_index("SymptomIntent")
    assert not find(found, MODEL_FILE, f"{LM}.intents[{k}]")


def test_an_intent_name_in_the_handlers_that_the_model_lacks(project):
    name = f"{HANDLERS_FILE}/system.py"
    handlers = project.root / name
    text = handlers.read_text()
    handlers.write_text(text + '\n\nEXTRA = "AMAZON.PauseIntent"\n')
    line = len((text + '\n\nEXTRA = "AMAZON.PauseIntent"\n').splitlines())
    assert_problem(project.problems(), name, f"line {line}", "AMAZON.PauseIntent")


def test_ssml_checks():
    assert ssml_problems("<speak>fine</speak>") == []
    assert any("well-formed" in m for m in ssml_problems("<speak>a & b</speak>"))
    assert any("at most 8000" in m for m in ssml_problems("<speak>" + "a" * 8000 + "</speak>"))


def test_response_size_and_apology_checks():
    from skill import speech

    big = {"response": {"outputSpeech": {"type": "SSML", "ssml": "<speak>hi</speak>"}}, "sessionAttributes": {"x": "y" * 30000}}
    assert [k for k, _ in response_problems(big, True, speech)] == ["size"]
    sorry = {"response": {"outputSpeech": {"type": "SSML", "ssml": "<speak>I'm sorry, something went wrong on my side.</speak>"}}}
    assert [k for k, _ in response_problems(sorry, True, speech)] == ["apology"]
    silent = {"response": {}}
    assert [k for k, _ in response_problems(silent, True, speech)] == ["speech"]


# ------------------------------------------------------------------ skill.json


def test_a_description_without_the_disclaimer(project):
    def change(m):
        info = m["publishingInformation"]["locales"]["en-US"]
        info["description"] = info["description"].replace("It is not medical advice", "It is friendly")

    project.edit_manifest(change)
    assert_problem(project.problems(), MANIFEST_FILE, f"{LOCALE_INFO}.description", "not medical advice")


def test_a_description_without_911(project):
    def change(m):
        info = m["publishingInformation"]["locales"]["en-US"]
        info["description"] = info["description"].replace("call 911", "get help")

    project.edit_manifest(change)
    assert_problem(project.problems(), MANIFEST_FILE, f"{LOCALE_INFO}.description", "911")


def test_an_example_phrase_that_is_not_a_sample(project):
    project.edit_manifest(
        lambda m: m["publishingInformation"]["locales"]["en-US"]["examplePhrases"].__setitem__(
            1, "Alexa, ask spine recovery helper to sing me a song"
        )
    )
    assert_problem(project.problems(), MANIFEST_FILE, f"{LOCALE_INFO}.examplePhrases[1]", "sing me a song", "not a sample")


def test_an_example_phrase_with_a_slot_value_that_the_type_lacks(project):
    project.edit_manifest(
        lambda m: m["publishingInformation"]["locales"]["en-US"]["examplePhrases"].__setitem__(
            2, "Alexa, ask spine recovery helper is a toothache normal"
        )
    )
    assert_problem(project.problems(), MANIFEST_FILE, f"{LOCALE_INFO}.examplePhrases[2]", "not a sample")


def test_example_phrases_fill_slots_with_values_of_their_type(project):
    project.edit_manifest(
        lambda m: m["publishingInformation"]["locales"]["en-US"]["examplePhrases"].__setitem__(
            2, "Alexa, ask spine recovery helper is pins and needles normal."
        )
    )
    assert not [p for p in project.problems() if "examplePhrases" in p.path]


def test_example_phrases_must_open_the_skill_by_name(project):
    project.edit_manifest(
        lambda m: m["publishingInformation"]["locales"]["en-US"]["examplePhrases"].__setitem__(0, "Alexa, open back helper")
    )
    assert_problem(project.problems(), MANIFEST_FILE, f"{LOCALE_INFO}.examplePhrases[0]", "must start with")


def test_at_most_three_example_phrases(project):
    project.edit_manifest(
        lambda m: m["publishingInformation"]["locales"]["en-US"]["examplePhrases"].append(
            "Alexa, ask spine recovery helper when can i drive again"
        )
    )
    assert_problem(project.problems(), MANIFEST_FILE, f"{LOCALE_INFO}.examplePhrases", "at most 3")


def test_skill_disabled_not_subscribed_by_ask_deploy(project):
    project.edit_resources(lambda p: p["skillInfrastructure"]["userConfig"]["skillEvents"]["subscriptions"].remove(
        "SKILL_DISABLED"))
    assert_problem(project.problems(), RESOURCES, f"{CONFIG}.skillEvents.subscriptions", "SKILL_DISABLED")


def as_web_service(profile):
    """ask-resources.json of the web-service path: the CLI deploys the skill package only."""
    del profile["code"], profile["skillInfrastructure"]


def test_as_a_web_service_the_manifest_carries_its_endpoint_and_events(project):
    project.edit_resources(as_web_service)
    found = project.problems()
    assert_problem(found, MANIFEST_FILE, "manifest.apis.custom.endpoint", "no endpoint")
    assert_problem(found, MANIFEST_FILE, "manifest.events", "SKILL_DISABLED")
    web = {"uri": "https://skill.spine-help.net/", "sslCertificateType": "Trusted"}

    def add_them(m):
        m["apis"]["custom"]["endpoint"] = web
        m["events"] = {"endpoint": web, "subscriptions": [{"eventName": "SKILL_ENABLED"}]}

    project.edit_manifest(add_them)
    found = project.problems()
    assert not find(found, MANIFEST_FILE, "manifest.apis.custom.endpoint")
    assert_problem(found, MANIFEST_FILE, "manifest.events.subscriptions", "SKILL_DISABLED")


def test_an_https_endpoint_needs_a_certificate_type(project):
    project.edit_manifest(lambda m: m["apis"]["custom"].__setitem__("endpoint", {"uri": "https://skill.spine-help.net/"}))
    found = project.problems()
    assert_problem(found, MANIFEST_FILE, "manifest.apis.custom.endpoint.sslCertificateType", "sslCertificateType")
    project.edit_manifest(
        lambda m: m["apis"]["custom"].__setitem__(
            "endpoint", {"uri": "https://skill.spine-help.net/", "sslCertificateType": "Wildcard"}
        )
    )
    assert not [p for p in project.problems() if p.path.startswith("manifest.apis.custom.endpoint")]


def test_personal_info_needs_a_privacy_policy(project):
    project.edit_manifest(lambda m: m["privacyAndCompliance"]["locales"]["en-US"].pop("privacyPolicyUrl"))
    hits = assert_problem(
        project.problems(), MANIFEST_FILE, "manifest.privacyAndCompliance.locales.en-US.privacyPolicyUrl", "usesPersonalInfo"
    )
    assert hits[0].severity == "error"


def test_a_real_privacy_policy_url_is_not_flagged(project):
    def change(m):
        m["privacyAndCompliance"]["locales"]["en-US"]["privacyPolicyUrl"] = "https://spine-help.net/privacy"

    project.edit_manifest(change)
    assert not find(project.problems(), MANIFEST_FILE, "manifest.privacyAndCompliance.locales.en-US.privacyPolicyUrl")


def test_an_unknown_category(project):
    project.edit_manifest(lambda m: m["publishingInformation"].__setitem__("category", "MEDICAL"))
    assert_problem(project.problems(), MANIFEST_FILE, "manifest.publishingInformation.category", "MEDICAL")


def png(width, height):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\x00\x80\xff" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def test_icons_of_the_right_size_clear_the_icon_items(project):
    images = project.root / "skill-package" / "assets" / "images"
    images.mkdir(parents=True)
    (images / "en-US_smallIcon.png").write_bytes(png(108, 108))
    (images / "en-US_largeIcon.png").write_bytes(png(500, 500))
    found = project.problems()
    assert not find(found, MANIFEST_FILE, f"{LOCALE_INFO}.smallIconUri")
    hits = assert_problem(found, MANIFEST_FILE, f"{LOCALE_INFO}.largeIconUri", "500x500", "512x512")
    assert hits[0].severity == "error"


# ------------------------------------------------------------------ content


def test_a_source_sentence_not_in_the_article(project):
    path = project.root / RECOVERY_FILE
    text = path.read_text()
    original = "Soft-tissue injury that results from the surgery may continue to bother some people after a kyphoplasty"
    assert original in text
    path.write_text(text.replace(original, "Soft-tissue injury always bothers people after a kyphoplasty", 1))
    assert_problem(project.problems(), RECOVERY_FILE, "topics.pain.sources[1]", "word for word")


def test_a_triage_family_whose_source_is_not_in_the_article(project):
    path = project.root / "skill/content/triage.yaml"
    text = path.read_text()
    original = "In rare cases, cement leakage can cause the substance to travel to the lungs or become infected."
    assert original in text
    path.write_text(text.replace(original, "Cement always travels to the lungs.", 1))
    assert_problem(project.problems(), "skill/content/triage.yaml", "families.breathing.source", "word for word")


def test_a_topic_whose_intent_is_not_in_the_model(project):
    path = project.root / RECOVERY_FILE
    path.write_text(path.read_text().replace("intent: WalkingIntent", "intent: StrollingIntent", 1))
    assert_problem(project.problems(), RECOVERY_FILE, "topics.walking.intent", "StrollingIntent")


# ------------------------------------------------------------------ output, exit code, package


def test_problem_prints_file_path_message():
    assert str(Problem("a.json", "x.y[1]", "broken")) == "a.json: x.y[1]: broken"
    assert str(Problem("a.json", "x", "later", "submission")) == "a.json: x: [before submission] later"


def test_run_prints_problems_and_exits_1_on_errors(project, monkeypatch, capsys):
    monkeypatch.chdir(project.root)
    project.edit_model(lambda lm, _: lm.__setitem__("invocationName", "spine"))
    assert validate.run(None) == 1
    out = capsys.readouterr().out.splitlines()
    assert f"{MODEL_FILE}: {LM}.invocationName: invocation name 'spine': two or more words" in out
    assert out[-1].startswith("validate: ")


def test_submission_items_fail_the_run_only_when_submitting(project, monkeypatch, capsys):
    monkeypatch.chdir(project.root)

    monkeypatch.delenv("RECOVERY_SKILL_SUBMISSION", raising=False)
    assert validate.run(None) == 0
    out = capsys.readouterr().out
    assert "[before submission]" in out
    assert out.splitlines()[-1].startswith("validate: passed: no problems;")
    monkeypatch.setenv("RECOVERY_SKILL_SUBMISSION", "1")
    assert validate.run(None) == 1
    assert capsys.readouterr().out.splitlines()[-1].startswith("validate: FAILED: ")


def test_validate_says_where_surgery_dates_are_kept(project, monkeypatch, capsys):
    monkeypatch.chdir(project.root)
    monkeypatch.setenv("RECOVERY_SKILL_REMEMBER", "session")
    project.edit_resources(lambda p: p["skillInfrastructure"]["userConfig"]["cfn"]["parameters"].update(
        RememberMode="session"))
    assert validate.run(None) == 0
    line = next(line for line in capsys.readouterr().out.splitlines() if "surgery dates:" in line)
    assert "Lambda (ask-resources.json RememberMode): session" in line
    assert "here (RECOVERY_SKILL_REMEMBER): session, kept in the session only" in line


def test_a_remember_mode_that_does_not_exist(project, monkeypatch):
    monkeypatch.setenv("RECOVERY_SKILL_REMEMBER", "always")
    project.edit_resources(lambda p: p["skillInfrastructure"]["userConfig"]["cfn"]["parameters"].update(
        RememberMode="forever"))
    found = project.problems()
    assert_problem(found, RESOURCES, f"{CONFIG}.cfn.parameters.RememberMode", "'forever'")
    assert_problem(found, "(environment)", "RECOVERY_SKILL_REMEMBER", "'always'", "session")


# ------------------------------------------------------------------ what ask deploy reads


def test_a_link_inside_the_skill_package_is_refused(project):
    """The ASK CLI zips links as links: SMAPI would get the link's text, not the file."""
    package = project.root / "skill-package"
    (package / "skill.json").rename(project.root / "real-skill.json")
    (package / "skill.json").symlink_to("../real-skill.json")
    assert_problem(project.problems(), RESOURCES, "profiles.default.skillMetadata.src", "skill-package/skill.json",
                   "symbolic link")


def test_a_copy_of_the_model_beside_the_package_is_refused(project):
    (project.root / "interaction_model").unlink()
    (project.root / "interaction_model").mkdir()
    shutil.copyfile(project.root / "skill-package/interactionModels/custom/en-US.json", project.root / MODEL_FILE)
    assert_problem(project.problems(), RESOURCES, "profiles.default.skillMetadata.src", "copy", MODEL_FILE)


def test_without_the_build_hook_ask_deploy_would_upload_lambda_alone(project):
    (project.root / "hooks" / "build.sh").chmod(0o644)
    assert_problem(project.problems(), RESOURCES, "profiles.default.code.default.src", "hooks/build.sh")


def test_the_stack_takes_what_the_cli_passes(project):
    template = project.root / "infrastructure" / "cfn-deployer" / "skill-stack.yaml"
    template.write_text(template.read_text().replace("  CodeVersion:\n    Type: String\n", ""))
    project.edit_resources(lambda p: p["skillInfrastructure"]["userConfig"]["cfn"]["parameters"].update(Colour="red"))
    found = project.problems()
    assert_problem(found, RESOURCES, f"{CONFIG}.templatePath", "CodeVersion")
    assert_problem(found, RESOURCES, f"{CONFIG}.cfn.parameters.Colour", "no parameter Colour")


def test_a_handler_the_code_does_not_define(project):
    project.edit_resources(lambda p: p["skillInfrastructure"]["userConfig"].update(handler="lambda_function.handle"))
    assert_problem(project.problems(), RESOURCES, f"{CONFIG}.handler", "defines no handle")


def test_help_readme_and_example_phrases_ask_what_the_model_really_understands():
    """The questions we teach people (help answer, README, skill.json) are exact samples of the model."""
    import re
    from datetime import date

    from skill import content
    from skill_tools.simulator.nlu import Understanding

    nlu = Understanding.from_model_file()
    help_text = content.load().phrases["help"]
    questions = [q.strip(" ,.").removeprefix("Or, ").removeprefix("or, ") for q in
                 re.findall(r"(?:ask,|\?)\s*([^?]+)\?", help_text)]
    manifest = json.loads((ROOT / "skill.json").read_text())["manifest"]
    examples = manifest["publishingInformation"]["locales"]["en-US"]["examplePhrases"]
    questions += [e.split("spine recovery helper", 1)[1] for e in examples if "ask spine recovery helper" in e]
    readme = (ROOT / "README.md").read_text()
    questions += re.findall(r'"Alexa, ask spine recovery helper ([^"?]+)\?"', readme)
    assert len(questions) >= 5
    for question in questions:
        meaning = nlu.parse(question.lower().replace(",", ""), date(2026, 11, 24), strict=True)
        assert meaning.intent != "AMAZON.FallbackIntent", question


# ------------------------------------------------------------------ every locale

EN_AU = validate.model_file("en-AU")


def test_every_locale_has_a_model_and_a_listing():
    manifest = json.loads((ROOT / MANIFEST_FILE).read_text())["manifest"]
    assert set(validate.LOCALES) == {"en-US", "en-GB", "en-CA", "en-AU", "en-IN"}
    assert set(manifest["publishingInformation"]["locales"]) == set(validate.LOCALES)
    assert set(manifest["privacyAndCompliance"]["locales"]) == set(validate.LOCALES)
    for locale in validate.LOCALES:
        assert (ROOT / "skill-package/interactionModels/custom" / f"{locale}.json").is_file()


def test_a_broken_en_au_model_is_reported_against_its_own_file(project):
    model = project.read(EN_AU)
    lm = model["interactionModel"]["languageModel"]
    k = next(i for i, it in enumerate(lm["intents"]) if it["name"] == "DrivingIntent")
    lm["intents"][k]["samples"][0] = "can i drive in 2 weeks"
    project.write(EN_AU, model)
    found = project.problems()
    assert_problem(found, EN_AU, f"{LM}.intents[{k}].samples[0]", "digits")
    assert not find(found, MODEL_FILE, f"{LM}.intents[{k}].samples[0]")


def test_a_locale_model_without_an_intent_of_en_us(project):
    model = project.read(EN_AU)
    lm = model["interactionModel"]["languageModel"]
    lm["intents"] = [it for it in lm["intents"] if it["name"] != "DrivingIntent"]
    project.write(EN_AU, model)
    assert_problem(project.problems(), EN_AU, f"{LM}.intents", "DrivingIntent", "missing")


def test_a_locale_model_with_another_invocation_name(project):
    model = project.read(validate.model_file("en-GB"))
    model["interactionModel"]["languageModel"]["invocationName"] = "spine recovery helper uk"
    project.write(validate.model_file("en-GB"), model)
    assert_problem(project.problems(), validate.model_file("en-GB"), f"{LM}.invocationName", "one name in every locale")


def test_a_missing_locale_model(project):
    (project.root / "skill-package/interactionModels/custom/en-IN.json").unlink()
    found = project.problems()
    assert_problem(found, validate.model_file("en-IN"), "", "missing")
    assert_problem(found, RESOURCES, "profiles.default.skillMetadata.src", "en-IN.json is missing")


def test_a_locale_model_that_no_listing_names_is_not_uploaded(project):
    shutil.copyfile(project.root / MODEL_FILE, project.root / "skill-package/interactionModels/custom/en-NZ.json")
    assert_problem(project.problems(), RESOURCES, "profiles.default.skillMetadata.src", "en-NZ.json", "no locale's model")


def test_a_locale_without_its_listing(project):
    project.edit_manifest(lambda m: m["publishingInformation"]["locales"].pop("en-IN"))
    assert_problem(project.problems(), MANIFEST_FILE, "manifest.publishingInformation.locales", "no en-IN")


@pytest.mark.parametrize("locale, number", [("en-GB", "999"), ("en-GB", "112"), ("en-AU", "000"), ("en-IN", "112"),
                                            ("en-CA", "911")])
def test_each_listing_names_its_own_emergency_number(project, locale, number):
    def change(m):
        info = m["publishingInformation"]["locales"][locale]
        info["description"] = info["description"].replace(number, "the emergency number")

    project.edit_manifest(change)
    assert_problem(project.problems(), MANIFEST_FILE, f"manifest.publishingInformation.locales.{locale}.description",
                   f"call {number}")


def test_a_listing_that_names_another_countrys_number(project):
    def change(m):
        info = m["publishingInformation"]["locales"]["en-AU"]
        info["description"] = info["description"].replace("triple zero (000)", "911")

    project.edit_manifest(change)
    assert_problem(project.problems(), MANIFEST_FILE, "manifest.publishingInformation.locales.en-AU.description",
                   "911 is not an emergency number")


def test_an_example_phrase_is_checked_against_its_own_locales_model(project):
    """ "do I need physio" is a sample of en-GB's model, not of en-US's."""
    def change(m):
        m["publishingInformation"]["locales"]["en-US"]["examplePhrases"][2] = \
            "Alexa, ask spine recovery helper do I need physio"

    assert "do i need physio" not in json.dumps(project.model)
    project.edit_manifest(change)
    found = project.problems()
    assert_problem(found, MANIFEST_FILE, f"{LOCALE_INFO}.examplePhrases[2]", "not a sample")
    assert not find(found, MANIFEST_FILE, "manifest.publishingInformation.locales.en-GB.examplePhrases[2]")


def test_the_device_country_permission_is_declared():
    manifest = json.loads((ROOT / MANIFEST_FILE).read_text())["manifest"]
    names = [p["name"] for p in manifest["permissions"]]
    assert "read::alexa:device:all:address:country_and_postal_code" in names
    assert "country_and_postal_code" in manifest["publishingInformation"]["testingInstructions"]


def test_the_skill_is_run_in_every_locale(monkeypatch):
    from skill_tools.validate import running

    seen = []
    original = running.run_skill
    monkeypatch.setattr(validate, "run_skill", lambda lm, model, report, locale, file: (
        seen.append((locale, file)), original(lm, model, report, locale, file)))
    validate.check(ROOT)
    assert seen == [(locale, validate.model_file(locale)) for locale in validate.LOCALES]
