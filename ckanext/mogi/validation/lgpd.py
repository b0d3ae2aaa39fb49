"""LGPD check: which columns of a table hold personal data.

One streaming pass over the rows, memory bounded by the number of columns
(a few counters and at most ``_DISTINCT_SAMPLE`` names per column), so a
table of millions of rows costs no more memory than one of a hundred.

Kinds and how a cell is recognised:

- ``cpf``: 11 digits, bare or ``000.000.000-00``, with a valid check digit
  (validate-docbr; repeated digits such as ``000.000.000-00`` are not CPFs).
  Masked CPFs (``***.456.789-**`` and similar with ``*``/``x``/``#``) count
  as *masked* CPFs. Under a CPF header, 9 or 10 digits are read as a CPF whose
  leading zeros a spreadsheet dropped. CNPJs (14 digits) never match.
- ``nis``: NIS/PIS/PASEP/NIT, 11 digits with a valid check digit.
- ``cns``: national health card (CNS), 15 digits passing the CNS rules.
- ``email``: an e-mail address filling the whole cell.
- ``telefone``: Brazilian phone numbers, formatted (``(11) 98765-4321``,
  ``4798-1234``, ``+55 11 ...``) or bare with area code; bare 8/9 digits
  only under a phone header.
- ``rg``: only under an RG header (``rg``, ``identidade``...) and only
  values shaped like an RG (``12.345.678-9``, 7 to 10 digits, final X).
- ``data_nascimento``: only under a birth-date header (``nascimento``,
  ``dt_nasc``...), values that are plausible dates (1900 to today).
- ``nome``: cells that look like a person's name (2 to 7 words, letters
  only, no company/school/place words) in a column whose header says it
  holds people (``nome``, ``nome_servidor``, ``paciente``...), or in any
  non-institutional column of a table that also holds one of the kinds
  above, when the names are mostly distinct.

Thresholds (share = cells with a hit / non-empty cells of the column):

- formats specific to a document (``000.000.000-00``, ``000.00000.00-0``,
  ``000 0000 0000 0000``) flag the column from the first valid hit: a
  formatted, check-digit-valid CPF is a CPF even among CNPJs;
- bare digits flag the column at ``SHARE_BARE`` (30 %: a random 11-digit
  code passes the CPF check 1 time in 100 and the PIS check 1 in 10) with at
  least ``MIN_BARE_HITS`` hits, or at ``SHARE_HINTED`` (5 %) when the header
  names the kind; when several kinds match the same cells, the most
  frequent wins (a CPF column is not also a NIS column);
- e-mail and phone flag at ``SHARE_CONTACT`` (30 %), but only in a table
  that also identifies people (another finding), or for e-mails at personal
  webmail domains: a school's or health unit's contact (``escola@sjc.sp.gov.br``)
  is public institutional information, not personal data;
- names and birth dates flag at ``SHARE_NAME`` (50 %).

``rows`` in a finding is the number of rows whose cell in that column holds
the kind (for masked CPFs: the masked ones). It is exact, except in a column
that shows personal data only after 1,000 clean cells (see ``_LEARN_CELLS``):
rows skipped while that column was quiet are not counted, so it is a lower
bound there.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice, repeat
from operator import itemgetter
from typing import Any

from validate_docbr import CNS, CPF, PIS

from ckanext.mogi.common import dates
from ckanext.mogi.validation import wordlists

KINDS = ("cpf", "email", "telefone", "nis", "cns", "rg", "data_nascimento", "nome")

# Kinds that identify a person on their own: an unmasked one blocks publication.
BLOCKING_KINDS = frozenset({"cpf", "nis", "cns", "rg"})

SHARE_BARE = 0.30
SHARE_HINTED = 0.05
SHARE_CONTACT = 0.30
SHARE_NAME = 0.50
MIN_BARE_HITS = 2
# Names must be mostly distinct (a column of 5 city names repeated is no list
# of people); judged on the first names seen in the column.
_DISTINCT_SAMPLE = 1000
_NAME_DISTINCT_RATIO = 0.5

# A column with no hint, no CNPJ and no hit in its first _LEARN_CELLS non-empty
# cells is "quiet": from then on only every _QUIET_STRIDE-th cell is looked at (shares
# are computed over the cells looked at); the first hit makes it loud again.
_LEARN_CELLS = 1000
_QUIET_STRIDE = 64
# A column whose first _LEARN_CELLS non-empty cells are (nearly) all masked CPFs
# in the federal pattern, or all person names, is "settled": its cells are then
# first tried against that one test, in bulk (same verdict, less work per cell).
_SETTLED_SHARE = 0.9
# Rows are handled in chunks, column by column.
_CHUNK_ROWS = 512

_CPF = CPF()
_PIS = PIS()
_CNS = CNS()

_CPF_FORMATTED = re.compile(r"\d{3}\.\d{3}\.\d{3}-\d{2}")
_PIS_FORMATTED = re.compile(r"\d{3}\.\d{5}\.\d{2}-\d")
_CNS_FORMATTED = re.compile(r"\d{3} \d{4} \d{4} \d{4}")
_CPF_MASKED = re.compile(r"[\d*xX#•]{3}\.?[\d*xX#•]{3}\.?[\d*xX#•]{3}-?[\d*xX#•]{2}")
_EMAIL = re.compile(r"[A-Za-z0-9._%+'-]+@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})")
_PHONE = re.compile(
    r"(?:\+?55[\s.-]?)?(?:\(0?[1-9]{2}\)\s?|0?[1-9]{2}[\s.-])?(?:9\s?\d{4}|[2-5]\d{3})[\s.-]?\d{4}"
)
_RG = re.compile(r"(?:\d{1,2}\.?\d{3}\.?\d{3}|\d{7,9})-?[\dxX]?")
_DATE_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_NAME_WORD = r"[^\W\d_]+(?:['’.-][^\W\d_]+)*\.?"
_NAME = re.compile(rf"{_NAME_WORD}(?: +{_NAME_WORD}){{1,6}}")
_DROP_PUNCT = str.maketrans("", "", " .-/()+")
_MASKED = re.compile(r"[*#•]|^[xX]{3}")
_CPF_MASKED_FEDERAL = re.compile(r"\s*\*{3}\.\d{3}\.\d{3}-\*{2}\s*")
_DIGITS_TO_ZERO = str.maketrans("123456789", "000000000")
_FEDERAL_MASKS = frozenset({"***.000.000-**", ""})
_DELETE_DIGITS = str.maketrans("", "", "0123456789")
@dataclass(frozen=True)
class _Words:
    """The word lists of ``data/lgpd.yaml`` (see the comments there)."""

    hints: tuple[tuple[str, frozenset[str], frozenset[str], tuple[str, ...]], ...]
    person: frozenset[str]
    institution: frozenset[str]
    institution_cell: frozenset[str]
    institution_cell_upper: frozenset[str]
    name_particles: frozenset[str]
    webmail: frozenset[str]


@functools.cache
def _words() -> _Words:
    data = wordlists.load("lgpd")
    cell_words = frozenset(data["institution_cell_words"])
    return _Words(
        hints=tuple(
            (
                kind,
                frozenset(spec.get("words") or ()),
                frozenset(spec.get("numbered_words") or ()),
                tuple(spec.get("within") or ()),
            )
            for kind, spec in data["header_hints"].items()
        ),
        person=frozenset(data["person_words"]),
        institution=frozenset(data["institution_words"]),
        institution_cell=cell_words,
        institution_cell_upper=frozenset(word.upper() for word in cell_words),
        name_particles=frozenset(data["name_particles"]),
        webmail=frozenset(data["webmail_domains"]),
    )


def _normalise(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")


def _header_hints(header: str) -> tuple[frozenset[str], bool, bool]:
    """(kinds the header names, header names people, header names institutions)."""
    norm = _normalise(header)
    tokens = set(norm.split("_"))
    squashed = norm.replace("_", "")
    words = _words()
    numbered = {token.rstrip("0123456789") for token in tokens}
    hints = {
        kind
        for kind, kind_words, numbered_words, within in words.hints
        if tokens & kind_words
        or numbered & numbered_words
        or any(part in squashed for part in within)
    }
    institution = bool(tokens & words.institution)
    person = bool(tokens & words.person) and not institution
    return frozenset(hints), person, institution


def _cell_text(value: Any) -> str | None:
    """The cell as stripped text, or None when empty or not textual/integral."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, str):
        text = value.strip()
        return text or None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else None
    return None


