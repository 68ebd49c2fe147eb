"""Store tests run on SQLite and, when ``JIXIAO_TEST_PG_URL`` names a server (``.ci/run`` starts one), on
PostgreSQL: each test gets an empty database."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

PG_URL = os.environ.get("JIXIAO_TEST_PG_URL", "")


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
        return
    if not PG_URL:
        pytest.skip("PostgreSQL: set JIXIAO_TEST_PG_URL to a server URL (.ci/run starts one) to run these")
    name = f"jx_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(autouse=True)
def _cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2 at its cheapest for the tests (the algorithm is the same; the cost is what a server wants)."""
    from argon2 import PasswordHasher

    monkeypatch.setattr(
        "jixiao.store.users._hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    )
