"""Quantities in report text: numbers with their unit, qualifier and the interval they stand for.

Our own Decimal tokenizer (cn2an works in binary floats and reads "一是" as a number). One compiled
regex finds candidate numbers; small per-match code reads the unit, magnitude and qualifiers around
each one. Everything is Decimal built from the digits as written, so "279.10" keeps two decimals.

Choices (documented here because callers rely on them):

- Money keeps the written magnitude in its unit: "391.39万元" is 391.39 万元, "1.2亿元" is 1.2 亿元,
  "三千五百万元" is 3500 万元; ``in_unit("元")`` converts. Likewise "10万人次" is 10 万人次. Any other
  magnitude is folded into the value: "5千" is 5000, "10万+" is 100000 (value kept as ``Decimal('1.0E+5')``
  so its interval reflects the precision written: "3.5万" stands for [34500, 35500]).
- Intervals: an exact figure stands for ``Interval.stated`` (half a unit in the last place written).
  余/多/几/+/以上/超过/逾/突破/≥/不低于/不少于 give ``Interval.at_least(value)``; 近/将近/以下/以内/
  不超过/不高于/≤/不足/不到 give ``Interval.at_most(value)``; 约/大约/左右/上下 give an interval unbounded on
  both sides: such a figure may still be compared by ``value`` to raise a warning, but never an error.
- A range "20-30个" / "三至五天" is ONE Quantity: ``value`` is the low end, ``upper`` the high end, the
  interval spans both stated ends, and it counts as approximate (qualifier is the separator). The
  high end must exceed the low end and carry the unit (or both be bare Arabic numbers: "20-30");
  otherwise the two numbers stand alone. A number after "<digit>-" that is no range's high end is
  part of a code ("0734-8888888") and is skipped.
- "达到95%" is an exact figure: 达到 reports a measured value as often as it states a target.
- Dates and years ("2024年", "2024年12月31日", "12月", "二〇二四年") are not amounts: they are left out
  unless ``include_dates=True``, then tagged ``kind="date"``/``"year"``. Document numbers ("〔2020〕10号"),
  numbers followed by 号, ordinals (第一, 第3届), heading markers ("一、", "1．", "（1）"), numbers glued
  to Latin letters ("5G", "H5") and identifiers with a leading zero ("0734") are never returned.
- A Chinese numeral counts only when a unit (or 百分之) goes with it ("三个", "二十余人"), so "一是",
  "二十大", "三湘四水" are not quantities. A lone 一 after 统/唯/每…, slogans "一户一策", and fixed
  phrases (一年来, 一次性, 一条龙) are skipped. ``parse_quantity`` (a whole table cell) accepts a bare
  numeral ("十二").
- Overlong digit runs (more than 15 integer digits: ID-card, account numbers) are identifiers, not amounts.
- "，" (full-width comma) is taken as a thousands separator only when a decimal part follows
  ("1，234.50"): in prose it separates list items, and "100，200个" must not become 100200.

The package, by what each part does (the names with a leading underscore are shared inside it only):
``scan`` finds the figures (``find_quantities``, ``parse_quantity``); ``plain`` reads the usual one
in one step and ``read`` every other; ``patterns`` holds the word tables and the regexes built from
them, ``units`` the unit words, ``chinese`` the Chinese numerals, ``width`` the full-width forms;
``quantity`` is what a figure becomes.
"""

from jixiao.review.quantities.quantity import Quantity, new_quantity
from jixiao.review.quantities.scan import find_quantities, parse_quantity
from jixiao.review.quantities.units import unit_words
from jixiao.review.quantities.width import written_forms

__all__ = ["Quantity", "find_quantities", "new_quantity", "parse_quantity", "unit_words", "written_forms"]
