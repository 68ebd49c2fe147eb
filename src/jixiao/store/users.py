"""Users and roles. Passwords are kept as Argon2 hashes only."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from jixiao.store import schema
from jixiao.store.db import Store

ROLES = ("admin", "reviewer", "author")
_hasher = PasswordHasher()


class UserError(ValueError):
    """A user cannot be added as asked (message in Chinese)."""


def add_user(store: Store, name: str, role: str, password: str, unit: str | None = None) -> schema.User:
    if role not in ROLES:
        raise UserError(f"未知角色：{role}（可选 {', '.join(ROLES)}）")
    if not name.strip():
        raise UserError("用户名不能为空")
    if len(password) < 8:
        raise UserError("密码至少 8 个字符")
    if role == "author" and not unit:
        raise UserError("作者（author）必须用 --unit 指定所属单位")
    with store.session() as s:
        user = s.scalar(select(schema.User).where(schema.User.name == name))
        if user is None:
            user = schema.User(name=name, role=role, password_hash="")
            s.add(user)
        user.role = role
        user.password_hash = _hasher.hash(password)
        user.unit = store.unit(s, unit) if unit else None
        s.flush()
        return user


def authenticate(s: Session, name: str, password: str) -> schema.User | None:
    user = s.scalar(select(schema.User).where(schema.User.name == name))
    if user is None:
        _hasher.hash(password)  # same work whether or not the name exists
        return None
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    return user


def visible_units(s: Session, user: schema.User) -> set[int] | None:
    """Unit ids the user may see; None = every unit (admin, or a reviewer not tied to a bureau).

    A reviewer tied to a 主管部门 sees it and every unit under it; an author sees only their own unit."""
    if user.role == "admin" or (user.role == "reviewer" and user.unit_id is None):
        return None
    if user.unit_id is None:
        return set()
    if user.role == "author":
        return {user.unit_id}
    units = s.execute(select(schema.Unit.id, schema.Unit.parent_id)).all()
    children: dict[int | None, list[int]] = {}
    for uid, parent in units:
        children.setdefault(parent, []).append(uid)
    seen, todo = set(), [user.unit_id]
    while todo:
        uid = todo.pop()
        if uid not in seen:
            seen.add(uid)
            todo.extend(children.get(uid, []))
    return seen
