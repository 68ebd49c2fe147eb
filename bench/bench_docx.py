"""How many 10-page reports the .docx writer produces per second.

Usage: python bench/bench_docx.py [--seconds 5] [--pdf]

A "10-page report" here (LibreOffice counts 10 pages): 81 paragraphs and headings (most about 75 characters), four
levels of headings and a 自评表 of 24 rows as an annex. With --pdf it also converts one file with LibreOffice
and prints the real page count and the conversion time.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from jixiao.report.content import Paragraph, ReportDoc, SectionContent, TableCell, TableContent
from jixiao.report.docx import write_docx

SENTENCE = (
    "年初预算安排{n}.50万元，全年实际支出{m}.25万元，预算执行率为9{k}.30%，"
    "资金主要用于公共文化服务设施运行维护、群众文化活动组织和数字资源采购。"
)


def paragraph(i: int) -> Paragraph:
    return Paragraph(SENTENCE.format(n=100 + i, m=90 + i, k=i % 10))


def ten_page_report() -> ReportDoc:
    sections = []
    count = 0
    for a in range(4):
        children = []
        for b in range(3):
            grandchildren = [
                SectionContent("", f"具体事项{c + 1}", 3, [paragraph(count + c)]) for c in range(2)
            ]
            count += 6
            children.append(SectionContent("", f"分项内容{b + 1}", 2, [paragraph(count)], grandchildren))
        sections.append(SectionContent(f"s{a}", f"第{a + 1}部分", 1, [paragraph(a)], children))
    header = [
        TableCell("一级指标", header=True, rowspan=2),
        TableCell("二级指标", header=True, rowspan=2),
        TableCell("三级指标", header=True, rowspan=2),
        TableCell("分值", header=True, rowspan=2),
        TableCell("评分", header=True, colspan=2),
    ]
    rows = [header, [TableCell("得分", header=True), TableCell("扣分", header=True)]]
    for i in range(24):
        labels = [TableCell("产出指标"), TableCell("数量指标"), TableCell(f"指标{i + 1}")]
        rows.append([*labels, TableCell("4"), TableCell("3.5"), TableCell("0.5")])
    annex = TableContent("部门整体支出绩效自评表", rows, 6, note="金额单位：万元")
    return ReportDoc(
        "某县文化馆2024年度部门整体支出绩效自评报告", [paragraph(0)], sections, [annex], "某县文化馆", 2024
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--pdf", action="store_true")
    args = parser.parse_args()
    doc = ten_page_report()
    n_paras = len(doc.preamble) + sum(
        1
        + len(s.items)
        + sum(1 + len(c.items) + sum(1 + len(g.items) for g in c.children) for c in s.children)
        for s in doc.sections
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.docx"
        write_docx(doc, path)  # warm-up (imports, template parsing)
        n = 0
        start = time.perf_counter()
        while time.perf_counter() - start < args.seconds:
            write_docx(doc, path)
            n += 1
        elapsed = time.perf_counter() - start
        print(f"paragraphs incl. headings: {n_paras}; annex rows: {len(doc.annexes[0].rows)}")
        print(f"docx size: {path.stat().st_size / 1024:.1f} KiB")
        print(
            f"docx written: {n} in {elapsed:.2f} s = {n / elapsed:.1f} files/s ({1000 * elapsed / n:.1f} ms each)"
        )
        if args.pdf:
            from jixiao.report.pdf import PdfUnavailable, docx_to_pdf

            try:
                t0 = time.perf_counter()
                pdf = docx_to_pdf(path, Path(tmp))
                t1 = time.perf_counter()
            except PdfUnavailable as exc:
                print(str(exc))
                return 0
            pages = "?"
            if shutil.which("pdfinfo"):
                info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
                pages = next((ln.split()[-1] for ln in info.splitlines() if ln.startswith("Pages:")), "?")
            print(f"PDF (LibreOffice): {pages} pages in {t1 - t0:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