def _plausible_birth(year: int, month: int, day: int) -> bool:
    try:
        date = dt.date(year, month, day)
    except ValueError:
        return False
    return dt.date(1900, 1, 1) <= date <= dt.date.today()


def _is_birth_date(value: Any, text: str | None) -> bool:
    if isinstance(value, dt.date):
        return (
            dt.date(1900, 1, 1)
            <= (value.date() if isinstance(value, dt.datetime) else value)
            <= dt.date.today()
        )
    if text is None:
        return False
    match = dates.BR_DATE.match(text)
    if match:
        return _plausible_birth(int(match[3]), int(match[2]), int(match[1]))
    match = _DATE_ISO.match(text)
    if match:
        return _plausible_birth(int(match[1]), int(match[2]), int(match[3]))
    return False


def _is_person_name(text: str) -> bool:
    """2 to 7 words of letters, each capitalised or a particle (``da``, ``dos``),
    none a company/school/place word."""
    words = text.split()
    if not 2 <= len(words) <= 7 or not 5 <= len(text) <= 80:
        return False
    # Letters only is the common case; then apostrophes, hyphens, initials.
    if not ("".join(words).isalpha() or _NAME.fullmatch(text)):
        return False
    lists = _words()
    if text.isupper():  # the usual export: no case folding needed
        return lists.institution_cell_upper.isdisjoint(words)
    folded = text.casefold().split()
    if not lists.institution_cell.isdisjoint(folded):
        return False
    particles = lists.name_particles
    return all(
        word[0].isupper() or low in particles for word, low in zip(words, folded, strict=True)
    )


