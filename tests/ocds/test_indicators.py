"""The red flags, on the real processes and on made-up tenders."""

from __future__ import annotations

import datetime as dt
import json

from ocds_paths import DUMP_2018

from ckanext.mogi.ocds import indicators, queries


def tender(modality: str, start: str, end: str, **extra) -> dict:
    return {"procurementMethodDetails": modality,
            "tenderPeriod": {"startDate": f"{start}T00:00:00-03:00",
                             "endDate": f"{end}T00:00:00-03:00"}, **extra}


def test_short_period_uses_the_minimum_of_every_law_that_could_apply():
    # Convite under Lei 8.666/1993: 5 working days (Monday 2 to Friday 6 is 4).
    assert indicators.short_period(tender("Convite", "2018-07-02", "2018-07-06")).days == 5
    assert indicators.short_period(tender("Convite", "2018-07-02", "2018-07-09")) is None
    # Pregão: 8 working days under both laws.
    assert indicators.short_period(tender("Pregão Eletrônico", "2022-03-01",
                                          "2022-03-08")) is not None
    # Concorrência in 2022: 30 days (8.666) or 8 working days (14.133): only
    # below both is it flagged.
    assert indicators.short_period(tender("Concorrência", "2022-03-01", "2022-03-15")) is None
    assert indicators.short_period(tender("Concorrência", "2022-03-01", "2022-03-04"))
    # After 30/12/2023 only Lei 14.133/2021 applies.
    assert indicators.short_period(tender("Concorrência", "2024-03-01", "2024-03-15")) is None
    # No minimum for a dispensa or a chamamento.
    assert indicators.short_period(tender("Dispensa/Inexigibilidade", "2022-03-01",
                                          "2022-03-01")) is None


def test_working_days_skip_weekends():
    friday = dt.date(2022, 3, 4)
    assert indicators.period_days(friday, friday + dt.timedelta(days=3), True) == 1
    assert indicators.period_days(friday, friday + dt.timedelta(days=14), True) == 10


def test_revoked_or_suspended_by_status_or_event():
    assert indicators.revoked_or_suspended({"statusDetails": "REVOGADA"})
    assert indicators.revoked_or_suspended({"status": "cancelled"})
    assert indicators.revoked_or_suspended(
        {"statusDetails": "PUBLICADA", "milestones": [{"title": "AVISO DE SUSPENSÃO"}]})
    assert not indicators.revoked_or_suspended({"statusDetails": "CONCLUÍDA"})


def test_counts_per_buyer_on_the_real_dumps(published):
    rows, flagged = indicators.flags(queries.latest_tenders())
    assert sum(row.processes for row in rows) == 884
    by_buyer = {row.buyer: row for row in rows}
    assert len(by_buyer) == 3
    raw = json.loads(DUMP_2018.read_text("utf-8"))
    revoked_2018 = sum(1 for r in raw if r["dados"]["situacaos"] in ("REVOGADA", "SUSPENSA"))
    assert sum(row.counts[indicators.REVOKED] for row in rows) >= revoked_2018
    single = sum(row.counts[indicators.SINGLE] for row in rows)
    assert single == 10  # processes with one distinct document link in both dumps
    assert any(row.repeats_single for row in rows)
    assert sum(row.counts[indicators.SHORT] for row in rows) > 0
    assert all(item.keys for item in flagged)
