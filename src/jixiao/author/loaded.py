"""What loading gives (an Evaluation, where each value was typed, findings) and the YAML loader.

Kept apart from ``load.py`` so the workbook reader can build a ``Loaded`` without importing the
dispatcher that imports it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from jixiao.core.findings import Finding, Location
from jixiao.core.rules.registry import rule
from jixiao.core.validate import validate
from jixiao.core.yamlio import SourceMap, load_yaml, locate
from jixiao.model.evaluation import Evaluation


@dataclass
class Loaded:
    path: str
    evaluation: Evaluation | None
    source_map: SourceMap = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    def locate(self, path: str) -> Location:
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
