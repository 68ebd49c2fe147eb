"""`jixiao import`, `users add` and `recheck` from the command line, on SQLite and PostgreSQL."""

from __future__ import annotations

import zipfile
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import select

from jixiao.cli import main
from jixiao.store import open_store, schema
from jixiao.store.users import authenticate

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "reports"


def test_import_zip_users_recheck(db_url: str, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("JIXIAO_FILES", str(tmp_path / "files"))
    archive = tmp_path / "上报.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for f in EXAMPLES.iterdir():
            z.write(f, f"2024/{f.name}")
        z.writestr("2024/旧报告.doc", b"\xd0\xcf\x11\xe0" + b"\0" * 600)
    runner = CliRunner()
    first = runner.invoke(main, ["import", str(archive), "--db", db_url])
    assert first.exit_code == 0, first.output
    assert "导入 3 个文件（其中 1 个无法读取）" in first.output
    again = runner.invoke(main, ["import", str(archive), "--db", db_url])
    assert "导入 0 个文件" in again.output and "跳过已导入的 3 个" in again.output
    added = runner.invoke(
        main,
        [
            "users",
            "add",
            "李四",
            "--role",
            "author",
            "--unit",
            "桂川县农业农村局",
            "--password-stdin",
            "--db",
            db_url,
        ],
        input="a-long-password\n",
    )
    assert added.exit_code == 0, added.output
    refused = runner.invoke(
        main,
        ["users", "add", "王五", "--role", "author", "--password-stdin", "--db", db_url],
        input="x" * 12 + "\n",
    )
    assert refused.exit_code == 2 and "--unit" in refused.output
    assert runner.invoke(main, ["recheck", "--db", db_url]).output.strip() == "已重新审查 3 份报告。"
    store = open_store(db_url)
    try:
        with store.session() as s:
            user = authenticate(s, "李四", "a-long-password")
            assert user is not None and user.unit is not None and user.unit.name == "桂川县农业农村局"
            names = sorted(d.unit.name for d in s.scalars(select(schema.Document)) if d.unit)
            # Units from the reports' titles; the .doc has no readable title, so its name's.
            assert names == ["旧报告", "桂川县农业农村局", "沅溪县教育局"]
    finally:
        store.dispose()


def test_unusable_database_is_a_message(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["recheck", "--db", "nosuchdriver://x"])
    assert result.exit_code == 2 and "无法打开数据库" in result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)
