"""The author pipeline in one place (beancount's loader habit): load → framework → score → rules.

Each stage returns findings rather than raising, so one bad part never hides the others.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from jixiao.findings import Finding, Location
from jixiao.frameworks import Framework, FrameworkError, load_framework
from jixiao.loaders import Loaded, load_evaluation
from jixiao.rules.registry import run_checks
from jixiao.scoring import Scored, score


@dataclass
class ModelContext:
    """What a model check sees: the data, its scores, the framework and where each value was typed."""

    loaded: Loaded
    scored: Scored
    framework: Framework

    @property
    def evaluation(self):  # type: ignore[no-untyped-def]
        return self.scored.evaluation

    def locate(self, path: str) -> Location:
        return self.loaded.locate(path)


@dataclass
class Result:
    loaded: Loaded
    framework: Framework | None = None
    scored: Scored | None = None
    findings: list[Finding] = field(default_factory=list)

    @property
    def usable(self) -> bool:
        return self.scored is not None


def evaluate_loaded(loaded: Loaded, framework: str | None = None) -> Result:
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
    result.findings.extend(run_checks("model", ModelContext(loaded, result.scored, fw)))
    return result


def evaluate(path: str | Path, framework: str | None = None) -> Result:
    return evaluate_loaded(load_evaluation(path), framework)
