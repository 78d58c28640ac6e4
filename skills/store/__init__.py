"""Persistence: SQLAlchemy models, sessions, the unit of work, migrations, repositories."""

from skills.store.base import Base, JSONType, Money, Rate, UTCDateTime, utcnow
from skills.store.models import AuditEntry, Client, Conversation, DispatcherState, JobLease, Officer, OutboxMessage
from skills.store.session import is_postgres, make_engine, make_sessionmaker, unit_of_work

__all__ = [
    "AuditEntry",
    "Base",
    "Client",
    "Conversation",
    "DispatcherState",
    "JSONType",
    "JobLease",
    "Money",
    "Officer",
    "OutboxMessage",
    "Rate",
    "UTCDateTime",
    "is_postgres",
    "make_engine",
    "make_sessionmaker",
    "unit_of_work",
    "utcnow",
]