def _all_upper_names(joined: str, cells: list[str]) -> bool:
    """Every one of ``cells`` (``joined`` by newlines) is an upper-case person
    name with single spaces: what :func:`_is_person_name` accepts, tested with
    string methods over the whole list at once."""
    words = joined.split()
    return (
        "".join(words).isalpha()
        and "  " not in joined
        and " \n" not in joined
        and "\n " not in joined
        and joined[0] != " "
        and joined[-1] != " "
        and all(map(str.isupper, cells))
        and min(map(len, cells)) >= 5
        and max(map(len, cells)) <= 80
        and min(map(str.count, cells, repeat(" "))) >= 1
        and max(map(str.count, cells, repeat(" "))) <= 6
        and _words().institution_cell_upper.isdisjoint(words)
    )


class _Column:
    """Counters of one column; nothing grows with the number of rows but
    ``names`` (capped at ``_DISTINCT_SAMPLE``)."""

    __slots__ = (
        "index",
        "header",
        "hints",
        "person",
        "institution",
        "non_empty",
        "hits",
        "strong",
        "masked_cpf",
        "webmail",
        "names",
        "name_cells",
        "quiet",
        "settled",
        "cnpjs",
    )

    def __init__(self, index: int, header: str) -> None:
        self.index = index
        self.header = header
        self.hints, self.person, self.institution = _header_hints(header)
        self.non_empty = 0
        self.hits: dict[str, int] = {}
        self.strong: dict[str, int] = {}
        self.masked_cpf = 0
        self.webmail = 0
        self.names: set[str] = set()
        self.name_cells = 0
        self.quiet = False
        self.settled: str | None = None
        self.cnpjs = 0

    def _hit(self, kind: str, strong: bool = False) -> None:
        self.quiet = False
        self.hits[kind] = self.hits.get(kind, 0) + 1
        if strong:
            self.strong[kind] = self.strong.get(kind, 0) + 1

    def add(self, value: Any) -> None:
        self._check(value)
        if self.non_empty == _LEARN_CELLS:
            self._learnt()

    def _learnt(self) -> None:
        # Columns of CNPJs stay loud: CPFs of individual suppliers hide among them.
        if not (
            self.hits
            or self.masked_cpf
            or self.name_cells
            or self.hints
            or self.person
            or self.cnpjs
        ):
            self.quiet = True
        elif not self.hits and self.masked_cpf >= _SETTLED_SHARE * _LEARN_CELLS:
            self.settled = "cpf_masked"
        elif not self.hits and self.name_cells >= _SETTLED_SHARE * _LEARN_CELLS:
            self.settled = "nome"

    def add_many(self, values: list[Any]) -> None:
        """``add`` for each of ``values``, settled cells counted in bulk."""
        if self.settled is not None and self._add_all_settled(values):
            return
        if self.settled == "cpf_masked":
            match = _CPF_MASKED_FEDERAL.fullmatch
            rest = [v for v in values if not (type(v) is str and match(v))]
            self.masked_cpf += len(values) - len(rest)
        elif self.settled == "nome":
            rest = [v for v in values if not (type(v) is str and _is_person_name(v.strip()))]
            self.name_cells += len(values) - len(rest)
        else:
            rest = values
        self.non_empty += len(values) - len(rest)
        for value in rest:
            self.add(value)

    def _add_all_settled(self, values: list[Any]) -> bool:
        """Count ``values`` at once when every non-empty one passes the settled
        test, checked with string methods over the whole chunk (a stricter test
        than the cell-by-cell one, so nothing is counted that it would not
        count); False, with nothing counted, otherwise."""
        try:
            joined = "\n".join(values)
        except TypeError:  # not all strings
            return False
        if joined.count("\n") != len(values) - 1:  # empty, or newlines in cells
            return not values
        cells = list(filter(None, values))
        if not cells:
            return True
        if self.settled == "cpf_masked":
            if not set(joined.translate(_DIGITS_TO_ZERO).split("\n")) <= _FEDERAL_MASKS:
                return False
            self.masked_cpf += len(cells)
        else:
            if not _all_upper_names(joined, cells):
                return False
            self.name_cells += len(cells)
        self.non_empty += len(cells)
        return True

    def _check(self, value: Any) -> None:
        text = value.strip() or None if type(value) is str else _cell_text(value)
        hints = self.hints
        if text is None:
            if "data_nascimento" in hints and isinstance(value, dt.date):
                self.non_empty += 1
                if _is_birth_date(value, None):
                    self._hit("data_nascimento")
            return
        self.non_empty += 1
        if "data_nascimento" in hints and _is_birth_date(value, text):
            self._hit("data_nascimento")
            return
        first = text[0]
        if "@" in text:
            match = _EMAIL.fullmatch(text)
            if match:
                self._hit("email")
                if match[1].lower() in _words().webmail:
                    self.webmail += 1
            return
        if _MASKED.search(text):
            if _CPF_MASKED.fullmatch(text) and len(text) - len(text.translate(_DELETE_DIGITS)) >= 3:
                self.masked_cpf += 1
                self.quiet = False
        elif first.isdigit() or first in "(+":
            self._add_digits(text, hints)
        elif not self.institution and _is_person_name(text):
            self.quiet = False
            self.name_cells += 1
            if len(self.names) < _DISTINCT_SAMPLE:
                self.names.add(text.casefold())

    def _add_digits(self, text: str, hints: frozenset[str]) -> None:
        if "rg" in hints and _RG.fullmatch(text):
            self._hit("rg")
        digits = text.translate(_DROP_PUNCT)
        if not digits.isdigit():
            return
        size = len(digits)
        bare = digits == text
        if size == 11:
            cpf_shaped = bare or _CPF_FORMATTED.fullmatch(text) is not None
            pis_shaped = bare or (not cpf_shaped and _PIS_FORMATTED.fullmatch(text) is not None)
            if cpf_shaped and _CPF.validate(digits):
                self._hit("cpf", strong=not bare)
            if pis_shaped and _PIS.validate(digits):
                self._hit("nis", strong=not bare)
        elif size in (9, 10) and "cpf" in hints and bare:
            if _CPF.validate(digits.zfill(11)):
                self._hit("cpf")
        elif size == 14:
            self.cnpjs += 1
        elif size == 15:
            if _CNS.validate(digits):
                self._hit("cns", strong=_CNS_FORMATTED.fullmatch(text) is not None)
            return
        if (
            8 <= size <= 13
            and _PHONE.fullmatch(text)
            and (not bare or "telefone" in hints or self._bare_phone(digits))
        ):
            self._hit("telefone")

    @staticmethod
    def _bare_phone(digits: str) -> bool:
        """Bare digits are a phone only with a valid area code (DDD)."""
        if digits.startswith("55") and len(digits) in (12, 13):
            digits = digits[2:]
        if len(digits) == 11:
            return digits[0] != "0" and digits[1] != "0" and digits[2] == "9"
        if len(digits) == 10:
            return digits[0] != "0" and digits[1] != "0" and digits[2] in "2345"
        return False

    def document_kind(self) -> tuple[str, int] | None:
        """The identity-document or contact kind this column holds, if any."""
        if not self.non_empty:
            return None
        best: tuple[float, str, int] | None = None
        for kind, hits in self.hits.items():
            if kind in ("nome", "data_nascimento"):
                continue
            share = hits / self.non_empty
            if kind in ("email", "telefone"):
                flagged = share >= SHARE_CONTACT
            else:
                flagged = (
                    self.strong.get(kind, 0) > 0
                    or (share >= SHARE_BARE and hits >= MIN_BARE_HITS)
                    or (kind in self.hints and share >= SHARE_HINTED)
                )
            if flagged and (best is None or share > best[0]):
                best = (share, kind, hits)
        return (best[1], best[2]) if best else None


