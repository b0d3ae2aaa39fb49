"""The reminders sent (SQLAlchemy 2 Core, CKAN's database).

One row per dataset, expected update (``due_date``), kind (``due_soon``,
``overdue``) and recipient: the unique key makes a second reminder for the
same due date and kind impossible, even when two runs overlap (the second
one's insert waits for the first one's transaction, then finds the row).

Declared on CKAN's metadata, so CKAN's ``reset_db`` empties it; created by
the plugin's migration (``ckanext/mogi/migration/mogi_governance``).
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from ckan import model
from ckan.model import meta
from sqlalchemy.dialects.postgresql import insert

reminder_table = sa.Table(
    "mogi_governance_reminder",
    meta.metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("package_id", sa.UnicodeText, nullable=False),
    sa.Column("due_date", sa.Date, nullable=False),
    sa.Column("kind", sa.UnicodeText, nullable=False),
    sa.Column("recipient", sa.UnicodeText, nullable=False),
    sa.Column("sent_at", sa.DateTime, nullable=False),
    sa.UniqueConstraint("package_id", "due_date", "kind", "recipient",
                        name="mogi_governance_reminder_once"),
)


def claim(package_id: str, due_date: dt.date, kind: str, recipient: str) -> bool:
    """Record the reminder in the current transaction; False when it was
    already recorded (sent, or being sent by another run). The caller sends,
    then commits (or rolls back if the e-mail failed, to try again later)."""
    statement = (insert(reminder_table)
                 .values(package_id=package_id, due_date=due_date, kind=kind,
                         recipient=recipient.lower(),
                         sent_at=dt.datetime.now(dt.UTC).replace(tzinfo=None))
                 .on_conflict_do_nothing(constraint="mogi_governance_reminder_once")
                 .returning(reminder_table.c.id))
    return model.Session.execute(statement).first() is not None


def recorded(package_id: str, due_date: dt.date, kind: str) -> set[str]:
    """The recipients already reminded of this due date and kind."""
    query = sa.select(reminder_table.c.recipient).where(
        reminder_table.c.package_id == package_id, reminder_table.c.due_date == due_date,
        reminder_table.c.kind == kind)
    return set(model.Session.execute(query).scalars())
