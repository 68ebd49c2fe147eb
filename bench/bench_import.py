"""Workspace speed: importing reports into SQLite against `jixiao check` on the same files, and the
units × years page with many reports.

Usage: python bench/bench_import.py [--n 1000] [--jobs 2] [--rows 2000] [--repeat 5]

(a) ``jixiao check DIR --jobs J --format json > /dev/null`` on ``--n`` generated .txt reports, then
    ``jixiao import DIR --db sqlite:///… --jobs J`` on the same folder into an empty store: wall time of
    each, per report, and what the store adds (target: little). Then the same import again (every file
    already stored: hashing only).
(b) The units × years page (``GET /``, logged in as admin) over a store of ``--rows`` reports of 200 units
    × 10 years: median server time of ``--repeat`` renders, through the ASGI app in process (no network),
    and the filtered htmx fragment. Target: well under a second.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))  # jixiao_dev: not in the package

from bench_check import jixiao_executable
from jixiao_dev.harness.layouts import markdown_to_text
from jixiao_dev.synth import random_evaluation

from jixiao.model.frameworks import load_framework
from jixiao.model.scoring import score
from jixiao.report.compose import compose
from jixiao.report.markdown import render_markdown


def write_reports(folder: Path, n: int, seed: int, distinct: int = 300) -> None:
    """``n`` different files: ``distinct`` generated reports, each copy told apart by a closing line (the
    store keeps one document per distinct file, so copies must not be byte-identical)."""
    fw = load_framework("mof-2020")
    rng = random.Random(seed)
    texts = [
        markdown_to_text(render_markdown(compose(score(random_evaluation(rng, index=i), fw))))
        for i in range(min(n, distinct))
    ]
    for i in range(n):
        text = texts[i % len(texts)] + f"\n（报送编号 {i:05d}）\n"
        (folder / f"report-{i:05d}.txt").write_text(text, encoding="utf-8")


def _run(command: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the command and its worker processes). On a shared machine the wall
    figure also counts other processes' turns; the CPU figure does not."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def bench_import(n: int, jobs: int, seed: int) -> None:
    jx = jixiao_executable()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "reports"
        folder.mkdir()
        write_reports(folder, n, seed)
        db = f"sqlite:///{tmp}/ws.db"
        check = _run([jx, "check", str(folder), "--jobs", str(jobs), "--format", "json"])
        imported = _run([jx, "import", str(folder), "--db", db, "--jobs", str(jobs)])
        again = _run([jx, "import", str(folder), "--db", db, "--jobs", str(jobs)])
        size = sum(f.stat().st_size for f in Path(tmp).glob("ws.*") if f.is_file())
    print(f"(a) {n} .txt reports, {jobs} processes: wall time, then CPU time of all processes")
    for label, (wall, cpu) in (
        ("jixiao check --format json ", check),
        ("jixiao import (empty store)", imported),
        ("import again (all stored)  ", again),
    ):
        print(f"    {label}: {wall:6.1f} s  CPU {cpu:6.1f} s  {1000 * cpu / n:5.1f} ms CPU per report")
    print(
        f"    store's share (CPU)        : {imported[1] - check[1]:+6.1f} s  "
        f"({100 * (imported[1] / check[1] - 1):+.0f}%); database file {size / 1e6:.1f} MB"
    )
    print(f"    command: {jx} import DIR --db {db} --jobs {jobs}")


def bench_table(rows: int, repeat: int) -> None:
    from fastapi.testclient import TestClient

    from jixiao.store import open_store, schema
    from jixiao.store.users import add_user
    from jixiao.web.app import create_app

    rng = random.Random(1)
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(f"sqlite:///{tmp}/ws.db")
        add_user(store, "admin", "admin", "bench-password")
        units = 200
        with store.session() as s:
            bureaus = [store.unit(s, f"第{b}主管部门") for b in range(20)]
            made = [schema.Unit(name=f"第{u}单位", parent=bureaus[u % 20]) for u in range(units)]
            s.add_all(made)
            s.flush()
            for i in range(rows):
                stated = rng.randint(8000, 10000)
                s.add(
                    schema.Document(
                        sha256=f"{i:064x}",
                        filename=f"上报/第{i % units}单位/{2015 + i // units}年自评报告.docx",
                        stored_name=f"{i:064x}.docx",
                        media_type="docx",
                        size=100_000,
                        unit_id=made[i % units].id,
                        year=2015 + i // units,
                        errors=rng.choice((0, 0, 1, 2, 5)),
                        warnings=rng.choice((0, 1, 3)),
                        stated_score=f"{stated / 100:.2f}",
                        recomputed_score=f"{(stated - rng.choice((0, 0, 100, 250))) / 100:.2f}",
                        grade=rng.choice("优良中"),
                        execution_rate=f"{rng.randint(7500, 10000) / 100:.2f}",
                    )
                )
        client = TestClient(create_app(store))
        client.post("/api/login", json={"name": "admin", "password": "bench-password"})
        for label, path, headers in (
            ("whole page", "/?sort=errors&desc=true", {}),
            ("htmx fragment, filtered", "/?q=第1&year=2020&sort=gap", {"HX-Request": "true"}),
        ):
            client.get(path, headers=headers)  # templates compiled, caches warm
            times, cpu = [], []
            for _ in range(repeat):
                t, c = time.perf_counter(), time.process_time()
                r = client.get(path, headers=headers)
                times.append(time.perf_counter() - t)
                cpu.append(time.process_time() - c)
                assert r.status_code == 200
            # CPU time too: on a shared machine the wall figure also counts other processes' turns.
            print(
                f"(b) units × years, {rows} reports, {label}: median {1000 * statistics.median(times):.0f} ms "
                f"(CPU {1000 * statistics.median(cpu):.0f} ms; {len(r.content) / 1e6:.2f} MB of HTML; "
                "target well under 1 s)"
            )
        store.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--skip-import", action="store_true")
    args = parser.parse_args()
    if not args.skip_import:
        bench_import(args.n, args.jobs, args.seed)
    bench_table(args.rows, args.repeat)


if __name__ == "__main__":
    main()
