"""The harness result as Markdown (docs/accuracy.md): tables of counts, the command, date and commit."""

from __future__ import annotations

import datetime as _dt
import subprocess
from pathlib import Path

from jixiao_dev.harness.inject import KINDS
from jixiao_dev.harness.run import HarnessResult, KindStats

__all__ = ["git_commit", "render_result"]


def git_commit(cwd: Path | None = None) -> str:
    """``git rev-parse --short HEAD``, or "unknown" where there is no git or no repository."""
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return out.stdout.strip() or "unknown"


def _pct(num: int, den: int) -> str:
    return f"{100 * num / den:.1f}%" if den else "—"


def _kind_row(name: str, s: KindStats) -> str:
    spec = KINDS[name]
    codes = "/".join(sorted(spec.codes))
    return (
        f"| {name} | {codes} ({spec.severity}) | {s.n} | {s.detected} | {_pct(s.detected, s.n)} | "
        f"{s.flagged} | {_pct(s.flagged, s.n)} | {s.not_placed} |"
    )


def render_result(result: HarnessResult, command: str, commit: str | None = None) -> str:
    """Markdown tables of a harness run (clean reports, detection per kind and per layout, recovery)."""
    commit = commit or git_commit()
    today = _dt.date.today().isoformat()
    out = [
        f"Run {today}, commit `{commit}`, {result.n} random reports (seed {result.seed}), "
        f"{len(result.layouts)} layouts, {result.seconds:.0f} s:",
        "",
        "```",
        command,
        "```",
        "",
        "### Clean reports (false alarms)",
        "",
        "| layout | reports | error-level findings | reports with an error | warnings | error codes | warning codes |",
        "|---|---|---|---|---|---|---|",
    ]
    for layout, c in result.clean.items():
        errs = ", ".join(f"{k}×{v}" for k, v in c.error_codes.most_common()) or "—"
        warns = ", ".join(f"{k}×{v}" for k, v in c.warning_codes.most_common()) or "—"
        out.append(
            f"| {layout} | {c.n} | {c.errors} | {c.reports_with_error} | {c.warnings} | {errs} | {warns} |"
        )
    examples = [e for c in result.clean.values() for e in c.examples]
    if examples:
        out += ["", "False alarms (first of each code per layout):", ""]
        out += [f"- {e}" for e in dict.fromkeys(examples)]
    out += [
        "",
        "### One injected error per report",
        "",
        "Detected = a new finding of an accepted code, at the stated severity or above, pointing at the injected "
        "figure (same line, or same table row, or naming the figure in its values or excerpt). Flagged = such a "
        "finding anywhere. Not placed = the rendering had no place for that error (not counted in n).",
        "",
        "| kind | accepted codes | n | detected | rate | flagged | flagged rate | not placed |",
        "|---|---|---|---|---|---|---|---|",
    ]
    out += [_kind_row(name, s) for name, s in result.kinds.items()]
    out += ["", "Detected per layout (detected/n):", ""]
    out.append("| kind | " + " | ".join(result.layouts) + " |")
    out.append("|---|" + "---|" * len(result.layouts))
    for name in result.kinds:
        cells = []
        for layout in result.layouts:
            s = result.by_layout.get((name, layout))
            cells.append(f"{s.detected}/{s.n}" if s and s.n else "—")
        out.append(f"| {name} | " + " | ".join(cells) + " |")
    misses = [(name, m) for name, s in result.kinds.items() for m in s.misses]
    if misses:
        out += ["", "Misses (first few per kind):", ""]
        out += [f"- **{name}** {m}" for name, m in misses]
    out += [
        "",
        "### Recovery of the model's figures from clean reports",
        "",
        "Recovered = some claim of that kind states the model's value; conflicting = recovered, but another claim "
        "of the same kind reads a different value; wrong = claims exist, none right; missing = no claim.",
        "",
        "| layout | figure | n | recovered | rate | conflicting | wrong | missing |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for key, r in sorted(result.recovery.items()):
        layout, figure = key.split("|", 1)
        out.append(
            f"| {layout} | {figure} | {r.n} | {r.recovered} | {_pct(r.recovered, r.n)} | {r.conflicting} | "
            f"{r.wrong} | {r.missing} |"
        )
    if result.crashes:
        out += ["", "Crashes (rendering or review raised):", ""] + [f"- {c}" for c in result.crashes[:20]]
    return "\n".join(out) + "\n"
