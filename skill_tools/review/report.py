"""What a clinician reviews and signs: every sentence the skill can say, where each comes from.

Built from the content the skill itself loads (:func:`skill.content.load`), so the report
shows exactly what the skill says; triage's families, word classes and reading rules come
from triage.yaml as written. The triage corpus is said to the whole skill in every dialog
state by :mod:`skill_tools.simulator.corpus`, so its results are what a person would have heard.

``since``: only the items whose YAML changed since a signed git revision, plus what was
removed (:mod:`skill_tools.review.changes`). The parts: ``shape`` (the report's data),
``items`` (from the content), ``article`` (where a source sentence stands), ``corpus_results``.
"""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from skill import content as recovery_content
from skill import countries
from skill_tools.review import changes, items
from skill_tools.review.article import Article
from skill_tools.review.corpus_results import corpus_results
from skill_tools.review.shape import Report, Section
from skill_tools.simulator import corpus as triage_corpus


def build(since: str | None = None, content=None, corpus_path: Path | str | None = None) -> Report:
    """The report for the packaged content (``content``: a loaded Content, for tests).

    ``corpus_path``: the triage corpus to run, a file or several (default the tuning set,
    skill_tools.simulator.corpus.TUNING; the held-out test set is not shown: nobody tunes on its
    sentences); it is said to the packaged skill, whatever ``content`` is."""
    content = content or recovery_content.load()
    raw = changes.raw_yaml()
    then = changes.raw_yaml_at(since) if since else None      # an unknown revision fails before the long part
    article = Article(recovery_content.article_text())
    levels, families = items.triage_parts(countries.render(raw.get("triage.yaml", {}), content.place), article)
    sections = [
        Section("numbers", f"Numbers said in {content.place.name} ({content.locale})",
                "Every phone number and service this report's answers name, with its public source, quote "
                "and the date it was checked. A number not confirmed on its official page is flagged: "
                "confirm it before signing. Other countries: recovery-skill review --country CODE.",
                [items.numbers_item(content.place)]),
        Section("topics", "Answers by topic",
                "Each question the skill answers: its first answer, what it adds when the person says yes "
                "to hearing more, and the article sentences the facts come from.",
                [items.topic_item(t, article) for t in content.topics.values()]),
        Section("timing", "Timing from the surgery date",
                "Said when the person's surgery date is stored. Words in braces are filled in by the skill.",
                [items.timing_item(content, article)]),
        Section("levels", "Answers by triage level",
                "What the skill says when a person describes a symptom, for each level of urgency.",
                levels),
        Section("families", "Triage families and their word lists",
                "The red-flag groups the skill listens for: the level and answer each leads to, what it "
                "adds when the red flag is denied or only asked about, its source, and every pattern and "
                "word class that puts a sentence in the group. In a pattern, a word in CAPITALS stands for "
                "any word of that class; the last item says how denials and questions are read.",
                families),
        Section("uncovered", "Subjects the article does not cover, and where the skill sends people",
                "Asked about something the article does not cover, the skill says so plainly, names who "
                "does know, and gives the nearest thing the article says.",
                items.subject_items(content, article)),
        Section("conversation", "Conversation",
                "Everything else the skill says: greetings, questions, confirmations. These carry no "
                "medical facts.",
                [items.phrases_item(content), items.last_resort_item()]),
    ]
    corpus, corpus_note = corpus_results(corpus_path or triage_corpus.TUNING, content)
    version, files = changes.content_version()
    revision, dirty = changes.git_revision()
    report = Report(version=version, files=files, revision=revision, dirty=dirty,
                    generated=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
                    sections=sections, corpus=corpus, corpus_note=corpus_note)
    if since:
        changes.keep_changes(report, raw, then, since)
    return report
