"""Governance of the catalogue: history, freshness, reminders, link checks, panel."""
