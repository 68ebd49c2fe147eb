"""Who is logged in, and the CSRF token of their session (the API, the pages and the app share these)."""

from __future__ import annotations

import secrets

from fastapi import Request

from jixiao.store import schema
from jixiao.store.db import Store


def current_user(request: Request) -> schema.User | None:
    uid = request.session.get("uid")
    if uid is None:
        return None
    store: Store = request.app.state.store
    with store.session() as s:
        user = s.get(schema.User, uid)
        if user is not None:
            _ = user.unit  # loaded while the session is open
        return user


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return str(token)


def csrf_ok(request: Request, sent: str | None) -> bool:
    expected = request.session.get("csrf")
    sent = sent or request.headers.get("x-csrf-token")
    return bool(expected and sent and secrets.compare_digest(str(expected), str(sent)))
