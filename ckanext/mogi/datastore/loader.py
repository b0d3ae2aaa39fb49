"""The typed load of one table file into CKAN's DataStore, all or nothing.

:func:`load_file` is the whole load, in one transaction on the DataStore's
write connection:

1. the file's rows go to a temporary text table through ``COPY``, streamed
   (:mod:`.source`: the file's own bytes for CSV, never the whole file in
   memory);
2. one ``INSERT ... SELECT`` builds the new table under a hidden name
   (``_mogi_load_...``), converting every column to its type in PostgreSQL
   (:mod:`.columns`: ``1.234,56`` to numeric, ``31/12/2024`` to date...)
   and computing the full-text vector of each row (Portuguese:
   ``ckan.datastore.default_fts_lang``) in the same pass;
3. its primary key, its full-text index (``ckan.datastore.default_fts_index_method``),
   CKAN's full-text trigger (for later ``datastore_upsert`` calls), the
   columns' info (label, notes) as CKAN stores it, fresh statistics and, on
   large tables, a B-tree index on each column of few distinct values (what
   filters are made of);
4. the swap: the old table is dropped and the new one takes the resource's
   name, and CKAN's cached row count is set, in the last moments of the
   transaction; after the commit a ``VACUUM`` marks its pages all-visible
   (counts then read indexes only).

Visitors read the old rows until the commit; a load that fails anywhere
rolls back and leaves them as they were. ``before_swap`` lets the caller
check, at the last moment, that the load is still wanted (the validation
verdict did not change meanwhile).
"""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import psycopg2
from ckan.plugins import toolkit
from psycopg2 import errors as pg_errors
from psycopg2 import sql

from ckanext.mogi.common.i18n import N_, TranslatableError
from ckanext.mogi.datastore.columns import plan
from ckanext.mogi.datastore.source import CHUNK_BYTES, Copy, Dialect, open_copy

log = logging.getLogger(__name__)

#: The temporary table the file is copied into (one per connection, dropped at commit).
STAGING = "mogi_staging"
#: Tables of at least this many rows get indexes for filters (smaller ones are read whole).
FILTER_INDEX_MIN_ROWS = 10_000
#: Columns with at most this many distinct values get such an index.
FILTER_INDEX_MAX_VALUES = 1_000


class LoadError(TranslatableError):
    """The load failed (the table's old rows stay); the message says why."""


@dataclass(frozen=True)
class LoadResult:
    """A committed load: how many rows, and the DataStore's fields."""

    rows: int
    fields: list[dict[str, Any]]


def write_engine() -> Any:
    from ckanext.datastore.backend.postgres import get_write_engine

    return get_write_engine()


def load_file(
    path: str,
    dialect: Mapping[str, Any],
    schema: Mapping[str, Any],
    resource_id: str,
    *,
    before_swap: Callable[[], None] | None = None,
    expected_rows: int | None = None,
) -> LoadResult:
    """Load the table file at ``path`` as the DataStore table of ``resource_id``.

    ``dialect`` and ``schema`` are the validation's (``resource_validation_show``'s
    ``dialect`` and ``schema``); ``expected_rows``, when known, the rows the
    validation read (a CSV file that PostgreSQL reads otherwise is read again
    as the validation does). Replaces the table's rows atomically: see the
    module. Raises :class:`LoadError` (nothing changed) with a translatable message.
    """
    columns = plan(schema)
    if not columns:
        raise LoadError(N_("The table's schema has no columns to load."))
    file_dialect = Dialect.from_dict(dialect)
    staging = [sql.Identifier(f"c{index}") for index in range(len(columns))]
    new = f"_mogi_load_{uuid.uuid4().hex[:16]}"
    fts_index = f"{new}_fts"
    raw = write_engine().raw_connection()
    try:
        with raw.cursor() as cursor:
            cursor.execute("SET LOCAL synchronize_seqscans = off")
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            # One load of a table at a time (two workers, or a job and the CLI).
            cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))",
                           [resource_id])
            cursor.execute(sql.SQL("CREATE TEMP TABLE {} ({}) ON COMMIT DROP").format(
                sql.Identifier(STAGING),
                sql.SQL(", ").join(sql.SQL("{} text").format(c) for c in staging)))
            source = _copy(cursor, path, file_dialect, columns, expected_rows)
            cursor.execute(sql.SQL(
                "CREATE TABLE {} (_id serial, _full_text tsvector, {})").format(
                sql.Identifier(new),
                sql.SQL(", ").join(sql.SQL("{} {}").format(sql.Identifier(c.id), sql.SQL(c.type))
                                   for c in columns)))
            params: dict[str, Any] = {"fts_lang": _fts_lang()}
            values = [column.sql(name, params, canonical=source.canonical)
                      for column, name in zip(columns, staging, strict=True)]
            cursor.execute(sql.SQL(
                "INSERT INTO {new} ({columns}, _full_text) SELECT {values}, "
                "to_tsvector(%(fts_lang)s::regconfig, concat_ws(' ', {texts})) FROM {staging}"
            ).format(
                new=sql.Identifier(new),
                columns=sql.SQL(", ").join(sql.Identifier(c.id) for c in columns),
                values=sql.SQL(", ").join(values),
                texts=sql.SQL(", ").join(staging),
                staging=sql.Identifier(STAGING)), params)
            rows = cursor.rowcount
            _finish_table(cursor, new, fts_index, columns, rows)
            if before_swap is not None:
                before_swap()
            _swap(cursor, new, fts_index, resource_id, rows)
        raw.commit()
        _vacuum(raw, resource_id)
    except psycopg2.Error as exc:
        raw.rollback()
        raise _load_error(exc) from exc
    except BaseException:
        raw.rollback()
        raise
    finally:
        raw.close()
    return LoadResult(rows=rows, fields=[
        {"id": c.id, "type": c.type, **({"info": c.info} if c.info else {})} for c in columns])


