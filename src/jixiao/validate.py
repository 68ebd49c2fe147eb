"""Turn pydantic validation errors into findings with file:line and a hint (closest key, path)."""

from __future__ import annotations

import types
import typing
from typing import Any, TypeVar, get_args, get_origin

from pydantic import BaseModel, ValidationError

from jixiao.findings import Finding
from jixiao.rules.registry import rule
from jixiao.yamlio import SourceMap, closest, locate

M = TypeVar("M", bound=BaseModel)


def _model_at(cls: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model class that owns the last key of ``loc`` (to suggest valid keys)."""
    current: Any = cls
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        field = current.model_fields.get(str(part))
        if field is None:
            return current
        current = _inner(field.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _inner(annotation: Any) -> Any:
    """Unwrap Optional/list/dict/Annotated to the model class inside, if any."""
    origin = get_origin(annotation)
    if origin is typing.Annotated:
        return _inner(get_args(annotation)[0])
    if origin in (list, tuple, set):
        return _inner(get_args(annotation)[0])
    if origin is dict:
        return _inner(get_args(annotation)[1])
    if origin in (typing.Union, types.UnionType):
        for arg in get_args(annotation):
            if arg is not type(None):
                inner = _inner(arg)
                if isinstance(inner, type) and issubclass(inner, BaseModel):
                    return inner
        return None
    return annotation


def _describe(cls: type[BaseModel], name: str) -> str:
    field = cls.model_fields.get(name)
    return f"（{field.description}）" if field is not None and field.description else ""


def validate(cls: type[M], data: Any, smap: SourceMap, file: str) -> tuple[M | None, list[Finding]]:
    try:
        return cls.model_validate(data), []
    except ValidationError as exc:
        findings: list[Finding] = []
        for err in exc.errors(include_url=False):
            loc = tuple(err["loc"])
            # pydantic appends the validator's name for Annotated/union members; drop non-field tails.
            path = ".".join(str(p) for p in loc)
            where = locate(smap, path)
            kind = err["type"]
            if kind == "extra_forbidden":
                key = str(loc[-1])
                owner = _model_at(cls, loc[:-1])
                hint = ""
                if owner is not None:
                    best = closest(key, list(owner.model_fields))
                    if best:
                        hint = f"；是否应为 `{best}`{_describe(owner, best)}？"
                    else:
                        hint = f"；此处可用的字段：{', '.join(owner.model_fields)}"
                where = smap.get(path + "#key", where)
                findings.append(
                    rule("I602").finding(f"未知字段 `{key}`（位于 {path}）{hint}", where, values={"key": key})
                )
            elif kind == "missing":
                owner = _model_at(cls, loc)
                name = str(loc[-1])
                desc = _describe(owner, name) if owner else ""
                parent = ".".join(str(p) for p in loc[:-1]) or "顶层"
                findings.append(
                    rule("I603").finding(
                        f"缺少必填字段 `{name}`{desc}，位于 {parent}", where, values={"path": path}
                    )
                )
            else:
                msg = str(err["msg"]).removeprefix("Value error, ")
                found = err.get("input")
                shown = found if isinstance(found, (str, int)) else type(found).__name__
                findings.append(
                    rule("I604").finding(
                        f"`{path}` 的值不合法：{msg}（读到的是 {shown!r}）",
                        where,
                        values={"path": path, "found": str(shown)},
                    )
                )
        return None, findings
