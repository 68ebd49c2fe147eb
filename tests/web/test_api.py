"""The JSON API and the security rules the pages share: 401/404 by unit, CSRF, upload limits, type from
content, escaping of report text, decisions, exports."""

from __future__ import annotations

import io
import json
import zipfile

from jixiao.review.pipeline import check_file
from tests.web.conftest import EXAMPLES, Workspace, csrf_of

AGRI = EXAMPLES / "reports" / "guichuan-agri-2024-errors.txt"
COUNTY = EXAMPLES / "reports" / "county-education-2024-clean.txt"


def _upload(client, path=AGRI, name=None, data=None, **form):  # type: ignore[no-untyped-def]
    content = path.read_bytes() if data is None else data
    return client.post("/api/documents", files={"file": (name or path.name, content)}, data=form)


def test_unauthenticated_api_is_401_and_pages_redirect(ws: Workspace) -> None:
    c = ws.client()
    assert c.get("/api/documents").status_code == 401
    assert c.get("/api/documents/1").status_code == 401
    assert _upload(c).status_code == 401
    assert c.post("/api/findings/1/decision", json={"decision": "confirmed"}).status_code == 401
    r = c.get("/", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login"
    bad = c.post("/api/login", json={"name": "admin", "password": "wrong"})
    assert bad.status_code == 401


def test_upload_returns_findings_in_check_json_shape(ws: Workspace) -> None:
    c = ws.client("au_a")
    r = _upload(c)
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["unit"] == "桂川县农业农村局" and body["year"] == 2024
    expected = [f.to_dict() for f in check_file(AGRI).findings]
    assert [f["code"] for f in body["findings"]] == [e["code"] for e in expected]
    for got, want in zip(body["findings"], expected, strict=True):
        assert set(want) <= set(got)
        assert (got["message"], got["values"], got["line"]) == (want["message"], want["values"], want["line"])
    again = c.get(f"/api/documents/{body['id']}").json()
    assert again["findings"] == body["findings"]
    # The same bytes again: the same document, not a second one.
    assert _upload(c).json()["id"] == body["id"]
    assert len(c.get("/api/documents").json()) == 1


def test_another_units_document_is_404(ws: Workspace) -> None:
    doc = _upload(ws.client("au_a")).json()
    other = ws.client("au_b")
    assert other.get(f"/api/documents/{doc['id']}").status_code == 404
    assert other.get(f"/documents/{doc['id']}").status_code == 404
    assert other.get("/api/documents").json() == []
    finding = doc["findings"][0]["id"]
    r = other.post(f"/api/findings/{finding}/decision", json={"decision": "dismissed", "reason": "x"})
    assert r.status_code in (403, 404)
    # The reviewer over both units sees it; an author's own unit is forced whatever the form says.
    assert ws.client("rev").get(f"/api/documents/{doc['id']}").status_code == 200
    forced = _upload(other, COUNTY, unit="桂川县农业农村局").json()
    assert forced["unit"] == "沅溪县教育局"
    # A reviewer cannot file a report under a unit of another bureau.
    with ws.store.session() as s:
        ws.store.unit(s, "丙单位", parent="别的局")
    assert (
        _upload(
            ws.client("rev"), COUNTY, name="c.txt", data=b"x" + COUNTY.read_bytes(), unit="丙单位"
        ).status_code
        == 404
    )


def test_list_filters_by_unit_and_year(ws: Workspace) -> None:
    admin = ws.client("admin")
    _upload(admin)
    _upload(admin, COUNTY, year="2023")
    assert [d["unit"] for d in admin.get("/api/documents", params={"year": 2024}).json()] == [
        "桂川县农业农村局"
    ]
    listed = admin.get("/api/documents", params={"unit": "沅溪县教育局"}).json()
    assert [(d["unit"], d["year"]) for d in listed] == [("沅溪县教育局", 2023)]
    assert "findings" not in listed[0]


def test_decisions(ws: Workspace) -> None:
    doc = _upload(ws.client("au_a")).json()
    fid = doc["findings"][0]["id"]
    assert (
        ws.client("au_a").post(f"/api/findings/{fid}/decision", json={"decision": "confirmed"}).status_code
        == 403
    )
    rev = ws.client("rev")
    assert rev.post(f"/api/findings/{fid}/decision", json={"decision": "dismissed"}).status_code == 422
    assert rev.post(f"/api/findings/{fid}/decision", json={"decision": "maybe"}).status_code == 422
    r = rev.post(f"/api/findings/{fid}/decision", json={"decision": "dismissed", "reason": "四舍五入尾差"})
    assert r.status_code == 200
    assert r.json()["decision"]["decision"] == "dismissed" and r.json()["decision"]["by"] == "rev"
    shown = rev.get(f"/api/documents/{doc['id']}").json()["findings"][0]["decision"]
    assert shown["reason"] == "四舍五入尾差"


def test_type_from_content_and_size_limit(ws: Workspace) -> None:
    c = ws.client("admin")
    # Named .pdf, but text: read as text.
    r = _upload(c, COUNTY, name="report.pdf")
    assert r.status_code == 201 and r.json()["type"] == "txt"
    garbage = _upload(c, name="report.txt", data=bytes(range(256)) * 8)
    assert garbage.status_code == 422 and "不支持" in garbage.json()["detail"]
    small = ws.client("admin", max_upload=2000)
    assert _upload(small).status_code == 413


def test_report_text_is_escaped(ws: Workspace) -> None:
    c = ws.client("admin")
    text = COUNTY.read_text(encoding="utf-8").replace(
        "一、基本情况", '一、基本情况<script>alert("x")</script><img src=x onerror=alert(1)>', 1
    )
    doc = _upload(c, name="x.txt", data=text.encode("utf-8")).json()
    page = c.get(f"/documents/{doc['id']}").text
    assert "&lt;script&gt;alert(" in page
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "script-src 'self'" in c.get(f"/documents/{doc['id']}").headers["content-security-policy"]


def test_forms_need_the_csrf_token(ws: Workspace) -> None:
    doc = _upload(ws.client("au_a")).json()
    fid = doc["findings"][0]["id"]
    rev = ws.client("rev")
    refused = rev.post(f"/findings/{fid}/decision", data={"decision": "confirmed"})
    assert refused.status_code == 403
    token = csrf_of(rev.get(f"/documents/{doc['id']}").text)
    ok = rev.post(f"/findings/{fid}/decision", data={"decision": "confirmed", "csrf": token})
    assert ok.status_code == 200 and "确认" in ok.text
    fresh = ws.client()
    assert fresh.post("/login", data={"name": "rev", "password": "reviewer-pass-1"}).status_code == 403
    token = csrf_of(fresh.get("/login").text)
    r = fresh.post(
        "/login", data={"name": "rev", "password": "reviewer-pass-1", "csrf": token}, follow_redirects=False
    )
    assert r.status_code == 303


def test_exports(ws: Workspace) -> None:
    from openpyxl import load_workbook

    doc = _upload(ws.client("au_a")).json()
    rev = ws.client("rev")
    fid = doc["findings"][1]["id"]
    rev.post(f"/api/findings/{fid}/decision", json={"decision": "dismissed", "reason": "已另文说明"})
    book = load_workbook(io.BytesIO(rev.get("/export/review.xlsx").content))
    rows = list(book["复核表"].iter_rows(values_only=True))
    assert rows[0][0] == "单位" and len(rows) == 1 + len(doc["findings"])
    assert ("不采纳", "已另文说明") in [(r[9], r[10]) for r in rows]
    assert "已另文说明" in rev.get("/export/review.csv").content.decode("utf-8-sig")
    with zipfile.ZipFile(io.BytesIO(rev.get("/export/datapackage.zip").content)) as z:
        package = json.loads(z.read("datapackage.json"))
        budget = z.read("budget.csv").decode("utf-8").splitlines()
    assert package["model"]["measures"]["amount"]["factor"] == 10000
    assert "桂川县农业农村局,桂川县财政局,2024,总,执行,1365.22" in budget
    # An author is not a reviewer: no exports of the whole bureau.
    assert ws.client("au_a").get("/export/review.xlsx").status_code == 403


def test_author_uploads_data_and_downloads_report(ws: Workspace) -> None:
    c = ws.client("admin")
    token = csrf_of(c.get("/author").text)
    yaml = (EXAMPLES / "county-education-2024.yaml").read_bytes()
    r = c.post("/author", files={"file": ("data.yaml", yaml)}, data={"csrf": token}, follow_redirects=False)
    assert r.status_code == 303
    page = c.get(r.headers["location"])
    assert "96.76" in page.text and "未发现问题" in page.text
    docx = c.get(r.headers["location"] + "/report.docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    # Another unit's author cannot open it.
    assert ws.client("au_a").get(r.headers["location"]).status_code == 404


def test_demo_and_year_on_year(ws: Workspace) -> None:
    from sqlalchemy import select

    from jixiao.store import schema
    from jixiao.store.yearly import copied
    from jixiao.web.demo import load_demo

    lines = load_demo(ws.store)
    assert lines[0].startswith("演示数据：导入 3 份报告")
    assert load_demo(ws.store)[0].startswith("演示数据：导入 0 份报告（已有 3 份）")  # idempotent
    with ws.store.session() as s:
        unit_id = s.scalar(select(schema.Unit.id).where(schema.Unit.name == "沅溪县教育局"))
    client = ws.client()
    assert (
        client.post("/api/login", json={"name": "reviewer", "password": "demo-reviewer"}).status_code == 200
    )
    page = client.get(f"/units/{unit_id}").text
    assert "2024 年与 2023 年报告相同或几乎相同的段落" in page and "原样照搬" in page
    # Nearly verbatim: one figure changed in a long paragraph; a rewritten one is not a copy.
    last = [
        "本单位严格执行预算管理制度，全年组织业务培训12次，参训人员达到480人次，培训满意度保持在较高水平。"
    ]
    this = [
        "本单位严格执行预算管理制度，全年组织业务培训14次，参训人员达到480人次，培训满意度保持在较高水平。",
        "今年重点推进校舍维修与信息化建设，新建智慧教室三十间，并完成全部中小学校的网络升级改造。",
    ]
    found = copied(this, last)
    assert [(c.this, c.verbatim) for c in found] == [(this[0], False)]
    assert 0.9 <= found[0].ratio < 1


def test_a_submitted_workbook_is_checked_like_a_report(ws: Workspace, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A unit's 自评表 workbook uploaded by a reviewer is checked (it was refused as author data)."""
    from tests.fixtures.sheets import ERRORS, mof_project

    book = mof_project(tmp_path / "项目自评表.xlsx", ERRORS)
    c = ws.client("admin")
    r = _upload(c, book, unit="桂川县农业农村局", year="2024")
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["type"] == "xlsx"
    codes = {f["code"] for f in body["findings"]}
    assert {"B151", "S261"} <= codes, codes
    expected = {f.code for f in check_file(book).findings}
    assert codes == expected
