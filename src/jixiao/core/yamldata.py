"""YAML for the data files we ship and for quick reads (rule catalogues, frameworks): the C parser.

ruamel's resolver asks for the document's YAML version at every scalar, and with the C parser (which
does not tell it) that takes two failed attribute lookups each time: a third of the time to load the
rule catalogues at start-up. The C parser reads every document as YAML 1.2 (a ``%YAML 1.1`` directive
changes nothing), so the version is given once here; the values read are the same. Nor does it look
for plug-ins (none is installed with jixiao).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.constructor import SafeConstructor
from ruamel.yaml.error import YAMLError
from ruamel.yaml.resolver import VersionedResolver

__all__ = ["float_as_decimal", "load_yaml_data", "safe_yaml"]


class _Yaml12Resolver(VersionedResolver):
    processing_version: Any = (1, 2)  # a plain attribute in place of the base class's property


class _NoPlugIns(YAML):
    def official_plug_ins(self) -> Any:
        # ruamel looks for plug-in folders beside itself (a glob, 4 ms) at every instance; we use none.
        return []


def safe_yaml() -> YAML:
    """``YAML(typ="safe")`` with the version given once (set ``Constructor`` on it as usual)."""
    yaml = _NoPlugIns(typ="safe")
    yaml.Resolver = _Yaml12Resolver
    return yaml


def float_as_decimal(self: SafeConstructor, node: Any) -> Any:
    """A YAML float built from its text as written, so 279.10 keeps its two decimals."""
    text = str(node.value).replace("_", "")
    try:
        return Decimal(text)
    except InvalidOperation:
        return text  # .inf / .nan: leave as text; validation will say it is not a number


class _DecimalConstructor(SafeConstructor):
    """Floats as Decimals (``float_as_decimal``), for ``load_yaml_data``."""


_DecimalConstructor.add_constructor("tag:yaml.org,2002:float", float_as_decimal)


def load_yaml_data(text: str) -> Any:
    """The data of ``yamlio.load_yaml`` without positions, read by the C parser (several times faster):
    for text that is nearly always valid (a built-in framework). None when it does not parse;
    ``load_yaml`` then says where."""
    y = safe_yaml()
    y.Constructor = _DecimalConstructor
    try:
        return y.load(text)
    except YAMLError:
        return None
