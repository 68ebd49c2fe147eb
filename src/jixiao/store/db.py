"""Opening a store: the database (migrated on open) and the folder that keeps the original files."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from jixiao.store import schema
from jixiao.store.migrate import upgrade

DEFAULT_FOLDER = "jixiao-workspace"


def default_url() -> str:
    return os.environ.get("JIXIAO_DB") or f"sqlite:///{DEFAULT_FOLDER}/jixiao.db"


def _files_folder(url: str) -> Path:
    """Originals sit beside an SQLite file (``x.db`` → ``x.files/``); for a server database, under
    ``$JIXIAO_FILES`` or ``jixiao-workspace/files``. Never inside the web app's static folder."""
    if os.environ.get("JIXIAO_FILES"):
        return Path(os.environ["JIXIAO_FILES"])
    u = make_url(url)
    if u.get_backend_name() == "sqlite" and u.database and u.database != ":memory:":
        return Path(u.database).with_suffix(".files")
    return Path(DEFAULT_FOLDER) / "files"


class Store:
    def __init__(self, engine: Engine, files: Path) -> None:
        self.engine = engine
        self.files = files
        self.sessions = sessionmaker(engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self.sessions() as s, s.begin():
            yield s

    def path_of(self, stored_name: str) -> Path:
        # Names are made by the server (a hash and a known suffix): nothing from a user reaches this path.
        return self.files / stored_name

    def unit(self, s: Session, name: str, parent: str | None = None) -> schema.Unit:
        """The unit called ``name``, made if new (and put under ``parent`` when one is given)."""
        unit = s.scalar(select(schema.Unit).where(schema.Unit.name == name))
        if unit is None:
            unit = schema.Unit(name=name)
            s.add(unit)
        if parent and parent != name and unit.parent_id is None:
            unit.parent = self.unit(s, parent)
        s.flush()
        return unit

    def dispose(self) -> None:
        self.engine.dispose()


def _sqlite_pragmas(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        cur = dbapi_connection.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()


def open_store(url: str | None = None, files: str | Path | None = None) -> Store:
    """Open (and create or migrate) the store at ``url``."""
    url = url or default_url()
    u = make_url(url)
    if u.get_backend_name() == "postgresql" and u.drivername == "postgresql":
        u = u.set(drivername="postgresql+psycopg")  # psycopg 3, not the default psycopg2
    if u.get_backend_name() == "sqlite" and u.database and u.database != ":memory:":
        Path(u.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(u)
    if u.get_backend_name() == "sqlite":
        _sqlite_pragmas(engine)
    upgrade(engine)
    folder = Path(files) if files else _files_folder(url)
    folder.mkdir(parents=True, exist_ok=True)
    return Store(engine, folder)
