"""Reading the published releases: public datasets only, parameterised SQL only.

Every query here goes through :func:`public` (active resource of an active,
public dataset, as CKAN's tables say now), so a dataset made private drops out
of every page, count and download at once. User input reaches SQL only as
bound parameters (SQLAlchemy Core); the text search is PostgreSQL's
``websearch_to_tsquery('portuguese', :q)`` on the accent-folded text.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from ckan import model

from ckanext.mogi.common.text import fold
from ckanext.mogi.ocds.model import import_table, release_table

R = release_table
#: Rows fetched at a time while a bulk download streams.
STREAM_BATCH = 500


def public() -> sa.ColumnElement[bool]:
    """Releases of an active resource of an active, public dataset."""
    pkg, res = model.package_table, model.resource_table
    return sa.and_(
        sa.exists().where(pkg.c.id == R.c.package_id, pkg.c.state == "active",
                          pkg.c.private.is_(False)),
        sa.exists().where(res.c.id == R.c.resource_id, res.c.state == "active"))


@dataclass(frozen=True)
class Filters:
    """What the search page asks (every field optional)."""

    q: str = ""
    buyer: str = ""
    modality: str = ""
    status: str = ""
    year: int | None = None

    def clauses(self) -> list[sa.ColumnElement[bool]]:
        found: list[sa.ColumnElement[bool]] = [public()]
        if self.q.strip():
            found.append(R.c.search.op("@@")(sa.func.websearch_to_tsquery(
                sa.literal_column("'portuguese'::regconfig"), fold(self.q.strip()))))
        for column, value in ((R.c.buyer, self.buyer), (R.c.modality, self.modality),
                              (R.c.status, self.status)):
            if value:
                found.append(column == value)
        if self.year is not None:
            found.append(R.c.year == self.year)
        return found


def search(filters: Filters, offset: int, limit: int) -> tuple[int, list[dict[str, Any]]]:
    """How many processes match, and a page of them (one row per ``ocid``, its
    newest matching release), newest first."""
    where = sa.and_(*filters.clauses())
    total = model.Session.execute(
        sa.select(sa.func.count(sa.distinct(R.c.ocid))).where(where)).scalar_one()
    latest = (sa.select(R.c.ocid, R.c.release, R.c.date, R.c.year)
              .where(where).distinct(R.c.ocid)
              .order_by(R.c.ocid, R.c.date.desc().nulls_last(), R.c.seq.desc())
              .subquery())
    rows = model.Session.execute(
        sa.select(latest).order_by(latest.c.year.desc().nulls_last(),
                                   latest.c.date.desc().nulls_last(), latest.c.ocid)
        .offset(offset).limit(limit)).all()
    return int(total), [dict(row._mapping) for row in rows]


def facets() -> dict[str, list[Any]]:
    """The values the search form offers: those of published releases."""
    found: dict[str, list[Any]] = {}
    for name, column in (("buyer", R.c.buyer), ("modality", R.c.modality),
                         ("status", R.c.status), ("year", R.c.year)):
        values = model.Session.execute(
            sa.select(column).where(public(), column.is_not(None)).distinct()).scalars()
        found[name] = sorted((v for v in values if v not in ("", None)),
                             reverse=name == "year")
    return found


def releases_of(ocid: str) -> list[dict[str, Any]]:
    """The public releases of one process, oldest first, each with its dataset."""
    rows = model.Session.execute(
        sa.select(R.c.release, R.c.package_id, R.c.resource_id)
        .where(R.c.ocid == ocid, public())
        .order_by(R.c.date.asc().nulls_first(), R.c.resource_id, R.c.seq)).all()
    return [dict(row._mapping) for row in rows]


def count_releases() -> int:
    """Distinct public releases (the same file published twice counts once)."""
    return int(model.Session.execute(
        sa.select(sa.func.count(sa.distinct(sa.tuple_(R.c.ocid, R.c.release_id))))
        .where(public())).scalar_one())


def count_processes() -> int:
    return int(model.Session.execute(
        sa.select(sa.func.count(sa.distinct(R.c.ocid))).where(public())).scalar_one())


def releases_page(offset: int, limit: int) -> list[dict[str, Any]]:
    rows = model.Session.execute(
        sa.select(R.c.release).where(public()).distinct(R.c.ocid, R.c.release_id)
        .order_by(R.c.ocid, R.c.release_id).offset(offset).limit(limit)).scalars()
    return list(rows)


def ocids_page(offset: int, limit: int) -> list[str]:
    return list(model.Session.execute(
        sa.select(R.c.ocid).where(public()).distinct().order_by(R.c.ocid)
        .offset(offset).limit(limit)).scalars())


def releases_by_ocid(ocids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    """The public releases of each of ``ocids``, oldest first."""
    found: dict[str, list[dict[str, Any]]] = {ocid: [] for ocid in ocids}
    if not ocids:
        return found
    rows = model.Session.execute(
        sa.select(R.c.ocid, R.c.release).where(R.c.ocid.in_(list(ocids)), public())
        .order_by(R.c.ocid, R.c.date.asc().nulls_first(), R.c.resource_id, R.c.seq))
    seen: set[tuple[str, str]] = set()
    for ocid, release in rows:
        if (ocid, release["id"]) not in seen:  # the same file published twice
            seen.add((ocid, release["id"]))
            found[ocid].append(release)
    return found


def stream_releases(year: int | None = None, package_id: str | None = None
                    ) -> Iterator[dict[str, Any]]:
    """Every public release (of a year, of a dataset), read in batches."""
    where = [public()]
    if year is not None:
        where.append(R.c.year == year)
    if package_id is not None:
        where.append(R.c.package_id == package_id)
    statement = (sa.select(R.c.release).where(*where).distinct(R.c.ocid, R.c.release_id)
                 .order_by(R.c.ocid, R.c.release_id)
                 .execution_options(yield_per=STREAM_BATCH))
    yield from model.Session.execute(statement).scalars()


def years() -> list[int]:
    return list(model.Session.execute(
        sa.select(R.c.year).where(public(), R.c.year.is_not(None)).distinct()
        .order_by(R.c.year)).scalars())


def last_import(package_id: str | None = None) -> Any:
    """When the published releases last changed (of a dataset, or all public ones)."""
    pkg = model.package_table
    statement = (sa.select(sa.func.max(import_table.c.imported_at))
                 .join(pkg, pkg.c.id == import_table.c.package_id)
                 .where(pkg.c.state == "active", pkg.c.private.is_(False),
                        import_table.c.releases > 0))
    if package_id is not None:
        statement = statement.where(import_table.c.package_id == package_id)
    return model.Session.execute(statement).scalar_one()


def public_datasets_with_releases(package_ids: Sequence[str]) -> dict[str, int]:
    """How many public releases each of these datasets has (only those with some)."""
    if not package_ids:
        return {}
    rows = model.Session.execute(
        sa.select(R.c.package_id, sa.func.count()).where(
            R.c.package_id.in_(list(package_ids)), public()).group_by(R.c.package_id))
    return {package_id: int(count) for package_id, count in rows}


def datasets_with_releases() -> frozenset[str]:
    """Ids of the datasets a resource of which has releases imported, whatever
    their visibility (callers check it): one statement over the import table,
    one row per imported resource."""
    rows = model.Session.execute(sa.select(import_table.c.package_id).where(
        import_table.c.releases > 0).distinct())
    return frozenset(package_id for (package_id,) in rows)


def dataset_size(package_id: str) -> tuple[int, int]:
    """How many distinct public releases the dataset has, and their bytes."""
    distinct = (sa.select(R.c.bytes).where(R.c.package_id == package_id, public())
                .distinct(R.c.ocid, R.c.release_id).subquery())
    count, total = model.Session.execute(
        sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(distinct.c.bytes), 0))
    ).one()
    return int(count), int(total)


def first_import(package_id: str) -> Any:
    """When the dataset first had releases imported (the distribution's issue date)."""
    return model.Session.execute(
        sa.select(sa.func.min(import_table.c.created)).where(
            import_table.c.package_id == package_id, import_table.c.releases > 0)
    ).scalar_one()


def dataset_links(package_ids: Sequence[str]) -> list[Mapping[str, str]]:
    """Name and title of each public dataset, for the process page's links."""
    if not package_ids:
        return []
    pkg = model.package_table
    rows = model.Session.execute(
        sa.select(pkg.c.name, pkg.c.title).where(
            pkg.c.id.in_(list(package_ids)), pkg.c.state == "active",
            pkg.c.private.is_(False)).order_by(pkg.c.title))
    return [{"name": name, "title": title or name} for name, title in rows]


def latest_tenders() -> list[dict[str, Any]]:
    """The newest public release with a tender of each process."""
    return list(model.Session.execute(
        sa.select(R.c.release).where(public(), R.c.release.has_key("tender"))
        .distinct(R.c.ocid)
        .order_by(R.c.ocid, R.c.date.desc().nulls_last(), R.c.seq.desc())).scalars())
