"""IRIs that every RDF serialiser accepts, whatever a record holds.

rdflib refuses to write an IRI with a space, ``{``, ``|``... in Turtle,
N-Triples and JSON-LD (it raises, and ckanext-dcat's views answer 500 for the
whole catalogue page). :func:`clean_graph` runs over one dataset's graph once
it is built, whatever profile or field put the IRI there (download and access
URLs, landing pages, ``dct:conformsTo``, licences, documentation, contact
URLs...):

* what RFC 3987 forbids in an IRI is percent-encoded as UTF-8: space,
  ``{ } | \\ ^ ` < > "`` and the control characters (C0, DEL, C1);
* non-ASCII characters that RFC 3987 allows (``ucschar``: letters with
  accents, for instance) are **kept**, as IRIs allow; the others (surrogates,
  non-characters, private use) are percent-encoded;
* an existing ``%XX`` is left alone (the function is idempotent);
* a value that cannot become an IRI at all is left out: no scheme, a scheme
  outside :data:`SCHEMES` (``javascript:``, ``data:``...), or a hierarchical
  scheme without a host (``http:arquivo.csv``). Every triple with such a
  node is omitted, and reported (:class:`Omitted`) to ``ckan mogi dcat
  validate``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from rdflib import Graph, URIRef
from rdflib.term import Node

#: Schemes an IRI of the catalogue may have (anything else is left out).
SCHEMES = frozenset({"http", "https", "ftp", "ftps", "sftp", "mailto", "tel", "urn"})
#: Schemes that need a host (``scheme://host/...``).
HIERARCHICAL = frozenset({"http", "https", "ftp", "ftps", "sftp"})

_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
#: ASCII characters RFC 3987 forbids anywhere in an IRI, and the controls.
_FORBIDDEN_ASCII = frozenset(' {}|\\^`<>"') | {chr(c) for c in range(0x20)} | {"\x7f"}
#: RFC 3987 ``ucschar`` and ``iprivate`` ranges (non-ASCII characters an IRI may hold).
_ALLOWED_RANGES = (
    (0xA0, 0xD7FF), (0xF900, 0xFDCF), (0xFDF0, 0xFFEF),
    (0x10000, 0x1FFFD), (0x20000, 0x2FFFD), (0x30000, 0x3FFFD), (0x40000, 0x4FFFD),
    (0x50000, 0x5FFFD), (0x60000, 0x6FFFD), (0x70000, 0x7FFFD), (0x80000, 0x8FFFD),
    (0x90000, 0x9FFFD), (0xA0000, 0xAFFFD), (0xB0000, 0xBFFFD), (0xC0000, 0xCFFFD),
    (0xD0000, 0xDFFFD), (0xE1000, 0xEFFFD),
)
#: Characters that may need work (the common case, a clean URL, matches none).
_SUSPECT = re.compile(r'[\x00-\x20{}|\\^`<>"\x7f-\U0010ffff]')


def _allowed_non_ascii(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in _ALLOWED_RANGES)


def _encode(char: str) -> str:
    if char < "\x80" and char not in _FORBIDDEN_ASCII:
        return char
    if char >= "\x80" and _allowed_non_ascii(char):
        return char
    data = char.encode("utf-8", errors="surrogatepass")
    return "".join(f"%{byte:02X}" for byte in data)


def escape(value: str) -> str:
    """``value`` with what an IRI cannot hold percent-encoded (see the module)."""
    if not _SUSPECT.search(value):
        return value
    return "".join(_encode(char) for char in value)


def to_iri(value: str) -> str | None:
    """The IRI form of ``value``, or ``None`` when it cannot be one."""
    text = value.strip()
    scheme = _SCHEME.match(text)
    if scheme is None or scheme.group(1).lower() not in SCHEMES:
        return None
    text = escape(text)
    if scheme.group(1).lower() in HIERARCHICAL:
        try:
            host = urlsplit(text).netloc
        except ValueError:
            return None
        if not host:
            return None
    return text


@dataclass(frozen=True)
class Omitted:
    """A triple left out because one of its nodes cannot be an IRI."""

    subject: str
    predicate: str
    value: str


def _fix(node: Node, cache: dict[str, str | None]) -> Node | None:
    """``node`` itself when it needs nothing (also every literal and blank node),
    its escaped IRI, or ``None`` when it cannot be an IRI."""
    if not isinstance(node, URIRef):
        return node
    text = str(node)
    if text in cache:
        fixed = cache[text]
    else:
        fixed = cache[text] = to_iri(text)
    if fixed is None:
        return None
    # The node itself, not an equal one: clean_graph replaces a triple only
    # when a node is not the one it holds.
    return node if fixed == text else URIRef(fixed)


def clean_graph(graph: Graph) -> list[Omitted]:
    """Escape every IRI of ``graph`` in place; drop the triples with one that
    cannot be an IRI. Returns what was dropped."""
    cache: dict[str, str | None] = {}
    omitted: list[Omitted] = []
    replace: list[tuple[tuple[Node, Node, Node], tuple[Node, Node, Node] | None]] = []
    for triple in graph:
        subject, predicate, obj = triple
        new_subject, new_obj = _fix(subject, cache), _fix(obj, cache)
        if new_subject is None or new_obj is None:
            bad = subject if new_subject is None else obj
            omitted.append(Omitted(str(subject), str(predicate), str(bad)))
            replace.append((triple, None))
        elif new_subject is not subject or new_obj is not obj:
            replace.append((triple, (new_subject, predicate, new_obj)))
    for old, new in replace:
        graph.remove(old)
        if new is not None:
            graph.add(new)
    return omitted
