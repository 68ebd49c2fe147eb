"""Turn pydantic validation errors into findings with file:line and a hint (closest key, path)."""

from __future__ import annotations

import dataclasses
import re
import types
import typing
from collections.abc import Hashable
from functools import cache
from typing import Any, TypeVar, cast, get_args, get_origin

from pydantic import BaseModel, TypeAdapter, ValidationError

from jixiao.core.findings import Finding
from jixiao.core.rules.registry import rule
from jixiao.core.yamlio import SourceMap, closest, join, locate

M = TypeVar("M")


def _is_model(cls: Any) -> bool:
    """A pydantic model or a dataclass that pydantic validates (its fields are the keys a user writes)."""
    return isinstance(cls, type) and (issubclass(cls, BaseModel) or dataclasses.is_dataclass(cls))


@cache
def _fields(cls: Any) -> dict[str, tuple[Any, str | None]]:
    """Field name → (annotation, description) of a pydantic model or a dataclass."""
    if issubclass(cls, BaseModel):
        return {name: (f.annotation, f.description) for name, f in cls.model_fields.items()}
    hints = typing.get_type_hints(cls)
    return {f.name: (hints[f.name], None) for f in dataclasses.fields(cls)}


def _model_at(cls: type, loc: tuple[Any, ...]) -> type | None:
    """The model class that owns the last key of ``loc`` (to suggest valid keys)."""
    current: Any = cls
    for part in loc:
        if isinstance(part, int):
            continue
        if not _is_model(current):
            return None
        field = _fields(current).get(str(part))
        if field is None:
            found: type = current
            return found
        current = _inner(field[0])
    owner: type | None = current if _is_model(current) else None
    return owner


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
                if _is_model(inner):
                    return inner
        return None
    return annotation


def _describe(cls: type, name: str) -> str:
    field = _fields(cls).get(name)
    return f"（{field[1]}）" if field is not None and field[1] else ""


_TYPE_NAMES: dict[type, str] = {type(None): "空值", list: "列表", dict: "映射", bool: "布尔值"}


_NOT_A_FIELD = re.compile(
    r"^(?:function-(?:before|after|wrap|plain)|literal|is-instance|lax-or-strict|json-or-python|chain)\[.*\]$"
)


def _zh_message(err: Any) -> str:
    """pydantic's English messages for the error kinds users meet most, in Chinese; others pass through."""
    kind = err["type"]
    ctx = err.get("ctx") or {}
    table = {
        "int_parsing": "应为整数",
        "int_type": "应为整数",
        "int_from_float": "应为整数",
        "string_type": "应为文字",
        "bool_type": "应为 true 或 false",
        "bool_parsing": "应为 true 或 false",
        "decimal_type": "应为数字",
        "decimal_parsing": "应为数字",
        "dict_type": "应为“键: 值”的映射",
        "model_type": "应为“键: 值”的映射",
        "dataclass_type": "应为“键: 值”的映射",
        "model_attributes_type": "应为“键: 值”的映射",
        "list_type": "应为列表（每项以“- ”开头）",
        "mapping_type": "应为“键: 值”的映射",
    }
    if kind in table:
        return table[kind]
    if kind == "enum":
        return f"应为以下之一：{ctx.get('expected', '')}".replace("' or '", "', '")
    if kind == "literal_error":
        return f"应为以下之一：{ctx.get('expected', '')}".replace("' or '", "', '")
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        sign = {"greater_than_equal": "≥", "less_than_equal": "≤", "greater_than": ">", "less_than": "<"}[
            kind
        ]
        bound = next(iter(ctx.values()), "")
        return f"应 {sign} {bound}"
    return str(err["msg"]).removeprefix("Value error, ")


@cache
def _adapter(cls: Any) -> TypeAdapter[Any]:
    return TypeAdapter(cls)


def validate(cls: type[M], data: Any, smap: SourceMap, file: str) -> tuple[M | None, list[Finding]]:
    """``data`` as a ``cls`` (a pydantic model, or a dataclass with ``__pydantic_config__``), or None and
    findings located through ``smap``."""
    try:
        if issubclass(cls, BaseModel):
            return cls.model_validate(data), []
        value: M = _adapter(cast(Hashable, cls)).validate_python(data)
        return value, []
    except ValidationError as exc:
        findings: list[Finding] = []
        reported: set[str] = set()
        for err in exc.errors(include_url=False):
            # pydantic names union members and validators in the path ("function-before[...]",
            # "literal['full']"): keep field names and indexes only, and one finding per field.
            loc = tuple(p for p in err["loc"] if isinstance(p, int) or not _NOT_A_FIELD.match(str(p)))
            loc = loc or tuple(err["loc"])
            if ".".join(str(p) for p in loc) in reported:
                continue
            reported.add(".".join(str(p) for p in loc))
            # pydantic appends the validator's name for Annotated/union members; drop non-field tails.
            path = ".".join(str(p) for p in loc)
            where = locate(smap, path)
            kind = err["type"]
            if kind in ("extra_forbidden", "unexpected_keyword_argument"):  # a model's, a dataclass's
                key = str(loc[-1])
                owner = _model_at(cls, loc[:-1])
                hint = ""
                if owner is not None:
                    best = closest(key, list(_fields(owner)))
                    if best:
                        hint = f"；是否应为 `{best}`{_describe(owner, best)}？"
                    else:
                        hint = f"；此处可用的字段：{', '.join(_fields(owner))}"
                where = smap.get(path + "#key", where)
                findings.append(
                    rule("I602").finding(f"未知字段 `{key}`（位于 {path}）{hint}", where, values={"key": key})
                )
            elif kind == "invalid_key":
                # A figure where a field name belongs: in a flow mapping "{initial: 1,240.50}" the comma ends
                # the item, so "240.50" became a key of its own. Say so, never "Keys should be strings".
                owner_path = ".".join(str(p) for p in loc[:-1])
                key = str(err.get("input"))
                where = smap.get(join(owner_path, key) + "#key", locate(smap, owner_path))
                findings.append(
                    rule("I604").finding(
                        f"`{owner_path}` 中出现了数字 {key} 作为字段名：在 {{…}} 里逗号用来分隔各项，"
                        f"带千位逗号的数字被拆成了两项（逗号后的 {key} 成了字段名）。"
                        '请去掉千位逗号（写 1240.50），或给数字加引号（写 "1,240.50"）',
                        where,
                        values={"path": owner_path, "found": key},
                    )
                )
            elif kind == "missing":
                # The owner is the model holding the missing field, i.e. the one at loc[:-1].
                owner = _model_at(cls, loc[:-1])
                name = str(loc[-1])
                desc = _describe(owner, name) if owner else ""
                parent = ".".join(str(p) for p in loc[:-1]) or "顶层"
                findings.append(
                    rule("I603").finding(
                        f"缺少必填字段 `{name}`{desc}，位于 {parent}", where, values={"path": path}
                    )
                )
            else:
                if loc and loc[-1] == "[key]":  # a bad dict key (e.g. an unknown 资金来源): point at the key
                    path = ".".join(str(p) for p in loc[:-1])
                    where = smap.get(path + "#key", locate(smap, path))
                msg = _zh_message(err)
                found = err.get("input")
                literal = isinstance(found, (str, int))
                shown = found if literal else _TYPE_NAMES.get(type(found), type(found).__name__)
                text = repr(shown) if literal else str(shown)
                seen = "" if text in msg else f"（读到的是 {text}）"
                findings.append(
                    rule("I604").finding(
                        f"`{path}` 的值不合法：{msg}{seen}",
                        where,
                        values={"path": path, "found": str(shown)},
                    )
                )
        return None, findings
