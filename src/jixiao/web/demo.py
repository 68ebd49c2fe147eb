"""``jixiao serve --demo``: the bundled example reports imported, a copy of one as "last year's" report (so
the year-on-year page has something to show), and three demonstration accounts."""

from __future__ import annotations

from importlib import resources

from sqlalchemy import select

from jixiao.store import schema
from jixiao.store.db import Store
from jixiao.store.files import Incoming
from jixiao.store.ingest import import_files
from jixiao.store.users import add_user

BUREAU = "沅溪县财政局（演示）"
ACCOUNTS = (
    ("admin", "admin", "demo-admin", None),
    ("reviewer", "reviewer", "demo-reviewer", BUREAU),
    ("author", "author", "demo-author", "沅溪县教育局"),
)


def _last_year(text: str) -> str:
    """The 2024 report as a 2023 one: same paragraphs (the 千篇一律 the year-on-year page shows), a few
    figures changed."""
    text = text.replace("2024", "2023").replace("2025", "2024")
    return text.replace("96.76", "95.50").replace("18876.35", "18102.60")


def load_demo(store: Store) -> list[str]:
    folder = resources.files("jixiao.web") / "demo"
    items = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".txt"):
            items.append(Incoming(f"示例/{entry.name}", entry.read_bytes()))
    county = (folder / "county-education-2024-clean.txt").read_text(encoding="utf-8")
    items.append(Incoming("示例/county-education-2023.txt", _last_year(county).encode("utf-8")))
    outcome = import_files(store, items, parent=BUREAU)
    with store.session() as s:
        for unit in s.scalars(select(schema.Unit).where(schema.Unit.parent_id.is_(None))):
            if unit.name != BUREAU:
                unit.parent = store.unit(s, BUREAU)
    lines = [f"演示数据：导入 {len(outcome.imported)} 份报告（已有 {len(outcome.skipped)} 份）"]
    for name, role, password, home in ACCOUNTS:
        add_user(store, name, role, password, home)
        lines.append(f"演示账户：{name} / {password}（{role}{'，' + home if home else ''}）")
    lines.append(f"作者页面可上传的示例数据：{folder / 'county-education-2024.yaml'}")
    return lines
