"""``ckan mogi ocds``: validate and convert OCDS files from the command line.

Help texts and output are English msgids, shown in the site's language.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import IO, Any

import click

from ckanext.mogi.common.i18n import N_, translate
from ckanext.mogi.ocds import check, dump, releases
from ckanext.mogi.ocds.findings import Finding

EXIT_ERRORS = 1
EXIT_USAGE = 2
PREFIX_OPTION = "ckanext.mogi.ocds.ocid_prefix"
PUBLISHER_OPTION = "ckanext.mogi.ocds.publisher"


def _config(key: str) -> str:
    from ckan.plugins import toolkit

    return str(toolkit.config.get(key))


def now() -> str:
    return datetime.now(releases.mapping.LOCAL_TIME).replace(microsecond=0).isoformat()


def _fail(ctx: click.Context, error: Exception) -> None:
    click.secho(translate(N_("Error: {error}")).format(error=error), err=True, fg="red")
    ctx.exit(EXIT_USAGE)


def _print(findings: Iterable[Finding], counts: Counter[str], out: IO[str] | None = None) -> None:
    for finding in findings:
        counts[finding.level] += 1
        click.secho(finding.line(translate), fg="red" if finding.level == "error" else "yellow",
                    file=out)


schema_dir_option = click.option(
    "--schema-dir", type=click.Path(path_type=Path), default=None,
    help=N_("OCDS 1.1.5 schema folder. Default: the option ckanext.mogi.ocds.schema_dir, "
            "or ../shared/standards/ocds/1.1.5."))
prefix_option = click.option(
    "--prefix", default=None,
    help=N_("ocid prefix. Default: the option ckanext.mogi.ocds.ocid_prefix."))


@click.group(short_help=N_("Procurement processes as OCDS (open contracting)."))
def ocds() -> None:
    """Procurement processes in the Open Contracting Data Standard (OCDS 1.1.5)."""


@ocds.command(
    "validate",
    short_help=N_("Validates a tender-system dump, a release package or a record package."),
    help=N_("Checks FILE against OCDS 1.1.5 (schema and codelists, from local files). A "
            "tender-system dump is converted first and each release is checked. Prints "
            "the findings and ends with exit code 1 if there is any error (2 if the file "
            "or the schema folder cannot be read)."))
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@schema_dir_option
@prefix_option
@click.pass_context
def validate(ctx: click.Context, file: Path, schema_dir: Path | None,
             prefix: str | None) -> None:
    """Validate FILE (a dump, a release package or a record package)."""
    counts: Counter[str] = Counter()
    try:
        std = check.standard(str(check.resolve_schema_dir(schema_dir)))
        with file.open("rb") as stream:
            if dump.kind(stream) == "dump":
                for converted in releases.releases_from_dump(
                        stream, prefix=prefix or _config(PREFIX_OPTION), published=now()):
                    counts["processes"] += 1
                    _print(converted.findings, counts)
                    if converted.release is not None:
                        _print(check.validate_release(converted.release, std,
                                                      record=converted.record), counts)
                total = counts["processes"]
            else:
                try:
                    data = json.load(stream)
                except ValueError as error:
                    raise dump.DumpError(N_("The file is not valid JSON ({detail})."),
                                         detail=str(error)) from error
                _print(check.validate_package(data, std), counts)
                kind = check.package_kind(data)
                total = len(data.get("releases" if kind == "release-package" else "records")
                            or []) if kind else 0
    except (check.SchemaDirError, dump.DumpError) as error:
        _fail(ctx, error)
        return
    summary = translate(N_("{total} releases or records checked: {errors} errors, "
                           "{warnings} warnings.")).format(
        total=total, errors=counts["error"], warnings=counts["warning"])
    click.secho(summary, fg="red" if counts["error"] else "green", bold=True)
    if counts["error"]:
        ctx.exit(EXIT_ERRORS)


@ocds.command(
    "convert",
    short_help=N_("Converts a tender-system dump into an OCDS release or record package."),
    help=N_("Reads FILE (a tender-system dump, streamed) and writes a release package "
            "(or, with --records, a record package) to --output or to the standard "
            "output. The conversion's findings go to the standard error."))
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help=N_("File to write. Default: the standard output."))
@click.option("--records", is_flag=True, help=N_("Write a record package."))
@click.option("--uri", default="",
              help=N_("The package's uri. Default: the file's own (file://...)."))
@prefix_option
@click.pass_context
def convert(ctx: click.Context, file: Path, output: Path | None, records: bool, uri: str,
            prefix: str | None) -> None:
    """Convert the dump FILE into an OCDS package."""
    counts: Counter[str] = Counter()
    published = now()
    head: dict[str, Any] = {"uri": uri or file.resolve().as_uri(), "published_date": published,
                            "publisher": _config(PUBLISHER_OPTION)}

    def converted(stream: IO[bytes]) -> Iterable[dict[str, Any]]:
        for item in releases.releases_from_dump(
                stream, prefix=prefix or _config(PREFIX_OPTION), published=published):
            _print(item.findings, counts, sys.stderr)
            if item.release is not None:
                yield item.release

    target = output.open("w", encoding="utf-8") if output else sys.stdout
    try:
        with file.open("rb") as stream:
            if records:
                package = releases.record_package(converted(stream), **head)
                json.dump(package, target, ensure_ascii=False)
            else:
                for piece in releases.iter_release_package(converted(stream), **head):
                    target.write(piece)
    except (dump.DumpError, OSError) as error:
        _fail(ctx, error)
    finally:
        if output:
            target.close()