class Scanner:
    """The LGPD check fed one row at a time, for callers that already iterate
    the rows (a frictionless check, a copy): ``add(row)`` for each data row,
    then ``result()``. :func:`scan` is this over an iterable.

    Rows are kept in chunks of ``_CHUNK_ROWS`` and checked column by column;
    quiet columns (see ``_LEARN_CELLS``) only on every ``_QUIET_STRIDE``-th
    row, so the cost per row is that of the columns that may hold personal data.
    """

    def __init__(self, header: Sequence[Any]) -> None:
        self._columns = [
            _Column(index, str(name) if name is not None else "")
            for index, name in enumerate(header)
        ]
        self._chunk: list[Sequence[Any]] = []
        self._rows = 0

    def add(self, row: Sequence[Any]) -> None:
        self._chunk.append(row)
        if len(self._chunk) >= _CHUNK_ROWS:
            self._flush()

    def add_chunk(self, chunk: list[Sequence[Any]]) -> None:
        """``add`` for each row of ``chunk``, in one go."""
        self._flush()
        self._check_chunk(chunk)

    def _flush(self) -> None:
        chunk, self._chunk = self._chunk, []
        self._check_chunk(chunk)

    def _check_chunk(self, chunk: list[Sequence[Any]]) -> None:
        sample = chunk[-self._rows % _QUIET_STRIDE :: _QUIET_STRIDE]
        self._rows += len(chunk)
        for column in self._columns:
            rows = sample if column.quiet else chunk
            index = column.index
            try:
                values = list(map(itemgetter(index), rows))
            except IndexError:  # ragged rows: short ones have no such cell
                values = [row[index] for row in rows if index < len(row)]
            column.add_many(values)

    def result(self) -> dict:
        """``{"findings": [{"field", "kind", "rows", "masked"}]}`` in column order."""
        self._flush()
        return _findings(self._columns)


