"""The workspace store: reports, units, findings and reviewers' decisions in a database (SQLite by default,
PostgreSQL by URL). The core never imports this package; it imports the core."""

from jixiao.store.db import Store, default_url, open_store

__all__ = ["Store", "default_url", "open_store"]
