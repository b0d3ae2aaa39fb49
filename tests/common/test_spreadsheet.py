"""Spreadsheet-safe CSV cells (:mod:`ckanext.mogi.common.spreadsheet`)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from ckanext.mogi.common.spreadsheet import neutralise, neutralise_row


@pytest.mark.parametrize("cell", [
    '=HYPERLINK("http://x","y")', "=cmd|' /C calc'!A0", "@SUM(1+1)", "+1+1", "-1+1",
    "\t=1", "\r=1", "\n=1", "-2e3", "+55 11 4798-5000", "=", "-", "- 12",
])
def test_formula_cells_get_a_quote(cell):
    assert neutralise(cell) == "'" + cell


@pytest.mark.parametrize("cell", [
    "-12,5", "-1.234,56", "+3", "-0", "12", "Maria", "", " =1", "R$ -12,50", "a=b",
])
def test_plain_numbers_and_text_are_kept(cell):
    assert neutralise(cell) == cell


@pytest.mark.parametrize("cell", [-12.5, 7, None, dt.date(2024, 1, 5)])
def test_non_text_cells_are_kept(cell):
    assert neutralise(cell) is cell


def test_rows_round_trip_through_the_csv_module():
    row = ['=HYPERLINK("http://x","y")', "\r=1", "-12,5", 'say "hi"; bye']
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerow(neutralise_row(row))
    buffer.seek(0)
    assert next(csv.reader(buffer, delimiter=";")) == [
        '\'=HYPERLINK("http://x","y")', "'\r=1", "-12,5", 'say "hi"; bye']
