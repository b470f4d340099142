"""``recovery-skill review``: the review report as HTML, and as PDF printed by headless Chromium.

The HTML is one self-contained file (styles inline), so it can be mailed or archived as is;
the PDF is what a clinician prints, reads and signs. Chromium is Debian's package
(``scripts/install-system-packages.sh``); without it the HTML is still written and the
command says how to get the PDF.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from skill_tools.review.changes import ReviewError
from skill_tools.review.report import build
from skill_tools.review.shape import Report
from skill_tools.simulator import corpus

PRINT_TIMEOUT = 120  # seconds; a few seconds is usual
# How the corpus labels are shown in the report's tables.
LABEL_TITLES = {"not_alarm": "not an alarm", "urgent": "urgent: surgeon's office now", "doctor": "doctor today"}


def html(report: Report) -> str:
    env = Environment(loader=PackageLoader("skill_tools.review", "templates"), autoescape=select_autoescape(["html"]),
                      trim_blocks=True, lstrip_blocks=True)
    return env.get_template("review.html").render(report=report, labels=corpus.LABELS, answer_words=corpus.ANSWER_WORDS,
                                                  label_titles=LABEL_TITLES)


def chromium() -> str | None:
    """Path of the Chromium binary, or None."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def print_pdf(html_path: Path, pdf_path: Path, browser: str) -> None:
    """Print ``html_path`` to ``pdf_path`` with headless Chromium (page footers come from the page's CSS)."""
    with tempfile.TemporaryDirectory(prefix="review-chromium-") as profile:
        command = [browser, "--headless", "--disable-gpu", "--no-first-run", "--disable-extensions",
                   f"--user-data-dir={profile}", "--no-pdf-header-footer", f"--print-to-pdf={pdf_path}",
                   html_path.resolve().as_uri()]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.insert(1, "--no-sandbox")       # Chromium refuses to run as root with its sandbox
        done = subprocess.run(command, capture_output=True, text=True, timeout=PRINT_TIMEOUT)
    if not pdf_path.exists() or pdf_path.stat().st_size == 0:
        detail = (done.stderr or "").strip().splitlines()[-1:] or [f"exit status {done.returncode}"]
        raise ReviewError(f"Chromium did not print the PDF ({detail[0]})")


def write(out: Path, since: str | None = None, *, pdf: bool = True, corpus_path: Path | None = None,
          locale: str = "en-US", country: str | None = None) -> tuple[Path, Path | None]:
    """Write review.html (and review.pdf) into ``out``, for the answers of ``locale`` said in
    ``country`` (default: the locale's own); returns their paths."""
    from skill import content

    report = build(since=since, corpus_path=corpus_path, content=content.load(locale, country and country.upper()))
    out.mkdir(parents=True, exist_ok=True)
    html_path = out / "review.html"
    tmp = html_path.with_suffix(".html.tmp")
    tmp.write_text(html(report), encoding="utf-8")
    tmp.replace(html_path)
    if not pdf:
        return html_path, None
    browser = chromium()
    if browser is None:
        raise ReviewError(f"wrote {html_path}, but no Chromium to print the PDF: "
                          "install Debian's chromium (scripts/install-system-packages.sh)")
    pdf_path = out / "review.pdf"
    pdf_path.unlink(missing_ok=True)
    print_pdf(html_path, pdf_path, browser)
    return html_path, pdf_path


def run_review(args) -> int:
    try:
        print("running the triage corpus through the skill in every dialog state (about a minute)...",
              file=sys.stderr, flush=True)
        html_path, pdf_path = write(Path(args.out), since=args.since,
                                    corpus_path=Path(args.corpus) if args.corpus else None,
                                    locale=args.locale, country=args.country)
    except (ReviewError, ValueError) as exc:   # ValueError: a locale the skill has no words for
        print(f"recovery-skill review: {exc}", file=sys.stderr)
        return 1
    except (OSError, subprocess.TimeoutExpired) as exc:
        print(f"recovery-skill review: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {html_path}")
    if pdf_path:
        print(f"wrote {pdf_path}")
    return 0
