"""Whose is a sign joined on after a thing: "my husband was walking the dog and fainted" is his."""
from __future__ import annotations


def subject_tends(rules, before) -> bool:
    """A person said as the one doing something (``context.people`` or the speaker, not an owner or an
    object, ``context.other.not_subjects``) before the thing: the sign joined on after it ("was walking
    the dog AND fainted") is that person's, now; so is one a carrier phrase took (the words begin with the verb,
    ``context.other.subject_taken``: "my husband {was mowing the lawn and collapsed}", or with a verb in -ing whose
    object is the thing: "i was {walking my dog and fainted}"). With none ("the dog barked and fainted", "the
    {sleeping cat fell}") it is the thing's."""
    if before and before[0] in rules.other_subject_taken:
        return True
    if len(before) >= 2 and getattr(before[0], "raw", "").endswith("ing") and before[1] in rules.other_object_openers:
        return True
    return any((w in rules.people or w in rules.self_words) and w not in rules.other_not_subjects for w in before)
