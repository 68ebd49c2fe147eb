"""`jixiao check` end to end, as a user runs it: files, folders, globs, formats, bad input, exit codes."""

from __future__ import annotations

import builtins
import hashlib
import json
import os
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from jixiao import collector
from jixiao.cli import main

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT.parent / "shared" / "seeds" / "000_e908e985cae8175b.txt"
FIXTURES = ROOT / "tests" / "fixtures" / "review"
EXAMPLE_REPORTS = ROOT / "examples" / "reports"
SEVERITIES = {"error", "warning", "info"}


def run(*args: str) -> Result:
    return CliRunner().invoke(main, ["check", *args], catch_exceptions=False)


def seed() -> Path:
    if not SEED.is_file():
        pytest.skip(f"种子报告不在 {SEED}（需要 ../shared）")
    return SEED


def fingerprint(folder: Path) -> dict[str, tuple[int, str]]:
    """mtime and sha256 of every file: no input may change."""
    out = {}
    for f in sorted(folder.rglob("*")):
        if f.is_file():
            digest = hashlib.sha256()
            with open(f, "rb") as handle:
                for chunk in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(chunk)
            out[str(f)] = (f.stat().st_mtime_ns, digest.hexdigest())
    return out


def assert_schema(doc: Any) -> None:
    assert isinstance(doc, dict) and isinstance(doc["files"], list)
    for entry in doc["files"]:
        assert isinstance(entry["path"], str) and entry["path"]
        for f in entry["findings"]:
            assert isinstance(f["code"], str) and len(f["code"]) == 4
            assert f["severity"] in SEVERITIES
            assert isinstance(f["message"], str) and f["message"]
            assert f["path"] == entry["path"]
            assert f["line"] is None or (isinstance(f["line"], int) and f["line"] >= 1)
            assert isinstance(f["excerpt"], str)
            assert isinstance(f["values"], dict)
            assert all(isinstance(k, str) and isinstance(v, str) for k, v in f["values"].items())


# ---------------------------------------------------------------- what gets checked, exit codes


def test_seed_file_reports_errors_and_exits_1() -> None:
    result = run(str(seed()))
    assert result.exit_code == 1
    for code in ("B151", "B153", "S251", "S252", "S253", "T301"):
        assert f" {code} " in result.stdout
    assert "文件\t错误" not in result.stdout  # one file: no summary table


def test_clean_folder_exits_0_and_ends_with_summary() -> None:
    result = run(str(FIXTURES))
    assert result.exit_code == 0, result.stdout
    lines = result.stdout.rstrip().splitlines()
    n = len(list(FIXTURES.glob("*.txt")))
    assert lines[-1].startswith(f"共 {n} 个文件：0 个错误")
    table = lines[-(n + 2) : -1]
    assert table[0] == "文件\t错误\t警告\t提示"
    assert sorted(row.split("\t")[0] for row in table[1:]) == sorted(str(f) for f in FIXTURES.glob("*.txt"))


def test_folder_is_recursive_and_glob_matches_the_same(tmp_path: Path) -> None:
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    for f in FIXTURES.glob("*.txt"):
        (nested / f.name).write_bytes(f.read_bytes())
    (nested / "notes.xyz").write_text("not a report", encoding="utf-8")  # unknown suffix: skipped
    by_folder = json.loads(run(str(tmp_path), "--format", "json").stdout)
    by_glob = json.loads(run(str(tmp_path / "**" / "*.txt"), "--format", "json").stdout)
    paths = [f["path"] for f in by_folder["files"]]
    assert len(paths) == len(list(FIXTURES.glob("*.txt")))
    assert paths == [f["path"] for f in by_glob["files"]]


def test_nothing_matched_exits_2(tmp_path: Path) -> None:
    result = run(str(tmp_path / "nope*.docx"))
    assert result.exit_code == 2
    assert "没有匹配的文件" in result.stderr
    as_json = run(str(tmp_path / "nope.txt"), "--format", "json")
    assert as_json.exit_code == 2 and json.loads(as_json.stdout) == {"files": []}


def test_unknown_framework_exits_2_once() -> None:
    result = run(str(FIXTURES), "--framework", "no-such-framework")
    assert result.exit_code == 2
    assert result.stderr.count("I605") == 1


# ---------------------------------------------------------------- JSON


