"""The web pages (Jinja2 + htmx, Chinese). Pages redirect to the login page when nobody is logged in;
every form posts a CSRF token (htmx sends it as a header)."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from jixiao.store import schema
from jixiao.store.db import Store
from jixiao.store.users import authenticate
from jixiao.web import access
from jixiao.web.access import Refused
from jixiao.web.session import csrf_ok, csrf_token, current_user

router = APIRouter()
templates = Jinja2Templates(directory=str(Path(__file__).with_name("templates")))
ROLE_NAMES = {"admin": "管理员", "reviewer": "审核人", "author": "填报单位"}


def _store(request: Request) -> Store:
    return request.app.state.store  # type: ignore[no-any-return]


def page_user(request: Request) -> schema.User:
    user = current_user(request)
    if user is None:
        raise Refused(401, "请先登录")
    return user


def reviewer(request: Request) -> schema.User:
    user = page_user(request)
    if user.role == "author":
        raise Refused(403, "此页面仅供审核人使用")
    return user


def check_csrf(request: Request, token: str | None) -> None:
    if not csrf_ok(request, token):
        raise Refused(403, "表单已过期或来源不明（CSRF 校验失败），请刷新页面后重试")


def render(request: Request, template: str, http_status: int = 200, **context: Any) -> HTMLResponse:
    context.setdefault("user", current_user(request))
    context["csrf"] = csrf_token(request)
    context["role_names"] = ROLE_NAMES
    return templates.TemplateResponse(request, template, context, status_code=http_status)


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    return render(request, "error.html", http_status=status, status_code=status, message=message)


def _json(data: Any) -> Markup:
    """JSON to put inside <script type="application/json">: no "<", ">" or "&" that HTML would read."""
    text = json.dumps(data, ensure_ascii=False)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def _attachment(name: str, data: bytes, media: str) -> Response:
    return Response(
        data,
        media_type=media,
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"},
    )


# --- login ---------------------------------------------------------------------------------------------


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request) -> HTMLResponse:
    return render(request, "login.html", user=None)


@router.post("/login", response_class=HTMLResponse)
def login_form(
    request: Request,
    name: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(request, csrf)
    with _store(request).session() as s:
        user = authenticate(s, name, password)
        uid = user.id if user else None
    if uid is None:
        return render(request, "login.html", http_status=401, user=None, error="用户名或密码不对", name=name)
    request.session.clear()
    request.session["uid"] = uid
    return RedirectResponse("/", status_code=303)


@router.post("/logout")
def logout(request: Request, csrf: Annotated[str, Form()] = "") -> Response:
    check_csrf(request, csrf)
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


# --- units × years -------------------------------------------------------------------------------------

SORTS: dict[str, Callable[[schema.Document], Any]] = {
    "unit": lambda d: (d.unit.name if d.unit else "", d.year or 0),
    "year": lambda d: (d.year or 0, d.unit.name if d.unit else ""),
    "errors": lambda d: (d.errors, d.warnings),
    "warnings": lambda d: (d.warnings, d.errors),
    "stated": lambda d: _num(d.stated_score),
    "recomputed": lambda d: _num(d.recomputed_score),
    "gap": lambda d: _gap(d) or Decimal(0),
    "rate": lambda d: _num(d.execution_rate),
    "grade": lambda d: "优良中差".find(d.grade) if d.grade in ("优", "良", "中", "差") else 9,
}


def _num(text: str | None) -> Decimal:
    try:
        return Decimal(text) if text else Decimal(-1)
    except InvalidOperation:
        return Decimal(-1)


def _gap(d: schema.Document) -> Decimal | None:
    if d.stated_score and d.recomputed_score:
        return Decimal(d.stated_score) - Decimal(d.recomputed_score)
    return None


def table_rows(
    documents: list[schema.Document], q: str, year: str, status: str, sort: str, desc: bool
) -> list[schema.Document]:
    rows = documents
    if q:
        rows = [d for d in rows if (d.unit and q in d.unit.name) or q in d.filename]
    if year.isdigit():
        rows = [d for d in rows if d.year == int(year)]
    if status == "errors":
        rows = [d for d in rows if d.errors]
    elif status == "warnings":
        rows = [d for d in rows if d.warnings and not d.errors]
    elif status == "clean":
        rows = [d for d in rows if not d.errors and not d.warnings and d.status == "checked"]
    elif status == "unreadable":
        rows = [d for d in rows if d.status == "unreadable"]
    return sorted(rows, key=SORTS.get(sort, SORTS["unit"]), reverse=desc)


def matrix(rows: list[schema.Document]) -> tuple[list[schema.Unit], list[int], dict[tuple[int, int], Any]]:
    """Units down, years across: the last report of each unit and year."""
    units: dict[int, schema.Unit] = {}
    cells: dict[tuple[int, int], schema.Document] = {}
    for d in sorted(rows, key=lambda d: d.id):
        if d.unit is not None and d.year is not None:
            units[d.unit.id] = d.unit
            cells[(d.unit.id, d.year)] = d
    years = sorted({y for _, y in cells})
    return sorted(units.values(), key=lambda u: u.name), years, cells


@router.get("/", response_class=HTMLResponse)
def home(
    request: Request,
    q: str = "",
    year: str = "",
    status: str = "",
    sort: str = "unit",
    desc: bool = False,
    view: str = "list",
) -> Response:
    user = page_user(request)
    if user.role == "author":
        return RedirectResponse("/author", status_code=303)
    with _store(request).session() as s:
        docs = access.documents(s, user)
        for d in docs:
            _ = d.unit.parent if d.unit else None
    rows = table_rows(docs, q.strip(), year, status, sort, desc)
    years = sorted({d.year for d in docs if d.year}, reverse=True)
    name = "_table.html" if request.headers.get("hx-request") else "home.html"
    return render(
        request,
        name,
        view="matrix" if view == "matrix" else "list",
        matrix=matrix(rows) if view == "matrix" else None,
        user=user,
        rows=rows,
        years=years,
        total=len(docs),
        q=q,
        year=year,
        status=status,
        sort=sort,
        desc=desc,
        gap=_gap,
    )


# --- upload --------------------------------------------------------------------------------------------


@router.get("/upload", response_class=HTMLResponse)
def upload_page(request: Request) -> HTMLResponse:
    return render(request, "upload.html", user=page_user(request))


@router.post("/upload", response_class=HTMLResponse)
async def upload_form(
    request: Request,
    files: Annotated[list[UploadFile], File()],
    unit: Annotated[str, Form()] = "",
    year: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
) -> HTMLResponse:
    user = page_user(request)
    check_csrf(request, csrf)
    from jixiao.web.api import read_upload

    uploads = [await read_upload(request, f) for f in files if f.filename]
    ids, problems = access.upload(
        _store(request), user, uploads, unit.strip() or None, int(year) if year.strip().isdigit() else None
    )
    with _store(request).session() as s:
        docs = [access.document(s, user, i) for i in ids]
        for d in docs:
            _ = d.unit
    return render(request, "uploaded.html", user=user, docs=docs, problems=problems)


# --- one report ----------------------------------------------------------------------------------------


@router.get("/documents/{doc_id}", response_class=HTMLResponse)
def document_page(doc_id: int, request: Request) -> HTMLResponse:
    from jixiao.web.marked import marked_blocks, values_line

    user = page_user(request)
    store = _store(request)
    with store.session() as s:
        doc = access.document(s, user, doc_id)
        rows = list(doc.findings)
        for f in rows:
            _ = f.decision.user if f.decision else None
        _ = doc.unit
        blocks, unplaced = marked_blocks(store.path_of(doc.stored_name), rows)
    return render(
        request,
        "document.html",
        user=user,
        doc=doc,
        blocks=blocks,
        unplaced=unplaced,
        pending=sum(1 for f in rows if f.decision is None),
        values_line=values_line,
        can_decide=user.role != "author",
    )


@router.get("/documents/{doc_id}/original")
def original(doc_id: int, request: Request) -> Response:
    user = page_user(request)
    store = _store(request)
    with store.session() as s:
        doc = access.document(s, user, doc_id)
        data = store.path_of(doc.stored_name).read_bytes()
        name = Path(doc.filename).name
    return _attachment(name, data, "application/octet-stream")


@router.post("/findings/{finding_id}/decision", response_class=HTMLResponse)
def decision_form(
    finding_id: int,
    request: Request,
    decision: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
) -> HTMLResponse:
    from jixiao.web.marked import values_line

    user = page_user(request)
    check_csrf(request, csrf)
    error = ""
    with _store(request).session() as s:
        try:
            row = access.decide(s, user, finding_id, decision, reason)
        except Refused as exc:
            if exc.status != 422:
                raise
            row, error = access.finding(s, user, finding_id), exc.message
        _ = row.decision.user if row.decision else None
    return render(
        request, "_finding.html", user=user, f=row, values_line=values_line, can_decide=True, error=error
    )


# --- dashboards and exports ----------------------------------------------------------------------------


def _documents_with_findings(request: Request, user: schema.User) -> list[schema.Document]:
    with _store(request).session() as s:
        query = access.scoped(
            s,
            user,
            select(schema.Document).options(
                selectinload(schema.Document.unit).selectinload(schema.Unit.parent),
                selectinload(schema.Document.findings)
                .selectinload(schema.Finding.decision)
                .selectinload(schema.Decision.user),
                selectinload(schema.Document.figures),
            ),
        )
        return list(s.scalars(query.order_by(schema.Document.year, schema.Document.id)))


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard_page(request: Request) -> HTMLResponse:
    from jixiao.web.charts import dashboard

    user = reviewer(request)
    docs = _documents_with_findings(request, user)
    data = dashboard(docs, [(f.code, f.severity) for d in docs for f in d.findings])
    return render(request, "dashboard.html", user=user, data=_json(data))


@router.get("/export/review.xlsx")
def export_xlsx(request: Request) -> Response:
    from jixiao.store.exports import review_xlsx

    data = review_xlsx(_documents_with_findings(request, reviewer(request)))
    return _attachment(
        "复核表.xlsx", data, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


@router.get("/export/review.csv")
def export_csv(request: Request) -> Response:
    from jixiao.store.exports import review_csv

    data = review_csv(_documents_with_findings(request, reviewer(request)))
    return _attachment("复核表.csv", data, "text/csv; charset=utf-8")


@router.get("/export/datapackage.zip")
def export_fdp(request: Request) -> Response:
    from jixiao.store.exports import datapackage_zip

    data = datapackage_zip(_documents_with_findings(request, reviewer(request)))
    return _attachment("budget-datapackage.zip", data, "application/zip")


# --- year on year --------------------------------------------------------------------------------------


@router.get("/units/{unit_id}", response_class=HTMLResponse)
def unit_page(unit_id: int, request: Request) -> HTMLResponse:
    from jixiao.store.yearly import copied, diff_marks, latest_by_year, paragraphs

    user = page_user(request)
    with _store(request).session() as s:
        unit = s.get(schema.Unit, unit_id)
        docs = [d for d in access.documents(s, user) if d.unit_id == unit_id]
        if unit is None or not docs:
            raise Refused(404, "没有这个单位的报告")
        for d in docs:
            _ = list(d.figures)
    by_year = latest_by_year(docs)
    years = list(by_year)
    series: dict[str, Any] = {"years": [str(y) for y in years]}
    series["stated"] = [by_year[y].stated_score for y in years]
    series["recomputed"] = [by_year[y].recomputed_score for y in years]
    series["rate"] = [by_year[y].execution_rate for y in years]
    amounts = {y: {(f.phase, f.scope): f.amount for f in by_year[y].figures} for y in years}
    series["executed"] = [amounts[y].get(("执行", "总")) for y in years]
    series["annual"] = [amounts[y].get(("调整", "总")) for y in years]
    pairs = []
    for last, this in itertools.pairwise(years):
        found = copied(paragraphs(by_year[this]), paragraphs(by_year[last]))
        total = sum(1 for p in paragraphs(by_year[this]) if len(p) >= 30)
        pairs.append(
            {
                "this": this,
                "last": last,
                "total": total,
                "copies": [(c, *diff_marks(c.last, c.this)) for c in found],
            }
        )
    return render(
        request,
        "unit.html",
        user=user,
        unit=unit,
        by_year=by_year,
        series=_json(series),
        pairs=pairs[::-1],
    )


# --- author --------------------------------------------------------------------------------------------


@router.get("/author", response_class=HTMLResponse)
def author_page(request: Request) -> HTMLResponse:
    user = page_user(request)
    with _store(request).session() as s:
        query = select(schema.Evaluation).order_by(schema.Evaluation.id.desc())
        if user.role == "author":
            query = query.where(schema.Evaluation.unit_id == user.unit_id)
        elif user.role == "reviewer" and user.unit_id is not None:
            from jixiao.store.users import visible_units

            query = query.where(schema.Evaluation.unit_id.in_(visible_units(s, user) or set()))
        evaluations = list(s.scalars(query.limit(50)))
        for e in evaluations:
            _ = e.unit
        reports = access.documents(s, user) if user.role == "author" else []
        for d in reports:
            _ = d.unit
    return render(request, "author.html", user=user, evaluations=evaluations, reports=reports)


@router.post("/author", response_class=HTMLResponse)
async def author_upload(
    request: Request, file: Annotated[UploadFile, File()], csrf: Annotated[str, Form()] = ""
) -> Response:
    from jixiao.web.api import read_upload
    from jixiao.web.author import evaluate_upload

    user = page_user(request)
    check_csrf(request, csrf)
    name, data = await read_upload(request, file)
    eid = evaluate_upload(_store(request), user, name, data)
    return RedirectResponse(f"/author/{eid}", status_code=303)


@router.get("/author/{eid}", response_class=HTMLResponse)
def evaluation_page(eid: int, request: Request) -> HTMLResponse:
    from jixiao.core.findings import values_text
    from jixiao.web.author import evaluation, formats

    user = page_user(request)
    row = evaluation(_store(request), user, eid)
    return render(
        request,
        "evaluation.html",
        user=user,
        ev=row,
        findings=json.loads(row.findings),
        formats=formats(),
        values_text=values_text,
    )


@router.get("/author/{eid}/report.{fmt}")
def evaluation_download(eid: int, fmt: str, request: Request) -> Response:
    from jixiao.web.author import MEDIA, evaluation, generate

    user = page_user(request)
    store = _store(request)
    name, data = generate(store, evaluation(store, user, eid), fmt)
    return _attachment(name, data, MEDIA[fmt])


@router.get("/documents/{doc_id}/extract.yaml")
def extract_from_report(doc_id: int, request: Request) -> Response:
    """Start this year's data from a stored report (last year's): what ``jixiao extract`` makes of it."""
    from jixiao.convert.extract import extract_yaml

    user = page_user(request)
    store = _store(request)
    with store.session() as s:
        doc = access.document(s, user, doc_id)
        path, year = store.path_of(doc.stored_name), doc.year
    text, _missing = extract_yaml(path)
    return _attachment(f"extracted-{year or ''}.yaml", text.encode("utf-8"), "application/x-yaml")
