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
from skill.review import report as review_report
from skill.review.render import chromium, html
from skill.review.report import split_sentences

ROOT = Path(__file__).resolve().parents[1]
C = recovery_content.load()
TOOLS = ("pdftotext", "pdftoppm")


def flat(text: str) -> str:
    """Words in one line, without hyphens (pdftotext joins a word the PDF broke at a hyphen) and
    without the tick boxes, which pdftotext may read into the middle of a table's sentence."""
    return re.sub(r"(?<=\w)-\s*(?=\w)", "", " ".join(text.replace("\u2610", " ").split()))


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    if chromium() is None:
        pytest.skip("Debian's chromium is not installed (make setup installs it: scripts/install-system-packages.sh)")
    missing = [t for t in TOOLS if shutil.which(t) is None]
    if missing:
        pytest.skip(f"{', '.join(missing)} not installed (poppler-utils; make setup installs it)")
    out = tmp_path_factory.mktemp("review")
    done = subprocess.run([sys.executable, "-m", "skill", "review", "--out", str(out)],
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
    from skill.handlers import EMERGENCY_LAST_RESORT, LAST_RESORT

    sentences += [EMERGENCY_LAST_RESORT, LAST_RESORT]
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


def test_triage_words_corpus_version_and_sign_off_are_there(printed):
    _, text, _ = printed
    said = flat(text)
    version, files = review_report.content_version()
    assert f"Content version {version}" in said
    for name, digest in files:
        assert digest in said
    for section in ("Triage families and their word lists", "Triage test sentences: results by family",
                    "Version and sign-off", "Reviewing clinician", "Signature"):
        assert flat(section) in said
    for level, spec in C.triage_text.items():                    # word lists, one per level
        for term in spec.get("terms", [])[:20]:
            assert flat(term) in said, (level, term)
    for key, family in (getattr(C, "families", None) or {}).items():   # or clinical families
        assert flat(family["title"]) in said, key
    corpus, note = review_report.corpus_results(C)
    if corpus is None:
        assert flat(note) in said
    else:
        assert f"{corpus.right} of {corpus.total} reached their level" in said


def test_the_pages_are_a4_numbered_and_not_blank(printed):
    _, text, pages = printed
    from PIL import Image

    assert len(pages) >= 5
    assert f"Page 1 of {len(pages)}" in text and f"Page {len(pages)} of {len(pages)}" in text
    for page in pages:
        with Image.open(page) as im:
            assert abs(im.height / im.width - 297 / 210) < 0.02, "not an A4 page"
            grey = im.convert("L")
            ink = sum(n for n, shade in grey.getcolors() if shade < 128) / (im.width * im.height)
            assert ink > 0.002, f"{page.name} is blank"
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


def test_since_a_signed_revision_shows_only_what_changed(signed_repo):
    signed, edited = signed_repo
    report = review_report.build(since=signed, content=edited)
    shown = {item.key: item.change for section in report.sections for item in section.items}
    assert shown == {"topic.driving": "changed", "phrases": "changed"}
    page = flat(html(report))
    assert "Ask your surgeon before you drive again." in page
    assert C.topics["lifting"].answer not in page                 # unchanged: left out
    assert ("recovery.yaml / phrases / goodbye", C.phrases["goodbye"]) in report.removed
    assert f"only what changed since revision {signed}" in page
    assert report.dirty                                          # edited after the signed commit


def test_an_unknown_revision_is_a_clear_error(tmp_path):
    done = subprocess.run([sys.executable, "-m", "skill", "review", "--out", str(tmp_path), "--since", "no-such-rev"],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 1
    assert "cannot read revision 'no-such-rev'" in done.stderr
    assert "Traceback" not in done.stderr


def test_corpus_results_count_right_over_under_and_unrecognised_per_family(tmp_path):
    corpus = tmp_path / "tests" / "data" / "triage_corpus.yaml"
    corpus.parent.mkdir(parents=True)
    corpus.write_text(yaml.safe_dump([
        {"text": "my chest hurts", "level": "emergency", "family": "chest_pain"},
        {"text": "my back is a bit sore", "level": "emergency", "family": "chest_pain"},
        {"text": "my chest hurts", "level": "expected", "family": "soreness"},
        {"text": "the weather is nice today", "level": "doctor", "family": "tingling"},
        {"text": "what is kyphoplasty", "level": "not_symptom", "family": "false_alarm"},
        {"level": "doctor"},                                    # no text: skipped, not a crash
    ]))
    result, note = review_report.corpus_results(C, root=tmp_path)
    assert note == "" and result.path == "tests/data/triage_corpus.yaml"
    rows = {f.family: f for f in result.families}
    assert (rows["chest_pain"].total, rows["chest_pain"].right) == (2, 1)
    assert rows["chest_pain"].under == [("my back is a bit sore", "expected")]
    assert rows["soreness"].over == 1
    assert rows["tingling"].unrecognised == ["the weather is nice today"]
    assert rows["false_alarm"].right == 1
    assert (result.total, result.right, result.under, result.unrecognised) == (5, 2, 1, 1)
    assert [f.family for f in result.families][0] == "chest_pain"      # most urgent first

    none, why = review_report.corpus_results(C, root=tmp_path / "elsewhere")
    assert none is None and "No triage corpus" in why
