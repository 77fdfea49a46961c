"""Parts whose search key resembles a query that found nothing: "did you mean ...?".

On PostgreSQL, pg_trgm's word similarity against ``search_text``: the trigram index
``ix_parts_search_trgm`` finds the parts whose key has a stretch sharing at least
``SUGGEST_THRESHOLD`` of the query's trigrams (``search_text %> query``); at most
``SUGGEST_CANDIDATES`` of them are read, and the closest come first.

SQLite has no trigrams: the words of the search keys of the ``SUGGEST_VOCABULARY_PARTS``
most recently added active parts make a vocabulary; each query word that no vocabulary word
holds is replaced by its closest vocabulary word (``difflib``, ratio at least
``SUGGEST_CUTOFF``), and the parts matching the corrected words are the suggestions. The
work is bounded by that number of parts, whatever the size of the catalogue; a misspelt
word that only older parts hold finds nothing.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from persistence.models import Part
from persistence.parts import part_ids_matching
from persistence.search_text import SUBSTRING_MIN, word_matches

SUGGEST_THRESHOLD = 0.5
SUGGEST_CANDIDATES = 200
SUGGEST_VOCABULARY_PARTS = 5000
SUGGEST_CUTOFF = 0.75


def part_ids_resembling(session: Session, words: Sequence[str], *, limit: int) -> list[int]:
    """Ids of up to ``limit`` active parts resembling the folded query ``words``, closest
    first; none for a query shorter than three characters."""
    if len(" ".join(words)) < SUBSTRING_MIN:
        return []
    if session.get_bind().dialect.name == "postgresql":
        return _by_trigrams(session, " ".join(words), limit)
    return _by_vocabulary(session, words, limit)


def _by_trigrams(session: Session, query: str, limit: int) -> list[int]:
    session.execute(
        select(func.set_config("pg_trgm.word_similarity_threshold", str(SUGGEST_THRESHOLD), True))
    )
    near = (
        select(Part.id, Part.search_text)
        .where(Part.is_active, Part.search_text.op("%>")(query))
        .limit(SUGGEST_CANDIDATES)
        .subquery()
    )
    closeness = func.word_similarity(query, near.c.search_text)
    return list(
        session.scalars(select(near.c.id).order_by(closeness.desc(), near.c.id).limit(limit))
    )


def _by_vocabulary(session: Session, words: Sequence[str], limit: int) -> list[int]:
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
            return []
        corrected.append(close[0])
    if list(words) == corrected:
        return []
    return part_ids_matching(session, word_matches(corrected), exclude=None)[0][:limit]
