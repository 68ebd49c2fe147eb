"""Every rule with its checks registered: what ``jixiao rules``, ``explain`` and the docs page list.

Each path registers its own checks when it runs; a listing of all rules imports both paths here, at
the top layer, so the core never has to know which modules hold checks.
"""

from __future__ import annotations

from jixiao.core.rules.registry import Rule, all_rules


def load_all_checks() -> None:
    import jixiao.author.checks
    import jixiao.review.checks  # noqa: F401


def every_rule() -> list[Rule]:
    """All catalogued rules, each knowing the targets its checks run on."""
    load_all_checks()
    return all_rules()
