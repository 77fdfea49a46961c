"""Parts close to a query that found nothing: "did you mean ...?".

Each query word that no known word holds is replaced by the closest known word, and the
parts matching the corrected words (as search finds them) are the suggestions. The known
words are those of the search keys of the ``SUGGEST_VOCABULARY_PARTS`` most recently
added active parts: the work stays bounded whatever the size of the catalogue, and a
misspelt word that only older parts hold finds nothing.

How close: on PostgreSQL pg_trgm's ``similarity`` (shared trigrams; at least
``SUGGEST_SIMILARITY``), on SQLite ``difflib``'s ratio (at least ``SUGGEST_CUTOFF``).

pg_trgm's trigram index could look for parts resembling the whole query directly
(``search_text %> query``), but on a large catalogue a misspelling shares trigrams with
much of it: at 1,000,000 parts that took up to 470 ms ("rhenum" shares "  r" and "um "
with some hundred thousand parts), against some 15 ms for the words of 1,000 parts.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from sqlalchemy import Text, bindparam, func, select, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from persistence.models import Part
from persistence.parts import part_ids_matching
from persistence.search_text import SUBSTRING_MIN, word_matches

SUGGEST_VOCABULARY_PARTS = 1000
SUGGEST_SIMILARITY = 0.3
SUGGEST_CUTOFF = 0.75

# For each typed word: whether a known word holds it, and the closest known word.
_CLOSEST_WORDS = text(
    """
    WITH known AS (
        SELECT DISTINCT unnest(string_to_array(btrim(recent.search_text), ' ')) AS word
        FROM (SELECT search_text FROM parts WHERE is_active ORDER BY id DESC LIMIT :parts)
            AS recent
    )
    SELECT typed.word,
        EXISTS (SELECT 1 FROM known WHERE strpos(known.word, typed.word) > 0),
        (SELECT known.word FROM known WHERE known.word % typed.word
            ORDER BY similarity(known.word, typed.word) DESC, known.word LIMIT 1)
    FROM unnest(:typed) WITH ORDINALITY AS typed(word, n)
    ORDER BY typed.n
    """
).bindparams(bindparam("typed", type_=ARRAY(Text)))


def part_ids_resembling(session: Session, words: Sequence[str], *, limit: int) -> list[int]:
    """Ids of up to ``limit`` active parts matching the folded query ``words`` once its
    misspelt words are corrected, in catalogue order; none when nothing needed
    correcting, nothing close was known, or the query is shorter than three characters."""
    if len(" ".join(words)) < SUBSTRING_MIN:
        return []
    if session.get_bind().dialect.name == "postgresql":
        corrected = _closest_by_trigrams(session, words)
    else:
        corrected = _closest_by_difflib(session, words)
    if corrected is None or corrected == list(words):
        return []
    return part_ids_matching(session, word_matches(corrected), exclude=None)[0][:limit]


def _closest_by_trigrams(session: Session, words: Sequence[str]) -> list[str] | None:
    session.execute(
        select(func.set_config("pg_trgm.similarity_threshold", str(SUGGEST_SIMILARITY), True))
    )
    rows = session.execute(
        _CLOSEST_WORDS, {"parts": SUGGEST_VOCABULARY_PARTS, "typed": list(words)}
    ).all()
    corrected = [word if known else closest for word, known, closest in rows]
    return None if None in corrected else corrected


def _closest_by_difflib(session: Session, words: Sequence[str]) -> list[str] | None:
    keys = session.scalars(
        select(Part.search_text)
        .where(Part.is_active)
        .order_by(Part.id.desc())
        .limit(SUGGEST_VOCABULARY_PARTS)
    )
    vocabulary = sorted({word for key in keys for word in key.split()})
    corrected = []
    for word in words:
        if any(word in known for known in vocabulary):
            corrected.append(word)
            continue
        close = difflib.get_close_matches(word, vocabulary, n=1, cutoff=SUGGEST_CUTOFF)
        if not close:
            return None
        corrected.append(close[0])
    return corrected