def scan(header: list[str], rows: Iterable[Sequence[Any]]) -> dict:
    """Findings of personal data, one per flagged column.

    ``{"findings": [{"field", "kind", "rows", "masked"}]}`` in column order.
    """
    scanner = Scanner(header)
    rows = iter(rows)
    while chunk := list(islice(rows, _CHUNK_ROWS)):
        scanner.add_chunk(chunk)
    return scanner.result()


def _findings(columns: list[_Column]) -> dict:
    found: dict[int, tuple[str, int, bool]] = {}
    for index, column in enumerate(columns):
        kind = column.document_kind()
        if kind is not None:
            found[index] = (kind[0], kind[1], False)
        elif column.masked_cpf and column.masked_cpf / column.non_empty >= SHARE_BARE:
            found[index] = ("cpf", column.masked_cpf, True)
        elif (
            "data_nascimento" in column.hits
            and column.non_empty
            and column.hits["data_nascimento"] / column.non_empty >= SHARE_NAME
        ):
            found[index] = ("data_nascimento", column.hits["data_nascimento"], False)

    identifies = any(kind not in ("email", "telefone") for kind, _, _ in found.values())
    for index, column in enumerate(columns):
        if index in found or not column.non_empty or column.institution:
            continue
        share = column.name_cells / column.non_empty
        distinct = (
            len(column.names) / min(column.name_cells, _DISTINCT_SAMPLE)
            if column.name_cells
            else 0.0
        )
        if share >= SHARE_NAME and (
            column.person or (identifies and distinct >= _NAME_DISTINCT_RATIO)
        ):
            found[index] = ("nome", column.name_cells, False)

    identifies = identifies or any(kind == "nome" for kind, _, _ in found.values())
    findings = []
    for index in sorted(found):
        kind, hits, masked = found[index]
        column = columns[index]
        if (
            kind in ("email", "telefone")
            and not identifies
            and (kind == "telefone" or column.webmail / column.non_empty < SHARE_CONTACT)
        ):
            continue
        findings.append({"field": column.header, "kind": kind, "rows": hits, "masked": masked})
    return {"findings": findings}


