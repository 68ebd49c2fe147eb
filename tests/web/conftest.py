"""A workspace app on a fresh SQLite store with four users: an admin, a reviewer over one 主管部门, and
the authors of two units under it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from jixiao.store import Store, open_store
from jixiao.store.users import add_user
from jixiao.web.app import create_app

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
PASSWORDS = {
    "admin": "admin-pass-1",
    "rev": "reviewer-pass-1",
    "au_a": "author-pass-a",
    "au_b": "author-pass-b",
}


@dataclass
class Workspace:
    store: Store
    url: str

    def client(self, user: str | None = None, **options: int) -> TestClient:
        client = TestClient(create_app(self.store, **options))
        if user is not None:
            r = client.post("/api/login", json={"name": user, "password": PASSWORDS[user]})
            assert r.status_code == 200, r.text
        return client


def make_store(folder: Path) -> Store:
    store = open_store(f"sqlite:///{folder / 'ws.db'}")
    with store.session() as s:
        store.unit(s, "桂川县农业农村局", parent="桂川县财政局")
        store.unit(s, "沅溪县教育局", parent="桂川县财政局")
    add_user(store, "admin", "admin", PASSWORDS["admin"])
    add_user(store, "rev", "reviewer", PASSWORDS["rev"], unit="桂川县财政局")
    add_user(store, "au_a", "author", PASSWORDS["au_a"], unit="桂川县农业农村局")
    add_user(store, "au_b", "author", PASSWORDS["au_b"], unit="沅溪县教育局")
    return store


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    store = make_store(tmp_path)
    yield Workspace(store, str(tmp_path))
    store.dispose()


def csrf_of(html: str) -> str:
    m = re.search(r'name="csrf" value="([^"]+)"', html)
    assert m, "no CSRF token in the page"
    return m.group(1)


@pytest.fixture(autouse=True)
def _cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2 at its cheapest for the tests (the algorithm is the same; the cost is what a server wants)."""
    from argon2 import PasswordHasher

    monkeypatch.setattr(
        "jixiao.store.users._hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    )
