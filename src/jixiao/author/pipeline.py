"""The author pipeline in one place (beancount's loader habit): load → framework → score → rules.

Each stage returns findings rather than raising, so one bad part never hides the others.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from jixiao.author import checks as _checks  # noqa: F401  (importing registers the model checks)
from jixiao.author.context import ModelContext
from jixiao.author.load import Loaded, load_evaluation
from jixiao.core.findings import Finding
from jixiao.core.rules.registry import run_checks
from jixiao.model.frameworks import Framework, FrameworkError, load_framework
from jixiao.model.scoring import Scored, score


@dataclass
class Result:
    loaded: Loaded
    framework: Framework | None = None
    scored: Scored | None = None
    findings: list[Finding] = field(default_factory=list)

    @property
    def usable(self) -> bool:
        return self.scored is not None


def evaluate_loaded(
    loaded: Loaded, framework: str | None = None, *, enabled: Iterable[str] | None = None
) -> Result:
    """Framework, scores and the model checks (only the codes in ``enabled``, when given)."""
    result = Result(loaded, findings=list(loaded.findings))
    ev = loaded.evaluation
    if ev is None:
        return result
    name = framework or ev.framework
    if not framework and ev.framework.endswith((".yaml", ".yml")) and not Path(name).is_absolute():
        # A framework file named in the data is relative to the data file, as a user would expect.
        name = str(Path(loaded.path).parent / name)
    try:
        fw = load_framework(name)
    except FrameworkError as exc:
        result.findings.extend(exc.findings)
        return result
    result.framework = fw
    result.scored = score(ev, fw)
    result.findings.extend(run_checks("model", ModelContext(loaded, result.scored, fw), enabled=enabled))
    return result


def evaluate(
    path: str | Path, framework: str | None = None, *, enabled: Iterable[str] | None = None
) -> Result:
    return evaluate_loaded(load_evaluation(path), framework, enabled=enabled)