def blocks_publication(lgpd: dict | None) -> bool:
    """True when the table must not go public without a recorded justification.

    Unmasked CPF, NIS, CNS or RG identify a person on their own; a birth date
    does together with a name. E-mails, phones and names alone do not block
    (servants' names are public by law, institutional contacts are public).
    """
    findings = (lgpd or {}).get("findings") or []
    kinds = {f.get("kind") for f in findings if not f.get("masked")}
    return bool(kinds & BLOCKING_KINDS) or {"data_nascimento", "nome"} <= kinds


def _keep_digits(text: str, keep: Collection[int]) -> str:
    """``text`` with every digit whose index (among digits) is not kept as ``*``."""
    out = []
    index = 0
    for char in text:
        if char.isdigit():
            out.append(char if index in keep else "*")
            index += 1
        else:
            out.append(char)
    return "".join(out)


def mask_cpf(text: str) -> str:
    """``123.456.789-09`` or ``12345678909`` -> ``***.456.789-**``."""
    digits = text.translate(_DROP_PUNCT).zfill(11)
    return f"***.{digits[3:6]}.{digits[6:9]}-**"


def _mask_email(text: str) -> str:
    local, _, domain = text.partition("@")
    return f"{local[:1]}***@{domain}"


def _mask_name(text: str) -> str:
    """First name plus initials: ``Maria da Silva Souza`` -> ``Maria S. S.``."""
    words = text.split()
    particles = _words().name_particles
    rest = [w[0].upper() + "." for w in words[1:] if _normalise(w) not in particles]
    return " ".join([words[0], *rest])


def mask_value(kind: str, value: Any) -> Any:
    """One cell masked the way ``mask_rows`` does it; empty cells unchanged.

    cpf: ``***.456.789-**`` (federal transparency pattern); nis: the 5 middle
    digits kept (``***.45678.**-*``); cns, rg, telefone: only the last 4
    (cns, telefone) or 3 (rg) digits kept, punctuation kept; email:
    ``j***@dominio``; data_nascimento: only the year (``**/**/1985``);
    nome: first name and initials.
    """
    text = _cell_text(value) if not isinstance(value, dt.date) else value.isoformat()[:10]
    if text is None:
        return value
    if kind == "cpf":
        digits = text.translate(_DROP_PUNCT)
        # CNPJs of companies in a mixed CPF/CNPJ column stay as they are.
        return mask_cpf(text) if digits.isdigit() and 9 <= len(digits) <= 11 else text
    if kind == "nis":
        digits = text.translate(_DROP_PUNCT)
        return f"***.{digits[3:8]}.**-*" if digits.isdigit() and len(digits) == 11 else text
    if kind in ("cns", "telefone", "rg"):
        count = sum(c.isdigit() for c in text)
        last = 3 if kind == "rg" else 4
        return _keep_digits(text, range(count - last, count))
    if kind == "email":
        return _mask_email(text) if "@" in text else text
    if kind == "data_nascimento":
        match = _DATE_ISO.match(text) or dates.BR_DATE.match(text)
        if match is None:
            return text
        year = match[1] if len(match[1]) == 4 else match[3]
        return f"**/**/{year}"
    if kind == "nome":
        return _mask_name(text)
    return text


DEFAULT_MASKED_KINDS = frozenset(KINDS) - {"nome"}


def mask_rows(
    header: list[str],
    rows: Iterable[Sequence[Any]],
    lgpd: dict,
    kinds: Collection[str] = DEFAULT_MASKED_KINDS,
) -> Iterator[list[Any]]:
    """A masked copy of ``rows``: every flagged, unmasked column of a kind in
    ``kinds`` is masked cell by cell (see ``mask_value``).

    Names are kept by default, as in federal transparency tables (name plus
    masked CPF); pass ``kinds=KINDS`` to mask them too.
    """
    positions = {name: index for index, name in enumerate(header)}
    targets = [
        (positions[f["field"]], f["kind"])
        for f in lgpd.get("findings", [])
        if f["field"] in positions and f["kind"] in kinds and not f.get("masked")
    ]
    for row in rows:
        out = list(row)
        for index, kind in targets:
            if index < len(out):
                out[index] = mask_value(kind, out[index])
        yield out
