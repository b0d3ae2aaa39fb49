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
import unicodedata
from functools import lru_cache

import snowballstemmer

# At most 255 characters a word, as Solr's standard tokenizer (maxTokenLength):
# longer runs become several words. PostgreSQL refuses lexemes of 2,047 bytes
# or more; words here are ASCII, so they stay far below.
MAX_WORD = 255
_WORD_RE = re.compile(rf"[a-z0-9]{{1,{MAX_WORD}}}")

# Irregular plurals Snowball leaves apart (``municipais`` vs ``municipal``,
# ``pães`` vs ``pão``), reduced to the singular first, as RSLP's plural step
# does. Folded suffix -> singular suffix; the first match applies.
_PLURALS: tuple[tuple[str, str], ...] = (
    ("oes", "ao"),
    ("aes", "ao"),
    ("aos", "ao"),
    ("ais", "al"),
    ("eis", "el"),
    ("ois", "ol"),
    ("uis", "ul"),
    ("ns", "m"),
)

# Folded suffix -> the accented spelling the Snowball rules expect.
# Longest suffixes first; only the first match applies.
_SUFFIX_ACCENTS: tuple[tuple[str, str], ...] = (
    ("coes", "ções"),
    ("cao", "ção"),
    ("encias", "ências"),
    ("encia", "ência"),
    ("ancias", "âncias"),
    ("ancia", "ância"),
    ("aveis", "áveis"),
    ("avel", "ável"),
    ("iveis", "íveis"),
    ("ivel", "ível"),
    ("ao", "ão"),
)

# Articles, prepositions and conjunctions that carry no meaning in a search.
STOPWORDS = frozenset(
    "a o as os um uma uns umas de da do das dos e em no na nos nas ao aos "
    "para por pela pelo pelas pelos com sem sob sobre ou que se".split()
)

_stemmer = snowballstemmer.stemmer("portuguese")


def fold(text: str) -> str:
    """Lower-case ``text`` and strip its diacritics (``Saúde`` -> ``saude``)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Stem one folded word so that singular, plural and accents agree."""
    if len(word) < 3 or word.isdigit():
        return word
    for plural, singular in _PLURALS:
        if word.endswith(plural) and len(word) > len(plural):
            word = word[: -len(plural)] + singular
            break
    for plain, accented in _SUFFIX_ACCENTS:
        if word.endswith(plain) and len(word) > len(plain) + 1:
            word = word[: -len(plain)] + accented
            break
    return fold(_stemmer.stemWord(word))


def words(text: str) -> list[str]:
    """The folded words of ``text``, stop words included, in order."""
    return _WORD_RE.findall(fold(text))


def terms(text: str, keep_stopwords: bool = False) -> list[str]:
    """The index/query terms of ``text``: folded, stemmed, in order."""
    return [stem(w) for w in words(text) if keep_stopwords or w not in STOPWORDS]


def prefix_terms(text: str) -> list[str]:
    """Terms for a prefix (``licit*``): folded but not stemmed."""
    return words(text)
