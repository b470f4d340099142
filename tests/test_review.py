"""The review report a clinician signs: printed by Chromium, read back from the PDF's pages.

The whole report is printed once for the module (``recovery-skill review``, as a person runs
it); its text comes back through pdftotext and its pages through pdftoppm, so the checks
are on what the clinician will hold, not on the HTML.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from skill import content as recovery_content
from skill import countries
from skill import triage
from skill_tools.review import changes as review_changes
from skill_tools.review import report as review_report
from skill_tools.review.article import split_sentences
from skill_tools.review.corpus_results import corpus_results
from skill_tools.review.render import chromium, html
from skill_tools.simulator import corpus as triage_corpus

ROOT = Path(__file__).resolve().parents[1]
C = recovery_content.load()
# triage.yaml as the report shows it: said for the default locale's country (its numbers filled in)
RAW = countries.render(yaml.safe_load((recovery_content.CONTENT_DIR / "triage.yaml").read_text(encoding="utf-8")),
                       recovery_content.load().place)
TOOLS = ("pdftotext", "pdftoppm")
# A few sentences of each outcome: the whole corpus in every dialog state takes most of a minute.
SMALL_CORPUS = [
    {"text": "my chest hurts", "level": "emergency", "family": "chest_pain"},          # right
    {"text": "what is kyphoplasty", "level": "emergency", "family": "chest_pain"},     # under-warned
    {"text": "my chest hurts", "level": "expected", "family": "soreness"},             # over-warned
    {"text": "what is kyphoplasty", "level": "not_alarm", "family": "false_alarm"},    # right
    {"level": "doctor"},                                                                # no text: left out
    {"text": "my back hurts", "level": "not_symptom"},                                  # old label: left out
]


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("corpus") / "corpus.yaml"
    path.write_text(yaml.safe_dump(SMALL_CORPUS))
    return path


FOOTER = re.compile(r"Content version [0-9a-f]+(?: \(changes since \S+\))?|Page \d+ of \d+")


def flat(text: str) -> str:
    """Words in one line, without hyphens (pdftotext joins a word the PDF broke at a hyphen) and
    without the tick boxes, which pdftotext may read into the middle of a table's sentence."""
    return re.sub(r"(?<=\w)-\s*(?=\w)", "", " ".join(text.replace("\u2610", " ").split()))


def body(text: str) -> str:
    """The report's text as one line, without the page footers that cut a list running over a page."""
    return flat(FOOTER.sub(" ", text))


@pytest.fixture(scope="module")
def printed(tmp_path_factory, small_corpus):
    if chromium() is None:
        pytest.skip("Debian's chromium is not installed (make setup installs it: scripts/install-system-packages.sh)")
    missing = [t for t in TOOLS if shutil.which(t) is None]
    if missing:
        pytest.skip(f"{', '.join(missing)} not installed (poppler-utils; make setup installs it)")
    out = tmp_path_factory.mktemp("review")
    done = subprocess.run([sys.executable, "-m", "skill_tools", "review", "--out", str(out), "--corpus", str(small_corpus)],
                          capture_output=True, text=True, timeout=180, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert f"wrote {out / 'review.pdf'}" in done.stdout
    pdf = out / "review.pdf"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(out / "page")], check=True)
    return out, text, sorted(out.glob("page-*.png"))


def test_every_sentence_the_skill_says_is_in_the_pdf(printed):
    _, text, _ = printed
    said = flat(text)
    sentences = [s for t in C.topics.values() for s in split_sentences(t.answer) + split_sentences(t.more)]
    sentences += [s for v in C.phrases.values() for s in split_sentences(v)]
    sentences += [s for v in C.timing.values() if isinstance(v, str) for s in split_sentences(v)]
    sentences += [s for spec in C.triage_text.values() for k, v in spec.items()
                  if isinstance(v, str) for s in split_sentences(v)]
    sentences += [s for f in C.families.values() for s in split_sentences(f.get("fact") or "")]
    sentences += [C.phrases["mentioned"].format(what=f["if_you"]) for f in C.families.values() if f.get("if_you")]
    sentences += [C.phrases["not_covered"].format(title=s.title) for s in C.subjects.values() if not s.topic]
    sentences += list(C.referrals.values())
    sentences += [s for f in C.nearest_facts.values() for s in split_sentences(f.get("say") or "")]
    from skill.handlers.system import last_resort

    sentences += [last_resort(emergency=True), last_resort()]
    missing = [s for s in sentences if flat(s) not in said]
    assert not missing, f"not in the review PDF: {missing[:5]}"


