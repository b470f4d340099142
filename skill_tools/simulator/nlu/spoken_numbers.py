"""Digits a tester types, as the words Alexa heard: "102.5" was said "one hundred two point five".

Alexa fills custom and AMAZON.SearchQuery slots with the words it recognised, and samples are words
only, so a typed number must reach the understanding (and the skill) as it would have been said.
"""
from __future__ import annotations

import re

_ONES = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
         "sixteen seventeen eighteen nineteen").split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
_NUMBER = re.compile(r"(?<![\w.])(\d{1,4})(?:\.(\d{1,2}))?(?![\w]|\.\d)")


def _below_hundred(n: int) -> str:
    if n < 20:
        return _ONES[n]
    tens, ones = divmod(n, 10)
    return _TENS[tens] + (f" {_ONES[ones]}" if ones else "")


def _whole(n: int) -> str:
    if 1900 <= n <= 2099 and n % 100 >= 10:          # a year: "twenty fifteen"
        return f"{_below_hundred(n // 100)} {_below_hundred(n % 100)}"
    words = []
    thousands, rest = divmod(n, 1000)
    if thousands:
        words.append(f"{_below_hundred(thousands)} thousand")
    hundreds, rest = divmod(rest, 100)
    if hundreds:
        words.append(f"{_ONES[hundreds]} hundred")
    if rest or not words:
        words.append(_below_hundred(rest))
    return " ".join(words)


# Said digit by digit: phone-style numbers ("nine one one") and any number written with a leading zero.
_DIGIT_BY_DIGIT = re.compile(r"0\d+|911|999|988|112|111|000")


def said(text: str) -> str:
    """The text with each number of up to four digits (and up to two decimals) in words."""
    def words(m: re.Match) -> str:
        whole, decimals = m.groups()
        if not decimals and _DIGIT_BY_DIGIT.fullmatch(whole):
            return " ".join(_ONES[int(d)] for d in whole)
        spoken = _whole(int(whole))
        if decimals:
            spoken += " point " + " ".join(_ONES[int(d)] for d in decimals)
        return spoken
    return _NUMBER.sub(words, text)
