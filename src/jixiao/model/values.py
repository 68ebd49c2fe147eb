"""The value types the evaluation and the frameworks share: amounts as written, qualitative tiers.

Apart from ``evaluation.py`` so that a framework (all the review path needs of the model) loads without
building the evaluation's models.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any

from jixiao.core.decimals import dec

__all__ = ["Amount", "NonNegativeAmount", "OptAmount", "Tier"]


def _to_decimal(value: Any) -> Any:
    """Accept text and ints, never floats: YAML loaders hand us the scalar text (see loaders)."""
    if value is None or value == "":
        return None
    if isinstance(value, float):
        raise ValueError("金额和分值须按书写的文字读取，不接受二进制浮点数")
    if isinstance(value, (str, int, Decimal)):
        return dec(value)  # its ValueError names the value and, where it can, the likely mistake
    return value


class _AsWritten:
    """pydantic's ``BeforeValidator(_to_decimal)`` (and ``Field(ge=minimum)``), through pydantic's hook for
    custom types: this module (and so a framework, which shares it) loads without importing pydantic."""

    def __init__(self, minimum: int | None = None) -> None:
        self.minimum = minimum

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        inner = (
            handler(source) if self.minimum is None else core_schema.decimal_schema(ge=Decimal(self.minimum))
        )
        return core_schema.no_info_before_validator_function(_to_decimal, inner)


Amount = Annotated[Decimal, _AsWritten()]
OptAmount = Annotated[Decimal | None, _AsWritten()]
NonNegativeAmount = Annotated[Decimal, _AsWritten(minimum=0)]


class Tier(StrEnum):
    """定性指标的三档 (domain.md §2)."""

    MET = "达成年度指标"
    PARTLY = "部分达成年度指标并具有一定效果"
    NOT_MET = "未达成年度指标且效果较差"

    @classmethod
    def parse(cls, text: str) -> Tier:
        t = str(text).strip()
        for tier in cls:
            if t == tier.value:
                return tier
        short = {"达成": cls.MET, "部分达成": cls.PARTLY, "未达成": cls.NOT_MET}
        if t in short:
            return short[t]
        raise ValueError(f"档次应为 达成 / 部分达成 / 未达成（或其全称），而不是 {t!r}")
