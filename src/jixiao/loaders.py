"""Stage 1 of the author path: a file (YAML or the 自评表 workbook) → Evaluation + source map + findings.

Never raises for bad input: every problem is a finding with the file, line/column (or sheet!cell).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from jixiao.findings import Finding, Location
from jixiao.model import Evaluation
from jixiao.rules.registry import rule
from jixiao.validate import validate
from jixiao.yamlio import SourceMap, load_yaml

MAX_INPUT_BYTES = 20 * 1024 * 1024


@dataclass
class Loaded:
    path: str
    evaluation: Evaluation | None
    source_map: SourceMap = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    def locate(self, path: str) -> Location:
        from jixiao.yamlio import locate

        return locate(self.source_map, path, Location(path=self.path))


def load_yaml_evaluation(text: str, file: str) -> Loaded:
    data, smap, findings = load_yaml(text, file)
    if findings:
        return Loaded(file, None, smap, findings)
    if not isinstance(data, dict):
        return Loaded(
            file,
            None,
            smap,
            [
                rule("I601").finding(
                    "文件顶层应是“键: 值”的映射（unit、budget、indicators…）", Location(path=file, line=1)
                )
            ],
        )
    ev, findings = validate(Evaluation, data, smap, file)
    return Loaded(file, ev, smap, findings)


def load_evaluation(path: str | Path) -> Loaded:
    """Load a unit's data from .yaml/.yml or .xlsx."""
    p = Path(path)
    file = str(path)
    if not p.is_file():
        return Loaded(file, None, {}, [rule("I601").finding("文件不存在或不是普通文件", Location(path=file))])
    if p.stat().st_size > MAX_INPUT_BYTES:
        return Loaded(
            file,
            None,
            {},
            [rule("I601").finding("文件过大（超过 20 MB），不像是单位的自评数据", Location(path=file))],
        )
    if p.suffix.lower() in (".xlsx", ".xlsm"):
        from jixiao.workbook.reader import load_workbook_evaluation

        return load_workbook_evaluation(p)
    raw = p.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("gb18030")
        except UnicodeDecodeError:
            return Loaded(
                file,
                None,
                {},
                [
                    rule("I601").finding(
                        "无法按 UTF-8 或 GB18030 解码：请另存为 UTF-8 文本", Location(path=file)
                    )
                ],
            )
    return load_yaml_evaluation(text, file)
