"""Accuracy harness for the review path: random clean reports, rendered in several layouts and phrasings,
reviewed as they are (false alarms, recovery of figures) and with exactly one error typed in (detection).

    from jixiao_dev.harness import run_harness, render_result
    result = run_harness(n=20, seed=1)
    print(render_result(result, "python tools/accuracy.py --n 20 --seed 1"))

``tools/accuracy.py`` is the command-line front; ``docs/accuracy.md`` holds the latest figures.
"""

from jixiao_dev.harness.inject import KINDS, Injection, Kind, inject
from jixiao_dev.harness.layouts import LAYOUTS, PHRASINGS, Edit, Rendered, markdown_to_text, render
from jixiao_dev.harness.report import git_commit, render_result
from jixiao_dev.harness.run import CleanStats, HarnessResult, KindStats, Recovery, run_harness

__all__ = [
    "KINDS",
    "LAYOUTS",
    "PHRASINGS",
    "CleanStats",
    "Edit",
    "HarnessResult",
    "Injection",
    "Kind",
    "KindStats",
    "Recovery",
    "Rendered",
    "git_commit",
    "inject",
    "markdown_to_text",
    "render",
    "render_result",
    "run_harness",
]