def test_sources_are_placed_in_the_article_and_outside_facts_are_marked(printed):
    _, text, _ = printed
    said = flat(text)
    driving = C.topics["driving"]
    for source in driving.sources:
        assert flat(source) in said
    assert "(Restricted Activities, paragraph 1)" in said
    for note in (n for t in C.topics.values() for n in t.not_in_article):
        assert f"Not in the article: {flat(note)}" in said
    assert "NOT FOUND in the article" not in said
    notes = [n for t in C.topics.values() for n in t.review_notes]
    assert any("could not be confirmed" in n for n in notes), "the 95 percent attribution has its reviewer note"
    for note in notes:
        assert f"Reviewer note: {flat(note)}" in said


def test_triage_families_words_rules_corpus_version_and_sign_off_are_there(printed, small_corpus):
    _, text, _ = printed
    version, files = review_changes.content_version()
    assert f"Content version {version}" in flat(text)
    said = body(text)
    for name, digest in files:
        assert digest in said
    for section in ("Triage families and their word lists", "Triage test sentences: results by family and by dialog state",
                    "Version and sign-off", "Reviewing clinician", "Signature"):
        assert flat(section) in said
    for key, family in RAW["families"].items():                  # each family: its title, source, every pattern
        assert flat(family["title"]) in said, key
        assert flat(" ".join(family["source"].split())) in said, key
        for pattern in family.get("patterns", []):
            assert flat(str(pattern)) in said, (key, pattern)
    used = {c for f in RAW["families"].values() for p in f.get("patterns", []) for c in triage.word_classes(str(p))}
    for name in sorted(used):                                     # and the words of each word class it uses
        assert flat(f"{name} (word class) ({len(RAW['lexicon'][name])})") in said, name
        for word in RAW["lexicon"][name]:
            assert flat(str(word)) in said, (name, word)
    for word in RAW["negation"]["forward"] + RAW["hypothetical"]["triggers"] + RAW["not_findings"] \
            + RAW["still_findings"] + RAW["lexicon"]["PILL_TIMES"]:
        assert flat(str(word)) in said, word
    assert flat(C.phrases["safety_line"]) in said
    # The small corpus, said in every dialog state.
    for state in triage_corpus.STATES:
        assert flat(state) in said
    n, states = 4, len(triage_corpus.STATES)
    assert flat(f"{2 * states} of {n * states} answers were the one labelled ({n} sentences, each in {states} states)") in said
    assert flat(f"{states} under-warned") in said and "2 entries were left out" in said
    under = said.split(flat("Under-warned sentences"))[1].split(flat("Over-warned sentences"))[0]
    assert "“what is kyphoplasty”" in under and "“my chest hurts”" not in under


def test_the_pages_are_a4_numbered_and_not_blank(printed):
    _, text, pages = printed
    from PIL import Image

    assert len(pages) >= 5
    assert f"Page 1 of {len(pages)}" in text and f"Page {len(pages)} of {len(pages)}" in text
    words = text.split("\f")                                    # pdftotext ends each page with a form feed
    for number, page in enumerate(pages):
        assert FOOTER.sub("", words[number]).strip(), f"{page.name} has nothing but its footer"
        with Image.open(page) as im:
            assert abs(im.height / im.width - 297 / 210) < 0.02, "not an A4 page"
            body = im.convert("L").crop((0, 0, im.width, int(im.height * 0.9)))   # above the footer
            ink = sum(n for n, shade in body.getcolors() if shade < 128) / (im.width * im.height)
            assert ink > 0.0003, f"{page.name} is printed blank"
    # The "not in the article" boxes print in colour: the first topic page shows one.
    with Image.open(pages[1]) as im:
        colours = im.convert("RGB").getcolors(im.width * im.height)
        orange = sum(n for n, (r, g, b) in colours if r > 180 and 60 < g < 170 and b < 80)
    assert orange > 20


