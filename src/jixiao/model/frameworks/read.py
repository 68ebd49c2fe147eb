"""Framework data (a YAML mapping) into the plain parts, without pydantic — or ``NotPlain``.

Stricter than pydantic, never laxer: anything this read does not take exactly as written (an unknown
key, a wrong type, a missing field, a failed coherence rule) raises ``NotPlain``, and the caller then
has pydantic validate the file, which says what is wrong and where. What it does take, it builds as
pydantic would: amounts through ``dec`` from their text, ``""`` as no amount, tiers by their names.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar, get_args

from jixiao.core.decimals import dec
from jixiao.model.frameworks.parts import (
    Band,
    ExecutionItem,
    Framework,
    Grade,
    Kind,
    Level1Spec,
    Method,
    MethodType,
    ReverseMethod,
    Section,
    Step,
)
from jixiao.model.values import Tier

T = TypeVar("T")


class NotPlain(Exception):
    """The data is not read here; pydantic validates it (and reports what is wrong, with positions)."""


def _amount(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (str, int, Decimal)):
        raise NotPlain
    try:
        number = dec(value)
    except (ValueError, TypeError):
        raise NotPlain from None
    if not number.is_finite():
        raise NotPlain
    return number


def _opt_amount(value: Any) -> Decimal | None:
    return None if value is None or value == "" else _amount(value)


def _non_negative(value: Any) -> Decimal:
    number = _amount(value)
    if number < 0:
        raise NotPlain
    return number


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise NotPlain
    return value


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise NotPlain
    return value


def _one_of(choices: tuple[str, ...]) -> Callable[[Any], Any]:
    def read(value: Any) -> Any:
        if not isinstance(value, str) or value not in choices:
            raise NotPlain
        return value

    return read


def _list(item: Callable[[Any], T]) -> Callable[[Any], list[T]]:
    def read(value: Any) -> list[T]:
        if not isinstance(value, list):
            raise NotPlain
        return [item(v) for v in value]

    return read


def _optional(item: Callable[[Any], T]) -> Callable[[Any], T | None]:
    return lambda value: None if value is None else item(value)


def _fields(data: Any, readers: dict[str, Callable[[Any], Any]], required: tuple[str, ...]) -> dict[str, Any]:
    """The keyword arguments of one part: only known keys, every required one, each read by its reader."""
    if not isinstance(data, dict) or not set(data) <= set(readers) or not set(required) <= set(data):
        raise NotPlain
    return {key: readers[key](value) for key, value in data.items()}


def _built(cls: Callable[..., T], fields: dict[str, Any]) -> T:
    """``cls(**fields)``, or NotPlain where it is not coherent (its ``__post_init__`` says why)."""
    try:
        return cls(**fields)
    except ValueError:
        raise NotPlain from None


def _execution(data: Any) -> ExecutionItem:
    return ExecutionItem(**_fields(data, {"name": _text, "weight": _non_negative, "cap": _flag}, ("weight",)))


def _level1(data: Any) -> Level1Spec:
    return Level1Spec(
        **_fields(data, {"name": _text, "weight": _non_negative, "level2": _list(_text)}, ("name", "weight"))
    )


def _band(data: Any) -> Band:
    return Band(**_fields(data, {"low": _amount, "high": _amount}, ("low", "high")))


def _grade(data: Any) -> Grade:
    return Grade(**_fields(data, {"name": _text, "min": _amount}, ("name", "min")))


def _points(value: Any) -> Decimal | str | None:
    return "full" if value == "full" else _opt_amount(value)


def _step(data: Any) -> Step:
    return _built(Step, _fields(data, {"upto": _opt_amount, "share": _opt_amount, "points": _points}, ()))


def _method(data: Any) -> Method:
    readers = {
        "type": _one_of(get_args(MethodType)),
        "steps": _list(_step),
        "threshold": _opt_amount,
        "per_point": _opt_amount,
    }
    return _built(Method, _fields(data, readers, ("type",)))


def _section(data: Any) -> Section:
    readers = {"key": _text, "title": _text, "match": _list(_text), "required": _flag}
    return Section(**_fields(data, readers, ("key", "title", "match")))


def _tiers(value: Any) -> dict[Tier, Band]:
    if not isinstance(value, dict):
        raise NotPlain
    try:
        return {Tier(_text(key)): _band(band) for key, band in value.items()}
    except ValueError:
        raise NotPlain from None


def _methods(value: Any) -> dict[str, Method]:
    if not isinstance(value, dict):
        raise NotPlain
    return {_text(key): _method(method) for key, method in value.items()}


_FRAMEWORK: dict[str, Callable[[Any], Any]] = {
    "name": _text,
    "title": _text,
    "kind": _one_of(get_args(Kind)),
    "extends": _optional(_text),
    "execution": _optional(_execution),
    "level1": _list(_level1),
    "reverse_method": _one_of(get_args(ReverseMethod)),
    "far_exceed_ratio": _amount,
    "low_execution": _amount,
    "tiers": _tiers,
    "grades": _list(_grade),
    "methods": _methods,
    "measures": _list(_text),
    "outline": _list(_section),
}


def framework_from(data: Any) -> Framework:
    """The framework ``data`` describes (``extends`` already applied), or ``NotPlain``."""
    return _built(Framework, _fields(data, _FRAMEWORK, ("name", "title", "level1", "tiers", "grades")))
