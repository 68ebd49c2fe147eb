"""What the API and the pages share: every query filtered by the units the user may see, documents and
findings as JSON in ``check --format json``'s shape, uploads and decisions."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from jixiao.store import schema
from jixiao.store.db import Store
from jixiao.store.files import Incoming, sniff
from jixiao.store.ingest import import_files
from jixiao.store.users import visible_units

DECISIONS = {"confirmed": "确认", "dismissed": "不采纳"}
UPLOAD_TYPES = ("txt", "docx", "pdf", "html", "xlsx", "doc", "zip")


class Refused(Exception):
    """A request that cannot be done: ``status`` for the API, ``message`` (Chinese) for people."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def scoped(s: Session, user: schema.User, query: Select[Any]) -> Select[Any]:
    units = visible_units(s, user)
    if units is None:
        return query
    return query.where(schema.Document.unit_id.in_(units))


def documents(
    s: Session, user: schema.User, unit: str | None = None, year: int | None = None
) -> list[schema.Document]:
    query = select(schema.Document).options(
        selectinload(schema.Document.unit).selectinload(schema.Unit.parent)
    )
    if unit:
        query = query.join(schema.Unit, schema.Document.unit_id == schema.Unit.id).where(
            schema.Unit.name == unit
        )
    if year is not None:
        query = query.where(schema.Document.year == year)
    return list(s.scalars(scoped(s, user, query).order_by(schema.Document.id)))


def document(s: Session, user: schema.User, doc_id: int) -> schema.Document:
    """The document, or 404 whether it does not exist or belongs to a unit the user may not see."""
    doc: schema.Document | None = s.scalar(
        scoped(s, user, select(schema.Document).where(schema.Document.id == doc_id))
    )
    if doc is None:
        raise Refused(404, "没有这份报告")
    return doc


def finding(s: Session, user: schema.User, finding_id: int) -> schema.Finding:
    row = s.get(schema.Finding, finding_id)
    if row is None:
        raise Refused(404, "没有这项发现")
    document(s, user, row.document_id)  # 404 for another unit's finding
    return row


def finding_dict(f: schema.Finding) -> dict[str, Any]:
    """``check --format json``'s finding, plus its id and the decision on it."""
    decision = f.decision
    return {
        "id": f.id,
        "code": f.code,
        "slug": _slug(f.code),
        "severity": f.severity,
        "message": f.message,
        "path": json.loads(f.location).get("path", ""),
        "line": f.line,
        "location": json.loads(f.location),
        "excerpt": f.excerpt,
        "values": json.loads(f.values),
        "related": json.loads(f.related),
        "catalogue": f.catalogue,
        "decision": None
        if decision is None
        else {
            "decision": decision.decision,
            "reason": decision.reason,
            "by": decision.user.name if decision.user else None,
            "at": decision.decided_at.isoformat(timespec="seconds"),
        },
    }


def _slug(code: str) -> str:
    from jixiao.core.rules.registry import get_rule

    rule = get_rule(code)
    return rule.slug if rule else ""


def document_dict(doc: schema.Document, *, findings: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": doc.id,
        "unit": doc.unit.name if doc.unit else None,
        "year": doc.year,
        "filename": doc.filename,
        "type": doc.media_type,
        "sha256": doc.sha256,
        "status": doc.status,
        "errors": doc.errors,
        "warnings": doc.warnings,
        "stated_score": doc.stated_score,
        "recomputed_score": doc.recomputed_score,
        "grade": doc.grade,
        "execution_rate": doc.execution_rate,
    }
    if findings:
        out["findings"] = [finding_dict(f) for f in doc.findings]
    return out


def upload(
    store: Store,
    user: schema.User,
    files: list[tuple[str, bytes]],
    unit: str | None = None,
    year: int | None = None,
) -> tuple[list[int], list[str]]:
    """Import uploaded files as ``user``; returns (document ids, problems). An author's files are their
    unit's whatever they say; a reviewer's new units go under the reviewer's 主管部门."""
    if user.role == "author":
        if user.unit is None:
            raise Refused(403, "作者账户没有所属单位")
        unit = user.unit.name
    problems: list[str] = []
    items: list[Incoming] = []
    for name, data in files:
        kind = sniff(data)
        if kind not in UPLOAD_TYPES:
            problems.append(
                f"{name}：不支持的文件类型（按内容识别为 {kind}；支持 .txt .docx .pdf .html .xlsx .doc .wps 与 zip）"
            )
            continue
        items.append(Incoming(name, data))
    parent = user.unit.name if user.role == "reviewer" and user.unit is not None else None
    if unit and user.role == "reviewer":
        with store.session() as s:
            named = s.scalar(select(schema.Unit).where(schema.Unit.name == unit))
            allowed = visible_units(s, user)
            if named is not None and allowed is not None and named.id not in allowed:
                raise Refused(404, f"没有这个单位：{unit}")
    outcome = import_files(
        store, items, unit=unit or None, year=year, parent=parent, user_id=user.id, unit_from="text"
    )
    problems.extend(outcome.problems)
    ids = outcome.imported + outcome.existing
    with store.session() as s:
        visible = {d.id for d in documents(s, user)}
    hidden = [i for i in ids if i not in visible]
    if hidden:
        problems.append(f"{len(hidden)} 个文件已由其他单位导入，您无权查看")
    return [i for i in ids if i in visible], problems


def decide(s: Session, user: schema.User, finding_id: int, verdict: str, reason: str) -> schema.Finding:
    if user.role == "author":
        raise Refused(403, "作者不能对发现作复核结论")
    if verdict not in DECISIONS:
        raise Refused(422, "decision 须为 confirmed 或 dismissed")
    reason = reason.strip()
    if verdict == "dismissed" and not reason:
        raise Refused(422, "不采纳须写明理由")
    row = finding(s, user, finding_id)
    if row.decision is None:
        row.decision = schema.Decision(decision=verdict, reason=reason[:2000], user_id=user.id)
    else:
        row.decision.decision, row.decision.reason = verdict, reason[:2000]
        row.decision.user_id, row.decision.decided_at = user.id, schema.now()
    s.flush()
    s.refresh(row.decision)
    return row
