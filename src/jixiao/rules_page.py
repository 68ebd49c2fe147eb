"""The rules reference page, generated from the same docs `jixiao explain` prints (docs/rules.md)."""

from __future__ import annotations

from jixiao.core.rules.registry import CATEGORIES, DOC_SECTIONS
from jixiao.rulesets import every_rule


def rules_markdown() -> str:
    out = [
        "# 规则一览",
        "",
        "本页由 `jixiao rules --format markdown` 生成，内容与 `jixiao explain CODE` 相同。",
        "",
    ]
    rules = [r for r in every_rule() if not r.retired]
    for prefix, category in CATEGORIES.items():
        group = [r for r in rules if r.code.startswith(prefix)]
        if not group:
            continue
        out += [f"## {prefix} — {category}", "", "| 代码 | 名称 | 级别 | 适用 |", "| --- | --- | --- | --- |"]
        for r in group:
            targets = (
                "、".join(
                    {"model": "数据", "document": "报告", "bundle": "报告与自评表"}[t]
                    for t in sorted(r.checks)
                )
                or "读取/输入"
            )
            out.append(f"| [{r.code}](#{r.code.lower()}) | {r.name} | {r.severity_label} | {targets} |")
        out.append("")
        for r in group:
            out += [f"### {r.code}", "", f"`{r.slug}` — {r.name}（{r.severity_label}）", ""]
            for section in DOC_SECTIONS:
                out += [f"**{section}**", "", r.doc.get(section, "").strip() or "（无）", ""]
    return "\n".join(out).rstrip() + "\n"