def _copy(cursor: Any, path: str, dialect: Dialect, columns: list[Any],
          expected_rows: int | None) -> Copy:
    """The file into the staging table: its own bytes through PostgreSQL's CSV
    reader, or, when that reader fails on the file or reads another number of
    rows than the validation did, the records as the validation reads them."""
    source = open_copy(path, dialect, columns)
    if dialect.format != "csv":
        _copy_into_staging(cursor, source)
        return source
    cursor.execute("SAVEPOINT mogi_copy")
    try:
        copied = _copy_into_staging(cursor, source)
    except psycopg2.DataError as exc:  # a quirk of the file (class 22): read it again
        log.info("PostgreSQL's CSV reader refused %s (%s); reading it again", path,
                 str(exc).strip())
    else:
        if expected_rows is None or copied == expected_rows:
            cursor.execute("RELEASE SAVEPOINT mogi_copy")
            return source
        log.info("PostgreSQL's CSV reader read %s rows of %s, the validation %s; "
                 "reading it again", copied, path, expected_rows)
    cursor.execute("ROLLBACK TO SAVEPOINT mogi_copy")
    source = open_copy(path, dialect, columns, rewrite=True)
    _copy_into_staging(cursor, source)
    return source


def _copy_into_staging(cursor: Any, source: Copy) -> int:
    """COPY of ``source`` into the staging table; how many rows."""
    copy = sql.SQL("COPY {} FROM STDIN WITH (FORMAT csv, DELIMITER {}, ENCODING {})").format(
        sql.Identifier(STAGING), sql.Literal(source.delimiter), sql.Literal(source.encoding))
    cursor.copy_expert(copy.as_string(cursor), source.stream, size=CHUNK_BYTES)
    return int(cursor.rowcount)


def _fts_lang() -> str:
    return str(toolkit.config.get("ckan.datastore.default_fts_lang") or "simple")


def _finish_table(cursor: Any, new: str, fts_index: str, columns: list[Any],
                  rows: int) -> None:
    """Primary key, full-text index, CKAN's trigger, the columns' info,
    statistics, and indexes for the filters visitors use (:func:`_filter_indexes`)."""
    table = sql.Identifier(new)
    cursor.execute(sql.SQL("ALTER TABLE {} ADD PRIMARY KEY (_id)").format(table))
    method = str(toolkit.config.get("ckan.datastore.default_fts_index_method") or "gist")
    if method not in ("gin", "gist"):
        method = "gist"
    cursor.execute(sql.SQL("CREATE INDEX {} ON {} USING {} (_full_text)").format(
        sql.Identifier(fts_index), table, sql.SQL(method)))
    for column in columns:
        if column.info:
            # As CKAN's datastore_create stores it (" " + JSON: its data version).
            comment = " " + json.dumps({"_info": column.info}, ensure_ascii=False,
                                       separators=(",", ":"))
            cursor.execute(sql.SQL("COMMENT ON COLUMN {}.{} IS %s").format(
                table, sql.Identifier(column.id)), [comment])
    cursor.execute("SELECT to_regprocedure('populate_full_text_trigger()') IS NOT NULL")
    if cursor.fetchone()[0]:
        cursor.execute(sql.SQL(
            "CREATE TRIGGER zfulltext BEFORE INSERT OR UPDATE ON {} "
            "FOR EACH ROW EXECUTE PROCEDURE populate_full_text_trigger()").format(table))
    cursor.execute(sql.SQL("ANALYZE {}").format(table))
    if rows >= FILTER_INDEX_MIN_ROWS:
        _filter_indexes(cursor, new, columns, rows)


