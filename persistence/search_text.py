"""The search key of a part, and the query words matched against it.

A part's ``search_text`` holds its part number, name, category and manufacturer, each
folded (Unicode NFKC, then ``str.casefold``, then NFKC again), as words separated by single
spaces, with a space before each word: ``" μ-ventil ø6 mm valves festo ventil"`` for
"µ-Ventil Ø6 mm" in "Valves" by "Festo" (the micro sign becomes a Greek mu; the pieces
after punctuation come last, see below). Query words are folded the
same way here, in Python, so matching is a plain comparison of code points and gives the
same answer on SQLite, whose ``lower()`` folds only ASCII, and on PostgreSQL.

A query word of three characters or more matches anywhere in the key (a substring); a
shorter one matches the start of a word (``mm`` finds "6 mm", not "comma"): the space
before each word makes that ``LIKE '% mm%'``, which the trigram index serves. The letters
and digits that follow punctuation inside a word start words too (``ring`` in "o-ring",
``03`` in "fil-0312"), as the trigram index sees them: those pieces follow the words in
the key (``" vlv-6 μ-ventil ... festo 6 ventil"``), so that every part the index offers for
a short word holds it.

The key is kept by ``persistence.models`` on every write: an ORM insert or update of a
part (mapper events) and a Core ``insert(Part)`` (the column's default). A Core
``update(Part)`` that changes one of the four fields must set ``search_text`` itself
(``search_key``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

# The fields a part's key is made of, in this order.
KEY_FIELDS = ("part_number", "name", "category", "manufacturer")
# Query words shorter than this match the start of a word; longer ones match anywhere.
SUBSTRING_MIN = 3
_LETTERS_OR_DIGITS = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """``text`` as searches compare it: NFKC, case-folded (``ß`` -> ``ss``), NFKC again."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())


def search_key(*values: str | None) -> str:
    """The key of a part with these field values (``KEY_FIELDS`` order; None is skipped):
    its words, then the pieces of words that follow punctuation."""
    words = [word for value in values if value for word in fold(value).split()]
    pieces = [m.group() for word in words for m in _LETTERS_OR_DIGITS.finditer(word) if m.start()]
    return "".join(f" {word}" for word in words + pieces)


def query_words(query: str) -> list[str]:
    """The folded words of a query, each once, in the order typed."""
    return list(dict.fromkeys(fold(query).split()))


@dataclass(frozen=True)
class WordMatch:
    """How one query word is looked for in ``search_text``: a LIKE pattern (escaped with
    a backslash) and whether it is a word start (short words) or a substring."""

    word: str
    pattern: str
    word_start: bool


def _escaped(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_")


def word_matches(words: Iterable[str]) -> list[WordMatch]:
    """One ``WordMatch`` per folded query word."""
    found = []
    for word in words:
        start = len(word) < SUBSTRING_MIN
        pattern = f"% {_escaped(word)}%" if start else f"%{_escaped(word)}%"
        found.append(WordMatch(word=word, pattern=pattern, word_start=start))
    return found