def test_nothing_is_cut_off_at_the_right_margin(printed):
    out, _, pages = printed
    from PIL import Image

    last = len(pages)
    subprocess.run(["pdftoppm", "-r", "100", "-png", "-f", str(last), "-l", str(last), str(out / "review.pdf"),
                    str(out / "sign")], check=True)
    with Image.open(next(out.glob("sign-*.png"))) as im:
        grey = im.convert("L")
        width, height = grey.size
        pixels = grey.load()
        # the comments box and sign-off table end in a vertical border line at the right margin (93%)
        longest = max(sum(1 for y in range(height) if pixels[x, y] < 200) for x in range(int(width * 0.88), width))
    assert longest > 100, "the right-hand borders of the sign-off page are clipped"


# ------------------------------------------------------------------ --since a signed revision


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True).stdout


@pytest.fixture
def signed_repo(tmp_path, monkeypatch):
    """A checkout whose content was signed at one revision and edited since."""
    content_dir = tmp_path / "skill" / "content"
    shutil.copytree(recovery_content.CONTENT_DIR, content_dir)
    git(tmp_path, "init", "-q")
    git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@t", "add", ".")
    git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "signed")
    signed = git(tmp_path, "rev-parse", "HEAD").strip()
    recovery = yaml.safe_load((content_dir / "recovery.yaml").read_text())
    recovery["topics"]["driving"]["answer"] = "Ask your surgeon before you drive again."
    del recovery["phrases"]["goodbye"]
    (content_dir / "recovery.yaml").write_text(yaml.safe_dump(recovery, sort_keys=False))
    monkeypatch.setattr(recovery_content, "CONTENT_DIR", content_dir)
    edited = recovery_content.Content.from_dicts(recovery, yaml.safe_load((content_dir / "triage.yaml").read_text()))
    return signed, edited


def test_since_a_signed_revision_shows_only_what_changed(signed_repo, small_corpus):
    signed, edited = signed_repo
    report = review_report.build(since=signed, content=edited, corpus_path=small_corpus)
    shown = {item.key: item.change for section in report.sections for item in section.items}
    assert shown == {"topic.driving": "changed", "phrases": "changed"}
    page = flat(html(report))
    assert "Ask your surgeon before you drive again." in page
    assert C.topics["lifting"].answer not in page                 # unchanged: left out
    assert ("recovery.yaml / phrases / goodbye", C.phrases["goodbye"]) in report.removed
    assert f"only what changed since revision {signed}" in page
    assert report.dirty                                          # edited after the signed commit


def test_an_unknown_revision_is_a_clear_error(tmp_path):
    done = subprocess.run([sys.executable, "-m", "skill_tools", "review", "--out", str(tmp_path), "--since", "no-such-rev"],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 1
    assert "cannot read revision 'no-such-rev'" in done.stderr
    assert "Traceback" not in done.stderr


def test_corpus_results_per_family_and_per_dialog_state(small_corpus, tmp_path):
    result, note = corpus_results(small_corpus, C)
    states = list(triage_corpus.STATES)
    assert note == "" and result.states == states and (result.sentences, result.skipped) == (4, 2)
    rows = {(label, family): row for label, family, row in result.families}
    chest = rows[("emergency", f"{C.families['chest_pain']['title']} (chest_pain)")]
    assert (chest.total, chest.right, chest.under) == (2 * len(states), len(states), len(states))
    assert rows[("expected", f"{C.families['soreness']['title']} (soreness)")].over == len(states)
    assert rows[("not_alarm", "false_alarm")].right == len(states)
    assert result.families[0][0] == "emergency"                         # most urgent first
    by_state = dict(result.by_state)
    assert [r.name for r in by_state["all"]] == states
    assert all((r.total, r.right, r.under, r.over) == (4, 2, 1, 1) for r in by_state["all"])
    assert [r.right for r in by_state["emergency"]] == [1] * len(states)
    under = [m for m in result.misses if m.outcome == "under"]
    assert [m.text for m in under] == ["what is kyphoplasty"]
    assert sum(under[0].heard.values(), []) == states and result.misses[0] is under[0]   # unsafe first
    assert (result.total.total, result.total.right) == (4 * len(states), 2 * len(states))

    both, _ = corpus_results([small_corpus, tmp_path / "not_written_yet.yaml"], C)
    assert (both.sentences, both.total.right, both.path) == (result.sentences, result.total.right, result.path)

    none, why = corpus_results(tmp_path / "missing.yaml", C)
    assert none is None and "No triage corpus" in why
    (tmp_path / "bad.yaml").write_text("- text: [unclosed")
    none, why = corpus_results(tmp_path / "bad.yaml", C)
    assert none is None and "could not be read" in why
