"""The author's page: a unit's YAML or filled 自评表 workbook → validation findings (the author pipeline)
→ the generated report to download. The upload is stored like a report (server-made name)."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from jixiao.store import schema
from jixiao.store.db import Store
from jixiao.store.files import keep, sniff
from jixiao.web.access import Refused

FORMATS = {"docx": "Word 报告 (.docx)", "pdf": "PDF", "xlsx": "自评表 (.xlsx)", "md": "Markdown (.md)"}
MEDIA = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "md": "text/markdown; charset=utf-8",
}


def _suffix(name: str, data: bytes) -> str:
    kind = sniff(data)
    if kind == "xlsx":
        return "xlsx"
    if kind == "txt" and name.lower().endswith((".yaml", ".yml")):
        return "yaml"
    raise Refused(422, "请上传单位数据：YAML 文件（.yaml）或填好的自评表工作簿（.xlsx）")


def evaluate_upload(store: Store, user: schema.User, name: str, data: bytes) -> int:
    """Store and evaluate an upload; returns the evaluation's id."""
    import hashlib

    from jixiao.author.pipeline import evaluate

    suffix = _suffix(name, data)
    digest = hashlib.sha256(data).hexdigest()
    path = keep(store.files, f"{digest}.{suffix}", data)
    result = evaluate(path)
    findings = []
    for f in result.findings:
        d = f.to_dict()
        d["path"] = name
        d["location"]["path"] = name
        findings.append(d)
    scored = result.scored
    with store.session() as s:
        unit = None
        if user.role == "author":
            unit = s.get(schema.Unit, user.unit_id)
        elif scored is not None:
            unit = store.unit(s, scored.evaluation.unit.name)
        row = schema.Evaluation(
            unit=unit,
            year=scored.evaluation.unit.year if scored is not None else None,
            filename=name[-200:],
            stored_name=path.name,
            sha256=digest,
            total_score=None if scored is None else str(scored.total),
            grade=None if scored is None else scored.grade,
            findings=json.dumps(findings, ensure_ascii=False),
            created_by=user.id,
        )
        s.add(row)
        s.flush()
        return row.id


def evaluation(store: Store, user: schema.User, eid: int) -> schema.Evaluation:
    with store.session() as s:
        row = s.get(schema.Evaluation, eid)
        if row is None or (user.role == "author" and row.unit_id != user.unit_id):
            raise Refused(404, "没有这份自评数据")
        if user.role == "reviewer" and user.unit_id is not None:
            from jixiao.store.users import visible_units

            units = visible_units(s, user) or set()
            if row.unit_id not in units:
                raise Refused(404, "没有这份自评数据")
        _ = row.unit
        return row


def generate(store: Store, row: schema.Evaluation, fmt: str) -> tuple[str, bytes]:
    """(file name, bytes) of the report in ``fmt`` made from the stored data."""
    from jixiao.author.pipeline import evaluate
    from jixiao.report.emit import write_outputs

    if fmt not in FORMATS:
        raise Refused(404, "不支持的格式")
    result = evaluate(store.path_of(row.stored_name))
    if result.scored is None:
        raise Refused(422, "数据无法计分，不能生成报告：请先改正错误")
    with tempfile.TemporaryDirectory(prefix="jixiao-author-") as tmp:
        written, notes = write_outputs(
            result.scored, result.findings, Path(tmp), [fmt], pdf=fmt == "pdf", force=True
        )
        made = [p for p in written if p.suffix == f".{fmt}"]
        if not made:  # PDF needs LibreOffice on the server: say so
            raise Refused(503, "；".join(notes) or f"无法生成 {fmt}")
        return made[0].name, made[0].read_bytes()


def formats() -> dict[str, str]:
    """The formats this server can make (PDF only where LibreOffice is installed)."""
    import shutil

    have_office = bool(shutil.which("soffice") or shutil.which("libreoffice"))
    return {k: v for k, v in FORMATS.items() if k != "pdf" or have_office}