def test_json_is_one_document_with_the_schema() -> None:
    result = run(str(seed()), str(FIXTURES), str(EXAMPLE_REPORTS), "--format", "json")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)  # the whole of stdout is one JSON document
    assert_schema(doc)
    entry = next(e for e in doc["files"] if e["path"] == str(SEED))
    s253 = next(f for f in entry["findings"] if f["code"] == "S253")
    assert (s253["line"], s253["values"]["stated"], s253["values"]["recomputed"]) == (33, "50", "45")
    assert s253["severity"] == "error" and "产出指标" in s253["excerpt"]
    clean = [e for e in doc["files"] if e["path"].startswith(str(FIXTURES))]
    assert clean and all(f["severity"] != "error" for e in clean for f in e["findings"])


def test_streamed_json_is_laid_out_as_one_dump() -> None:
    # The run writes its JSON file by file; the text must be what one json.dumps(indent=2) would give.
    result = run(str(FIXTURES), str(EXAMPLE_REPORTS), "--format", "json")
    doc = json.loads(result.stdout)
    assert len(doc["files"]) >= 2
    assert result.stdout == json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    one = run(str(sorted(FIXTURES.rglob("*.txt"))[0]), "--format", "json")
    assert one.stdout == json.dumps(json.loads(one.stdout), ensure_ascii=False, indent=2) + "\n"


# ---------------------------------------------------------------- HTML


def test_html_one_page_per_file_and_no_clobbering(tmp_path: Path) -> None:
    out = tmp_path / "pages"
    files = [str(seed()), str(FIXTURES / "hunan_dept_clean.txt")]
    result = run(*files, "--format", "html", "-o", str(out))
    assert result.exit_code == 1
    pages = sorted(p.name for p in out.iterdir())
    assert pages == sorted(Path(f).name + ".check.html" for f in files)
    page = (out / (SEED.name + ".check.html")).read_text(encoding="utf-8")
    assert page.count('class="finding error"') == json_count(str(SEED), "error")
    assert '<mark class="error">50分</mark>' in page  # the stated weight S253 names is highlighted

    before = fingerprint(out)
    again = run(*files, "--format", "html", "-o", str(out))
    assert again.exit_code == 2 and "已存在" in again.stderr
    assert fingerprint(out) == before
    forced = run(*files, "--format", "html", "-o", str(out), "--force")
    assert forced.exit_code == 1


