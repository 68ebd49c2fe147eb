"""Stage 1 of the author path: a file (YAML or the 自评表 workbook) → Evaluation + source map + findings.

Never raises for bad input: every problem is a finding with the file, line/column (or sheet!cell).
"""

from __future__ import annotations

from pathlib import Path

from jixiao.author.loaded import Loaded, load_yaml_evaluation
from jixiao.core.findings import Location
from jixiao.core.rules.registry import rule

__all__ = ["MAX_INPUT_BYTES", "Loaded", "load_evaluation", "load_yaml_evaluation"]

MAX_INPUT_BYTES = 20 * 1024 * 1024


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
        from jixiao.author.workbook import load_workbook_evaluation  # openpyxl only when needed

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
