"""Portuguese folding and stemming shared by indexing and querying.

Both sides of a match go through :func:`terms`, so ``LICITAÇÕES``,
``licitação`` and ``licitacoes`` all become the same term.

Why not PostgreSQL's ``unaccent`` + ``portuguese_stem``: the Snowball
Portuguese algorithm is written for accented words, so after ``unaccent``
it stems ``licitacoes`` to ``licitaco`` but ``licitacao`` to ``licitaca``.
Here words are folded first (every spelling becomes one canonical form),
then the accents Snowball keys on are restored on the suffix, and only then
stemmed: ``licitacoes`` -> ``licitações`` -> ``licit``.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from importlib.resources import files
from typing import Any

import snowballstemmer
import yaml

from ckanext.mogi.common.text import fold

# At most 255 characters a word, as Solr's standard tokenizer (maxTokenLength):
# longer runs become several words. PostgreSQL refuses lexemes of 2,047 bytes
# or more; words here are ASCII, so they stay far below.
MAX_WORD = 255
_WORD_RE = re.compile(rf"[a-z0-9]{{1,{MAX_WORD}}}")

#: Plurals, accented suffixes and stop words (``portuguese.yaml``).
DATA_FILE = "portuguese.yaml"


@cache
def _data() -> dict[str, Any]:
    text = files(__package__).joinpath(DATA_FILE).read_text(encoding="utf-8")
    return yaml.safe_load(text)


@cache
def _pairs(name: str) -> tuple[tuple[str, str], ...]:
    return tuple((str(a), str(b)) for a, b in _data()[name])


@cache
def stopwords() -> frozenset[str]:
    """Articles, prepositions and conjunctions that carry no meaning in a search."""
    return frozenset(_data()["stopwords"].split())


_stemmer = snowballstemmer.stemmer("portuguese")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Stem one folded word so that singular, plural and accents agree."""
    if len(word) < 3 or word.isdigit():
        return word
    for plural, singular in _pairs("plurals"):
        if word.endswith(plural) and len(word) > len(plural):
            word = word[: -len(plural)] + singular
            break
    for plain, accented in _pairs("suffix_accents"):
        if word.endswith(plain) and len(word) > len(plain) + 1:
            word = word[: -len(plain)] + accented
            break
    return fold(_stemmer.stemWord(word))


def words(text: str) -> list[str]:
    """The folded words of ``text``, stop words included, in order."""
    return _WORD_RE.findall(fold(text))


def terms(text: str, keep_stopwords: bool = False) -> list[str]:
    """The index/query terms of ``text``: folded, stemmed, in order."""
    return [stem(w) for w in words(text) if keep_stopwords or w not in stopwords()]


def prefix_terms(text: str) -> list[str]:
    """Terms for a prefix (``licit*``): folded but not stemmed."""
    return words(text)