def test_html_same_name_in_two_folders_gets_two_pages(tmp_path: Path) -> None:
    for sub in ("x", "y"):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "report.txt").write_bytes((FIXTURES / "hubei_dept_clean.txt").read_bytes())
    out = tmp_path / "pages"
    result = run(str(tmp_path / "x"), str(tmp_path / "y"), "--format", "html", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert len(list(out.iterdir())) == 2


def json_count(path: str, severity: str) -> int:
    doc = json.loads(run(path, "--format", "json").stdout)
    return sum(1 for f in doc["files"][0]["findings"] if f["severity"] == severity)


# ---------------------------------------------------------------- bad input


@pytest.fixture
def mixed(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A folder of good and bad files; the code each bad file must get."""
    folder = tmp_path / "mixed"
    folder.mkdir()
    expected: dict[str, str] = {}
    (folder / "good.txt").write_bytes((FIXTURES / "hunan_dept_clean.txt").read_bytes())
    (folder / "corrupt.docx").write_bytes(b"PK\x03\x04" + b"\x00broken central directory" * 10)
    expected["corrupt.docx"] = "R502"
    (folder / "empty.txt").write_bytes(b"")
    expected["empty.txt"] = "R503"
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 64)
    expected["binary.txt"] = "R504"
    sparse = folder / "huge.txt"
    with open(sparse, "wb") as handle:
        handle.truncate(200 * 1024 * 1024)  # sparse: 200 MB on paper, nothing on disk
    expected["huge.txt"] = "R505"
    with zipfile.ZipFile(folder / "bomb.docx", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"\x00" * (20 * 1024 * 1024))  # ~1000:1
    expected["bomb.docx"] = "R506"
    try:
        from pypdf import PdfWriter
    except ImportError:  # pragma: no cover - pypdf comes with the PDF extras
        pass
    else:
        writer = PdfWriter()
        writer.add_blank_page(width=595, height=842)
        writer.encrypt("secret")
        with open(folder / "locked.pdf", "wb") as handle:
            writer.write(handle)
        expected["locked.pdf"] = "R507"
    return folder, expected


def test_bad_files_each_get_one_clear_finding_and_the_run_goes_on(
    mixed: tuple[Path, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, expected = mixed
    huge = str(folder / "huge.txt")
    opened: list[str] = []
    real_open = builtins.open

    def spy(file: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(file, (str, os.PathLike)) and os.fspath(file) == huge:
            opened.append(os.fspath(file))
        return real_open(file, *args, **kwargs)

    before = fingerprint(folder)
    monkeypatch.setattr(builtins, "open", spy)
    # One process: the spy on open() sees only this one.
    result = run(str(folder), "--format", "json", "--jobs", "1")
    monkeypatch.undo()
    assert opened == [], "the oversized file must be rejected from its size, unread"
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert_schema(doc)
    by_name = {Path(e["path"]).name: e["findings"] for e in doc["files"]}
    assert set(by_name) == set(expected) | {"good.txt"}
    for name, code in expected.items():
        findings = by_name[name]
        assert [f["code"] for f in findings] == [code], (name, findings)
        assert findings[0]["severity"] == "error" and findings[0]["message"]
    assert all(f["severity"] != "error" for f in by_name["good.txt"])
    assert fingerprint(folder) == before  # no input file modified


def test_bad_files_in_text_mode_have_no_traceback(mixed: tuple[Path, dict[str, str]]) -> None:
    folder, expected = mixed
    result = run(str(folder))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    for name, code in expected.items():
        assert f"{folder / name}: {code} [错误]" in result.stdout
    assert result.stdout.rstrip().splitlines()[-1].startswith(f"共 {len(expected) + 1} 个文件")


# ---------------------------------------------------------------- parallel


def test_jobs_2_gives_the_same_findings_as_jobs_1(mixed: tuple[Path, dict[str, str]]) -> None:
    folder, _ = mixed
    args = [str(folder), str(FIXTURES), str(EXAMPLE_REPORTS), "--format", "json"]
    if SEED.is_file():
        args.insert(0, str(SEED))
    one = run(*args, "--jobs", "1")
    two = run(*args, "--jobs", "2")
    assert one.exit_code == two.exit_code == 1
    assert json.loads(one.stdout) == json.loads(two.stdout)


def test_folder_without_reports_says_so_and_doc_files_get_a_finding(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run(str(empty))
    assert result.exit_code == 2
    assert "没有可审查的报告" in result.output
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    (docs / "scan.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    result = run(str(docs))
    assert result.exit_code == 2  # nothing readable: input unusable
    # A broken .doc LibreOffice cannot convert (R517 where it is not installed); the picture is named.
    assert ("R502" in result.output or "R517" in result.output) and "old.doc" in result.output
    assert "未审查的文件（1 个）" in result.output and "scan.png" in result.output


def test_missing_path_and_unmatched_glob_are_told_apart(tmp_path: Path) -> None:
    result = run(str(tmp_path / "nope.txt"), str(tmp_path / "zz*.txt"))
    assert result.exit_code == 2
    assert "文件或目录不存在" in result.output and "没有匹配的文件" in result.output


def test_only_unreadable_files_is_exit_2_but_one_readable_with_errors_is_1(tmp_path: Path) -> None:
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    assert run(str(bad)).exit_code == 2
    good = tmp_path / "report.txt"
    good.write_text(
        "一、基本情况\n年初预算合计100.00万元，其中：基本支出60.00万元，项目支出50.00万元。\n",
        encoding="utf-8",
    )
    result = run(str(bad), str(good))
    assert result.exit_code == 1, result.output
    assert "B15" in result.output


def test_html_marks_the_figure_each_finding_points_at(tmp_path: Path) -> None:
    import re as _re

    result = run("--format", "html", "-o", str(tmp_path / "out"), str(seed()))
    assert result.exit_code == 1
    (page,) = (tmp_path / "out").glob("*.html")
    marked = _re.findall(r'<mark class="(\w+)">([^<]*)</mark>', page.read_text(encoding="utf-8"))
    assert ("error", "391.39万元") in marked and ("error", "63.8%") in marked
    # B154's "stated" is the 100% the shares should add to, not a figure of the report: never marked.
    assert all(not text.startswith("100") for _, text in marked)


def test_jobs_default_uses_every_core_for_a_folder_only(monkeypatch: pytest.MonkeyPatch) -> None:
    from jixiao.review import batch

    monkeypatch.setattr(batch, "usable_cores", lambda: 64)
    assert batch.worker_count(0, 10_000) == 64
    assert batch.worker_count(0, batch.AUTO_JOBS_MIN_FILES) == batch.AUTO_JOBS_MIN_FILES  # not 64 for 16
    assert batch.worker_count(0, batch.AUTO_JOBS_MIN_FILES - 1) == 1  # a few files: no worker start-up
    monkeypatch.setattr(batch, "usable_cores", lambda: 4)
    assert batch.worker_count(8, 100) == 4  # never more processes than cores
    assert batch.worker_count(3, 2) == 2  # nor than files
    assert batch.worker_count(1, 10_000) == 1
    monkeypatch.undo()
    assert 1 <= batch.usable_cores() <= (os.cpu_count() or 1)


# ---------------------------------------------------------------- collector settings


def test_a_run_collects_less_often_and_leaves_the_process_as_it_was(monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    from jixiao.review import batch

    seen: list[tuple[tuple[int, int, int], int]] = []
    real_check = batch.check_file

    def spying_check(*args: Any, **kwargs: Any) -> Any:
        seen.append((gc.get_threshold(), gc.get_freeze_count()))
        return real_check(*args, **kwargs)

    before = (gc.get_threshold(), gc.get_freeze_count())
    monkeypatch.setattr(batch, "check_file", spying_check)
    result = run(str(FIXTURES), "--jobs", "1")
    assert result.exit_code in (0, 1) and seen
    for threshold, frozen in seen:  # while checking: collected every 10,000 allocations, imports frozen
        assert threshold[0] == collector._GEN0_THRESHOLD and threshold[1:] == before[0][1:]
        assert frozen > 0
    assert (gc.get_threshold(), gc.get_freeze_count()) == before  # and the caller's settings again


def test_worker_processes_get_the_same_collector_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    from jixiao.review import batch

    # Outside the command the parent keeps CPython's settings: what the workers report is their own.
    monkeypatch.setattr(batch, "_check_one", _collector_state)
    files = [Path("a.txt"), Path("b.txt")]
    reports = list(batch.iter_reports(files, "mof-2020", 2, 1, 1.0, initializer=collector.fewer_collections))
    assert len(reports) == 2
    for report in reports:
        threshold, frozen = report.path.split("|")[1:]
        assert int(threshold) == collector._GEN0_THRESHOLD and int(frozen) > 0


def test_the_library_leaves_the_collector_alone() -> None:
    import gc

    from jixiao.review.batch import run_check

    before = (gc.get_threshold(), gc.get_freeze_count())
    seen: list[tuple[tuple[int, int, int], int]] = []
    run_check(
        [str(FIXTURES)], jobs=1, echo=lambda _: seen.append((gc.get_threshold(), gc.get_freeze_count()))
    )
    assert seen and all(state == before for state in seen)


def _collector_state(args: tuple[str, ...]) -> Any:
    import gc

    from jixiao.review.pipeline import FileReport

    return FileReport(f"{args[0]}|{gc.get_threshold()[0]}|{gc.get_freeze_count()}")


def test_objects_the_caller_froze_stay_as_they_were() -> None:
    import gc

    from jixiao.collector import batch_collector

    gc.freeze()  # the caller's own frozen objects
    try:
        frozen = gc.get_freeze_count()  # only a freeze adds to it; freed frozen objects take from it
        kept = [[] for _ in range(1000)]  # made after the caller's freeze: must not get frozen by us
        with batch_collector():
            assert gc.get_freeze_count() <= frozen
        assert gc.get_freeze_count() <= frozen and len(kept) == 1000
    finally:
        gc.unfreeze()


def test_overlapping_runs_restore_the_settings_when_the_last_one_ends() -> None:
    import gc

    from jixiao.collector import _GEN0_THRESHOLD, batch_collector

    before = (gc.get_threshold(), gc.get_freeze_count())
    first, second = batch_collector(), batch_collector()
    first.__enter__()
    second.__enter__()  # a second thread's run starts while the first is under way
    first.__exit__(None, None, None)  # the first ends before the second
    assert gc.get_threshold()[0] == _GEN0_THRESHOLD and gc.get_freeze_count() > 0  # still running
    second.__exit__(None, None, None)
    assert (gc.get_threshold(), gc.get_freeze_count()) == before
