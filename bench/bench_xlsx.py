"""How fast a 自评表 workbook is read for review, and checked end to end.

Usage: python bench/bench_xlsx.py [--seconds 5] [--layout mof] [--xls]

The workbook is tests/fixtures/sheets.py's layout (the 财政部 2020 project form by default: a money block of
4 rows, 9 indicators, 总分; 22 rows × 10 columns, 21 merged ranges). Prints files per second and the time
per file for reading alone (``read_document``: openpyxl read-only, merged ranges, Table blocks) and for the
whole check (reading, claims, rules). With --xls it also converts the workbook to .xls with LibreOffice and
times reading that (xlrd), and times one .et conversion through LibreOffice (the path of a WPS .et xlrd
cannot read).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from jixiao.review.pipeline import check_file
from jixiao.review.read import read_document
from jixiao.review.read.office import converted, soffice_path
from tests.fixtures.sheets import ERRORS, LAYOUTS


def rate(label: str, fn: Callable[[], object], seconds: float) -> None:
    fn()  # warm: imports, caches
    n = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        fn()
        n += 1
    elapsed = time.perf_counter() - start
    print(f"{label:<34} {n / elapsed:8.1f} 个/秒   {elapsed / n * 1000:7.2f} ms/个   (n={n})")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--layout", choices=sorted(LAYOUTS), default="mof")
    parser.add_argument("--xls", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = LAYOUTS[args.layout](Path(tmp) / "自评表.xlsx", ERRORS)
        doc = read_document(path)
        cells = sum(len(row) for t in doc.tables() for row in t.rows)
        print(f"{args.layout}: {path.stat().st_size} 字节，{len(doc.blocks)} 个块，表格 {cells} 格")
        rate("读取 .xlsx（read_document）", lambda: read_document(path), args.seconds)
        rate("审查 .xlsx（check_file）", lambda: check_file(path), args.seconds)
        if not args.xls:
            return
        if soffice_path() is None:
            print("LibreOffice 未安装：跳过 .xls/.et")
            return
        with converted(path, "xls", str(path), ".xls", 120) as (xls, problem):
            assert xls is not None, problem
            kept = Path(tmp) / "自评表.xls"
            shutil.copyfile(xls, kept)
        rate("读取 .xls（xlrd）", lambda: read_document(kept), args.seconds)
        start = time.perf_counter()
        with converted(kept, "xlsx", str(kept), ".et", 120) as (copy, problem):
            assert copy is not None, problem
        print(f"{'LibreOffice 转换一次（.et → .xlsx）':<34} {(time.perf_counter() - start) * 1000:8.0f} ms")


if __name__ == "__main__":
    main()