def _filter_indexes(cursor: Any, new: str, columns: list[Any], rows: int) -> None:
    """A B-tree index on each column of few distinct values (a bairro, a year, a
    category: what ``datastore_search`` filters are made of), so that a filter
    and its count read the index instead of the whole table. A column whose
    values are too long for an index is left without one."""
    cursor.execute("SELECT attname, n_distinct FROM pg_stats WHERE schemaname = 'public' "
                   "AND tablename = %s", [new])
    distinct = dict(cursor.fetchall())
    for position, column in enumerate(columns):
        estimate = distinct.get(column.id)
        if estimate is None or column.type == "bool":
            continue
        count = estimate if estimate > 0 else -estimate * rows
        if not 1 < count <= FILTER_INDEX_MAX_VALUES:
            continue
        cursor.execute("SAVEPOINT mogi_index")
        try:
            cursor.execute(sql.SQL("CREATE INDEX {} ON {} ({})").format(
                sql.Identifier(f"{new}_{position}"), sql.Identifier(new),
                sql.Identifier(column.id)))
        except pg_errors.ProgramLimitExceeded:
            cursor.execute("ROLLBACK TO SAVEPOINT mogi_index")
        else:
            cursor.execute("RELEASE SAVEPOINT mogi_index")


def _vacuum(raw: Any, resource_id: str) -> None:
    """After the commit: the table's pages marked all-visible, so that counts
    read the indexes alone (autovacuum would do it later)."""
    connection = raw.dbapi_connection  # psycopg2's own: VACUUM runs outside a transaction
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql.SQL("VACUUM {}").format(sql.Identifier(resource_id)))
    except psycopg2.Error:  # the rows are committed; this is only faster reads
        log.warning("Could not vacuum the DataStore table %s", resource_id, exc_info=True)
    finally:
        connection.autocommit = False


def _swap(cursor: Any, new: str, fts_index: str, resource_id: str, rows: int) -> None:
    """The new table takes the resource's name (the old one is dropped)."""
    cursor.execute("SET LOCAL lock_timeout = %s", [f"{_lock_timeout()}s"])
    cursor.execute(sql.SQL("DROP TABLE IF EXISTS {} CASCADE").format(
        sql.Identifier(resource_id)))
    cursor.execute(sql.SQL("ALTER TABLE {} RENAME TO {}").format(
        sql.Identifier(new), sql.Identifier(resource_id)))
    # CKAN names a table's full-text index after it (so datastore_create finds it).
    ckan_name = hashlib.sha1((resource_id + '"_full_text"').encode("utf-8")).hexdigest()
    cursor.execute(sql.SQL("ALTER INDEX {} RENAME TO {}").format(
        sql.Identifier(fts_index), sql.Identifier(ckan_name)))
    cursor.execute("SELECT to_regclass('_table_stats') IS NOT NULL")
    if cursor.fetchone()[0]:
        cursor.execute(
            "INSERT INTO _table_stats VALUES (%s, jsonb_build_object('rows', %s::bigint)) "
            "ON CONFLICT (resource_id) DO UPDATE SET stats = jsonb_set("
            "_table_stats.stats, '{rows}', to_jsonb(%s::bigint))",
            [resource_id, rows, rows])


def _lock_timeout() -> int:
    return int(toolkit.config.get("ckanext.mogi.datastore.lock_timeout"))


def _load_error(exc: psycopg2.Error) -> LoadError:
    detail = (getattr(exc, "pgerror", None) or str(exc)).strip().splitlines()[0]
    if isinstance(exc, pg_errors.LockNotAvailable):
        return LoadError(N_("The table was busy with queries for longer than {seconds} "
                            "seconds; the load will be tried again."),
                         seconds=_lock_timeout())
    if isinstance(exc, psycopg2.DataError | pg_errors.BadCopyFileFormat):
        return LoadError(N_("A value of the file could not be stored with its column's "
                            "type ({detail}). Check the table's schema and run the "
                            "validation again."), detail=detail)
    log.error("DataStore load failed: %s", exc)
    return LoadError(N_("The DataStore could not store the rows ({detail})."), detail=detail)


def drop_table(resource_id: str) -> bool:
    """Drop the resource's DataStore table; whether there was one."""
    raw = write_engine().raw_connection()
    try:
        with raw.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))",
                           [resource_id])
            cursor.execute("SET LOCAL lock_timeout = %s", [f"{_lock_timeout()}s"])
            existed = _exists(cursor, resource_id)
            cursor.execute(sql.SQL("DROP TABLE IF EXISTS {} CASCADE").format(
                sql.Identifier(resource_id)))
            cursor.execute("SELECT to_regclass('_table_stats') IS NOT NULL")
            if cursor.fetchone()[0]:
                cursor.execute("DELETE FROM _table_stats WHERE resource_id = %s", [resource_id])
        raw.commit()
    except BaseException:
        raw.rollback()
        raise
    finally:
        raw.close()
    return existed


def table_exists(resource_id: str) -> bool:
    raw = write_engine().raw_connection()
    try:
        with raw.cursor() as cursor:
            return _exists(cursor, resource_id)
    finally:
        raw.rollback()
        raw.close()


def _exists(cursor: Any, resource_id: str) -> bool:
    cursor.execute("SELECT 1 FROM pg_class WHERE relname = %s AND relkind = 'r' "
                   "AND relnamespace = 'public'::regnamespace", [resource_id])
    return cursor.fetchone() is not None
