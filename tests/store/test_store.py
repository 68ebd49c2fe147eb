"""The store on SQLite and PostgreSQL: migrations from empty, import (idempotent, bad files recorded),
exact money, decisions kept over a re-check, users and who sees what."""

from __future__ import annotations

import io
import json
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import inspect, select

from jixiao.store import open_store, schema
from jixiao.store.files import Incoming, sniff
from jixiao.store.ingest import import_files, import_paths, recheck, write_analysis
from jixiao.store.migrate import current
from jixiao.store.users import UserError, add_user, authenticate, visible_units

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "reports"


def _open(url: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    return open_store(url, files=tmp_path / "files")


def test_migrations_from_empty(db_url: str, tmp_path: Path) -> None:
    store = _open(db_url, tmp_path)
    try:
        tables = set(inspect(store.engine).get_table_names())
        assert {"units", "documents", "findings", "decisions", "users", "evaluations", "figures"} <= tables
        assert current(store.engine) == "0001"
        # The migrations make exactly the tables the code declares (a model change needs a migration).
        from alembic.autogenerate import compare_metadata
        from alembic.runtime.migration import MigrationContext

        with store.engine.connect() as connection:
            assert compare_metadata(MigrationContext.configure(connection), schema.Base.metadata) == []
        again = _open(db_url, tmp_path)  # opening an up-to-date store changes nothing
        assert current(again.engine) == "0001"
        again.dispose()
    finally:
        store.dispose()


def test_import_idempotent_and_exact(db_url: str, tmp_path: Path) -> None:
    store = _open(db_url, tmp_path)
    try:
        first = import_paths(store, [EXAMPLES])
        assert len(first.imported) == 2 and not first.skipped
        second = import_paths(store, [EXAMPLES])
        assert not second.imported and len(second.skipped) == 2
        with store.session() as s:
            docs = {d.unit.name: d for d in s.scalars(select(schema.Document)) if d.unit}
            agri = docs["桂川县农业农村局"]
            assert agri.year == 2024 and agri.errors == 5 and agri.warnings == 1
            assert agri.stated_score == "98.16" and agri.grade == "良"
            assert len(agri.findings) == 6
            amounts = {(f.phase, f.scope): f.amount for f in agri.figures}
            assert Decimal(amounts[("执行", "总")]) == Decimal("1365.22")
            assert Decimal(agri.execution_rate or "0") == (
                Decimal("1365.22") / Decimal("1412.80") * 100
            ).quantize(Decimal("0.01"))
            stored = store.path_of(agri.stored_name)
            assert stored.read_bytes() == (EXAMPLES / "guichuan-agri-2024-errors.txt").read_bytes()
            assert agri.stored_name == f"{agri.sha256}.txt"
    finally:
        store.dispose()


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def test_bad_files_are_findings_and_the_rest_imported(db_url: str, tmp_path: Path) -> None:
    store = _open(db_url, tmp_path)
    good = (EXAMPLES / "county-education-2024-clean.txt").read_bytes()
    archive = _zip(
        {
            "教育局/沅溪县教育局/2024.txt": good,
            "教育局/坏文件/2024.doc": b"\xd0\xcf\x11\xe0" + b"\0" * 600,
            "教育局/乱码/2024.txt": b"\x00\x01\x02" * 300,
        }
    )
    try:
        out = import_files(store, [Incoming("上报.zip", archive)], unit_from="path")
        assert len(out.imported) == 3 and len(out.unreadable) == 2
        with store.session() as s:
            rows = {d.unit.name: d for d in s.scalars(select(schema.Document)) if d.unit}
            assert rows["坏文件"].status == "unreadable"
            # A broken OLE file: LibreOffice cannot convert it (R502), or is not installed (R517).
            assert [f.code for f in rows["坏文件"].findings] in (["R502"], ["R517"])
            assert rows["乱码"].findings[0].code == "R504"
            good_doc = rows["沅溪县教育局"]
            assert good_doc.status == "checked" and good_doc.year == 2024
            assert good_doc.unit is not None and good_doc.unit.parent is not None
            assert good_doc.unit.parent.name == "教育局"
    finally:
        store.dispose()


def test_zip_bomb_refused(db_url: str, tmp_path: Path) -> None:
    store = _open(db_url, tmp_path)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("big.txt", b"0" * (5 * 1024 * 1024))
    try:
        out = import_files(store, [Incoming("bomb.zip", buf.getvalue())])
        assert sniff(buf.getvalue()) == "zip"
        assert not out.imported and "压缩炸弹" in out.problems[0]
    finally:
        store.dispose()


def test_recheck_keeps_decisions_on_findings_that_stand(db_url: str, tmp_path: Path) -> None:
    store = _open(db_url, tmp_path)
    try:
        import_paths(store, [EXAMPLES / "guichuan-agri-2024-errors.txt"])
        with store.session() as s:
            doc = s.scalars(select(schema.Document)).one()
            first, second = doc.findings[0], doc.findings[1]
            first.decision = schema.Decision(decision="dismissed", reason="尾差，可接受")
            # A finding the next run will not make again: its decision goes with it.
            second.excerpt = "（旧版本的摘录）"
            second.decision = schema.Decision(decision="confirmed", reason="")
            kept_key = (first.code, first.location, first.excerpt)
        assert recheck(store) == 1
        with store.session() as s:
            doc = s.scalars(select(schema.Document)).one()
            decided = [
                (f.code, f.location, f.excerpt, f.decision.decision) for f in doc.findings if f.decision
            ]
            assert decided == [(*kept_key, "dismissed")]
            assert len(doc.findings) == 6
    finally:
        store.dispose()


def test_users_and_visibility(db_url: str, tmp_path: Path) -> None:
    store = _open(db_url, tmp_path)
    try:
        with store.session() as s:
            store.unit(s, "甲单位", parent="主管局")
            store.unit(s, "乙单位", parent="主管局")
            store.unit(s, "丙单位", parent="别的局")
        add_user(store, "rev", "reviewer", "password-1", unit="主管局")
        add_user(store, "au", "author", "password-2", unit="甲单位")
        add_user(store, "adm", "admin", "password-3")
        with pytest.raises(UserError):
            add_user(store, "x", "author", "password-4")  # an author needs a unit
        with pytest.raises(UserError):
            add_user(store, "y", "reviewer", "short")
        with store.session() as s:
            assert authenticate(s, "rev", "wrong-password") is None
            rev = authenticate(s, "rev", "password-1")
            au = authenticate(s, "au", "password-2")
            adm = authenticate(s, "adm", "password-3")
            assert rev is not None and au is not None and adm is not None
            assert "password-1" not in rev.password_hash and rev.password_hash.startswith("$argon2")
            names = {u.id: u.name for u in s.scalars(select(schema.Unit))}
            assert {names[i] for i in visible_units(s, rev) or ()} == {"主管局", "甲单位", "乙单位"}
            assert {names[i] for i in visible_units(s, au) or ()} == {"甲单位"}
            assert visible_units(s, adm) is None
    finally:
        store.dispose()


def test_findings_keep_check_json_shape(db_url: str, tmp_path: Path) -> None:
    from jixiao.review.pipeline import check_file

    store = _open(db_url, tmp_path)
    path = EXAMPLES / "guichuan-agri-2024-errors.txt"
    try:
        import_paths(store, [path])
        expected = [f.to_dict() for f in check_file(path).findings]
        with store.session() as s:
            doc = s.scalars(select(schema.Document)).one()
            got = [(f.code, f.severity, f.message, json.loads(f.values)) for f in doc.findings]
        assert got == [(e["code"], e["severity"], e["message"], e["values"]) for e in expected]
        assert write_analysis  # the writer the API and import share
    finally:
        store.dispose()


def test_workbooks_and_legacy_documents_are_checked(db_url: str, tmp_path: Path) -> None:
    """A unit's 自评表 workbook (.xlsx, and the same as .xls) and a .doc report are checked on import, as
    ``jixiao check`` checks them: the store keeps their type by content and their suffix."""
    from jixiao.review.read.office import soffice_path
    from tests.fixtures.sheets import ERRORS, mof_project

    book = mof_project(tmp_path / "自评表.xlsx", ERRORS)
    files = [Incoming("项目自评表.xlsx", book.read_bytes())]
    converted = soffice_path() is not None
    if converted:
        from tests.review.read.test_sheets import soffice_convert

        files.append(Incoming("项目自评表.xls", soffice_convert(book, "xls", tmp_path / "xls").read_bytes()))
        report = tmp_path / "报告.txt"
        report.write_bytes((EXAMPLES / "guichuan-agri-2024-errors.txt").read_bytes())
        files.append(Incoming("报告.doc", soffice_convert(report, "doc", tmp_path / "doc").read_bytes()))
    store = _open(db_url, tmp_path)
    try:
        out = import_files(store, files, unit="沅溪县某项目单位", year=2024)
        assert out.problems == [] and out.unreadable == []
        with store.session() as s:
            docs = {d.filename: d for d in s.scalars(select(schema.Document))}
            codes = {name: {f.code for f in d.findings} for name, d in docs.items()}
        # The planted errors of the workbook are found in both forms of it.
        for name in ("项目自评表.xlsx", "项目自评表.xls") if converted else ("项目自评表.xlsx",):
            assert docs[name].status == "checked", name
            assert {"B151", "S261"} <= codes[name], (name, codes[name])
        if converted:
            assert docs["报告.doc"].status == "checked"
            assert docs["报告.doc"].stored_name.endswith(".doc")
            assert {"B151", "S252"} <= codes["报告.doc"], codes["报告.doc"]
    finally:
        store.dispose()
