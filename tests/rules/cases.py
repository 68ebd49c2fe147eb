"""Rule cases: load tests/rules/<CODE>.yaml, build each case's input, run it, and say what it found.

The format is described in tests/rules/README.md. A case runs through the same entry points a user
meets: a report snippet through ``check_file`` (review path), a data file through ``evaluate``
(author path), a built file through the readers; so a case that passes here passes on the command line.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from unittest import mock

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap

from jixiao.core.findings import Finding, sort_findings
from jixiao.core.rules.registry import Rule, get_rule

HERE = Path(__file__).parent
FILES = HERE / "files"
TESTS = HERE.parent
TEMPLATES = TESTS.parent / "src" / "jixiao" / "author" / "templates"

# Keys a case may have; anything else is a typo the loader reports instead of ignoring.
INPUT_KEYS = {
    "text",
    "data",
    "base",
    "patch",
    "unset",
    "replace",
    "file",
    "make",
    "output",
    "config",
    "from_doc",
    "bundle",
}
OTHER_KEYS = {"name", "expect", "also", "as", "beside", "framework", "limits", "note", "fault", "env"}
# ``fault: 表格`` makes that claim reader raise while the case runs: a defect no report text can cause,
# reported as R516 (the names are the readers' names in review/claims/collect.py).
FAULTS = {
    "正文": "extract_prose_claims",
    "评分": "extract_score_claims",
    "表格": "extract_table_claims",
    "自评表": "extract_selfeval_claims",
}
LOCATION_KEYS = {"line", "column", "page", "sheet", "cell", "table", "row", "col"}
EXPECT_KEYS = {
    "severity",
    "message",
    "excerpt",
    "values",
    "stated",
    "recomputed",
    "related",
    "file",
    *LOCATION_KEYS,
}
FENCE = re.compile(r"```(text|yaml|toml)\n(.*?)```", re.DOTALL)


class CaseError(Exception):
    """A case file that does not follow the format (the message names the file and case)."""


@dataclass(frozen=True)
class Case:
    code: str
    index: int
    # The case's mapping as ruamel's round-trip loader gives it: numbers keep the text they were written in.
    spec: Any = field(hash=False, compare=False)
    source: Path

    @property
    def name(self) -> str:
        return str(self.spec.get("name", ""))

    @property
    def id(self) -> str:
        return f"{self.code}-{self.index + 1}-{self.name}"

    @property
    def failing(self) -> bool:
        return bool(self.spec["expect"])

    def fail(self, message: str) -> CaseError:
        return CaseError(f"{self.source.name} case {self.index + 1} ({self.name}): {message}")


def _yaml() -> YAML:
    y = YAML(typ="rt")
    y.width = 4096  # never fold a long line: the line numbers of a patched base stay the base's
    return y


def load_cases() -> list[Case]:
    cases: list[Case] = []
    for path in sorted(HERE.glob("*.yaml")):
        doc = _yaml().load(path.read_text(encoding="utf-8"))
        code = str(doc.get("code", ""))
        if code != path.stem:
            raise CaseError(f"{path.name}: `code: {code}` must be the file's name")
        if get_rule(code) is None:
            raise CaseError(f"{path.name}: {code} is not in any catalog")
        for i, spec in enumerate(doc.get("cases") or []):
            case = Case(code, i, spec, path)
            _check_keys(case)
            cases.append(case)
    return cases


def _check_keys(case: Case) -> None:
    spec = case.spec
    unknown = set(spec) - INPUT_KEYS - OTHER_KEYS
    if unknown:
        raise case.fail(f"unknown keys {sorted(unknown)}")
    if "name" not in spec or "expect" not in spec:
        raise case.fail("every case needs `name` and `expect`")
    for item in spec["expect"]:
        if set(item) - EXPECT_KEYS:
            raise case.fail(f"unknown expect keys {sorted(set(item) - EXPECT_KEYS)}")


# ---- the 示例 of a rule's doc ---------------------------------------------------------------------


def doc_example(rule: Rule) -> tuple[str, str] | None:
    """The fenced snippet in the rule's 示例 (```text: a report; ```yaml: a patch of the base data)."""
    found = FENCE.search(rule.doc.get("示例", ""))
    return (found.group(1), found.group(2)) if found else None


# ---- running a case --------------------------------------------------------------------------------


@dataclass
class Outcome:
    findings: list[Finding]  # every finding of the run, of every code, in report order


@cache
def run_case(case: Case) -> Outcome:
    """Run once per session (the coverage tests reuse the parametrized runs' outcomes)."""
    with tempfile.TemporaryDirectory(prefix="jixiao-case-") as tmp, _environment(case):
        folder = Path(tmp)
        for name, content in (case.spec.get("beside") or {}).items():
            (folder / str(name)).write_text(str(content), encoding="utf-8")
        return Outcome(sort_findings(_runner(case)(case, folder)))


@contextmanager
def _environment(case: Case) -> Iterator[None]:
    """The case's ``env`` variables for the run (e.g. ``JIXIAO_SOFFICE: ""``: no LibreOffice), then as before."""
    wanted = {str(k): str(v) for k, v in (case.spec.get("env") or {}).items()}
    saved = {k: os.environ.get(k) for k in wanted}
    os.environ.update(wanted)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _runner(case: Case) -> Callable[[Case, Path], list[Finding]]:
    spec = case.spec
    if spec.get("from_doc"):
        rule = get_rule(case.code)
        assert rule is not None
        example = doc_example(rule)
        if example is None:
            raise case.fail(f"from_doc: the 示例 of {case.code} has no ```text or ```yaml block")
        return {"text": _run_text, "yaml": _run_data, "toml": _run_config}[example[0]]
    if "bundle" in spec:
        return _run_bundle
    if "config" in spec:
        return _run_config
    if "output" in spec:
        return _run_output
    if "file" in spec or "make" in spec:
        return _run_file
    base = str(spec.get("base", ""))
    if "text" in spec or "replace" in spec or base.endswith((".txt", ".md")):
        return _run_text
    if "data" in spec or "patch" in spec or "unset" in spec or base:
        return _run_data
    raise case.fail("no input: give text, data, base, file, make, output or from_doc")


def _framework(case: Case, default: str | None) -> str | None:
    return str(case.spec["framework"]) if "framework" in case.spec else default


def _limits(case: Case) -> Any:
    from jixiao.review.read import ReadLimits

    return ReadLimits(**{str(k): v for k, v in (case.spec.get("limits") or {}).items()})


def _check(path: Path, case: Case) -> list[Finding]:
    from jixiao.review.pipeline import check_file

    return check_file(path, _framework(case, "mof-2020") or "mof-2020", _limits(case)).findings


# -- review path: a report snippet as a .txt ---------------------------------------------------------


def report_text(case: Case) -> str:
    spec = case.spec
    if spec.get("from_doc"):
        rule = get_rule(case.code)
        assert rule is not None
        example = doc_example(rule)
        assert example is not None
        return example[1]
    text = str(spec["text"]) if "text" in spec else (TESTS / str(spec["base"])).read_text(encoding="utf-8")
    for old, new in spec.get("replace") or []:
        if text.count(old) != 1:
            raise case.fail(f"replace: {old!r} occurs {text.count(old)} times in the base (must be once)")
        text = text.replace(old, new)
    return text


def _run_text(case: Case, folder: Path) -> list[Finding]:
    path = folder / str(case.spec.get("as", "r.txt"))
    path.write_text(report_text(case), encoding="utf-8")
    fault = case.spec.get("fault")
    if fault is None:
        return _check(path, case)
    if fault not in FAULTS:
        raise case.fail(f"fault: one of {sorted(FAULTS)}")

    def broken(*_: Any) -> list[Any]:
        raise RuntimeError("故障注入")

    with mock.patch(f"jixiao.review.claims.collect.{FAULTS[fault]}", broken):
        return _check(path, case)


# -- review path: the files of one submission, checked together ------------------------------------


def _run_bundle(case: Case, folder: Path) -> list[Finding]:
    """Each member written under its name (``text``, or ``file``: a path under tests/) into one folder,
    checked as ``jixiao check FOLDER`` checks it (review.submission groups them)."""
    from jixiao.review.batch import iter_reports, with_bundles
    from jixiao.review.submission import group_files

    for member in case.spec["bundle"]:
        target = folder / str(member["name"])
        if "file" in member:
            target.write_bytes((TESTS / str(member["file"])).read_bytes())
        else:
            target.write_text(str(member["text"]), encoding="utf-8")
    files = sorted(p for p in folder.iterdir() if p.is_file())
    groups = group_files(files)
    members = frozenset(i for g in groups for i in g)
    framework = _framework(case, "mof-2020") or "mof-2020"
    limits = _limits(case)
    reports = iter_reports(files, framework, 1, limits.max_bytes, limits.max_seconds, facts=members)
    return [f for report in with_bundles(reports, groups) for f in report.findings]


# -- author path: YAML data, or a base with dotted-path patches --------------------------------------


def data_text(case: Case) -> str:
    spec = case.spec
    if "data" in spec:
        return str(spec["data"])
    base = str(spec.get("base", "example"))
    path = TESTS / base if base.endswith((".yaml", ".yml")) else TEMPLATES / f"{base}.yaml"
    y = _yaml()
    data = y.load(path.read_text(encoding="utf-8"))
    patch = spec.get("patch") or {}
    if spec.get("from_doc"):
        rule = get_rule(case.code)
        assert rule is not None
        example = doc_example(rule)
        assert example is not None
        patch = y.load(example[1]) or {}
    for dotted, value in patch.items():
        _set(data, str(dotted), value, case)
    for dotted in spec.get("unset") or []:
        parent, key = _walk(data, str(dotted), case)
        del parent[key]
    out = io.StringIO()
    y.dump(data, out)
    return out.getvalue()


def _walk(data: Any, dotted: str, case: Case) -> tuple[Any, Any]:
    """The container holding the last part of ``dotted`` and that part (an int index for a list)."""
    parts = dotted.split(".")
    node = data
    for part in parts[:-1]:
        try:
            node = node[int(part)] if isinstance(node, list) else node[part]
        except (KeyError, IndexError, ValueError) as exc:
            raise case.fail(f"patch path {dotted}: no {part!r} ({exc})") from None
    last: Any = int(parts[-1]) if isinstance(node, list) else parts[-1]
    return node, last


def _set(data: Any, dotted: str, value: Any, case: Case) -> None:
    parent, key = _walk(data, dotted, case)
    if isinstance(parent, list) and key == len(parent):
        parent.append(value)  # one past the end: a new item
    elif isinstance(value, CommentedMap) and isinstance(parent, dict) and isinstance(parent.get(key), dict):
        for sub, v in value.items():  # a mapping merges into the mapping there
            _set(data, f"{dotted}.{sub}", v, case)
    else:
        parent[key] = value


def _run_data(case: Case, folder: Path) -> list[Finding]:
    from jixiao.author.pipeline import evaluate

    path = folder / str(case.spec.get("as", "t.yaml"))
    path.write_text(data_text(case), encoding="utf-8")
    return evaluate(path, _framework(case, None)).findings


# -- reading: a fixture file, or a file built here ---------------------------------------------------


def _run_file(case: Case, folder: Path) -> list[Finding]:
    spec = case.spec
    if "file" in spec:
        source = FILES / str(spec["file"])
        path = folder / str(spec.get("as", source.name))
        path.write_bytes(source.read_bytes())
    else:
        path = folder / str(spec.get("as", "r.txt"))
        _make(dict(spec["make"]), path, case)
    return _check(path, case)


def _make(recipe: dict[str, Any], path: Path, case: Case) -> None:
    """Build the file a reading rule needs; one recipe key per case (see README.md)."""
    if "text" in recipe:
        path.write_bytes(str(recipe["text"]).encode(str(recipe.get("encoding", "utf-8"))))
    elif "mojibake" in recipe:  # UTF-8 text opened as GBK and saved again: what a wrong conversion leaves
        garbled = str(recipe["mojibake"]).encode("utf-8").decode("gbk", errors="replace")
        path.write_text(garbled, encoding="utf-8")
    elif "hex" in recipe:
        path.write_bytes(bytes.fromhex(str(recipe["hex"])) + b"\x00" * int(recipe.get("pad", 0)))
    elif "binary" in recipe:
        path.write_bytes(bytes(range(256)) * int(recipe["binary"]))
    elif "sparse" in recipe:
        with open(path, "wb") as handle:
            handle.truncate(int(recipe["sparse"]))  # on paper only: nothing is written to disk
    elif "zip" in recipe:
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
            for member, content in recipe["zip"].items():
                z.writestr(str(member), b"\x00" * content if isinstance(content, int) else str(content))
    elif "docx" in recipe:
        import docx

        document = docx.Document()
        for paragraph in recipe["docx"]:
            document.add_paragraph(str(paragraph))
        document.save(str(path))
    elif "pdf" in recipe:
        _make_pdf(recipe, path, case)
    elif "folder" in recipe:
        path.mkdir()
    elif "missing" in recipe:
        pass  # nothing is written: the path does not exist
    else:
        raise case.fail(f"make: unknown recipe {sorted(recipe)}")


def _make_pdf(recipe: dict[str, Any], path: Path, case: Case) -> None:
    import pytest

    fpdf = pytest.importorskip("fpdf", reason="fpdf2 is needed to write PDF cases")
    from tests.review.read.test_readers import cjk_font, strip_unicode_maps

    pdf = fpdf.FPDF()
    if recipe.get("cjk"):
        font = cjk_font()
        if font is None:
            pytest.skip("no CJK font installed (fonts-noto-cjk or fonts-arphic-ukai)")
        pdf.add_font("cjk", fname=str(font))
        pdf.set_font("cjk", size=12)
    else:
        pdf.set_font("helvetica", size=12)
    for page in recipe["pdf"]:
        pdf.add_page()
        if page == "image":  # a scanned page: one picture, no text
            image = pytest.importorskip("PIL.Image")
            buffer = io.BytesIO()
            image.new("RGB", (200, 100), "white").save(buffer, format="PNG")
            pdf.image(buffer, x=10, y=10, w=100)
            continue
        for line in page:
            pdf.multi_cell(120, 8, str(line), new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    if recipe.get("password") or recipe.get("strip_tounicode"):
        pypdf = pytest.importorskip("pypdf")
        writer = pypdf.PdfWriter(clone_from=str(path))
        if recipe.get("strip_tounicode"):
            strip_unicode_maps(writer)
        if recipe.get("password"):
            user = "" if recipe["password"] == "owner-only" else str(recipe["password"])
            writer.encrypt(user_password=user, owner_password="owner", algorithm="RC4-128")
        with open(path, "wb") as handle:
            writer.write(handle)


# -- the project file (jixiao.toml, or [tool.jixiao] in a pyproject.toml) -----------------------------


def _run_config(case: Case, folder: Path) -> list[Finding]:
    from jixiao.core.config import load_config

    if case.spec.get("from_doc"):
        rule = get_rule(case.code)
        assert rule is not None
        example = doc_example(rule)
        assert example is not None
        text = example[1]
    else:
        text = str(case.spec["config"])
    path = folder / str(case.spec.get("as", "jixiao.toml"))
    path.write_text(text, encoding="utf-8")
    return load_config(path).findings


# -- output: a file the run would write -------------------------------------------------------------


def _run_output(case: Case, folder: Path) -> list[Finding]:
    from jixiao.core.output import OutputExists, write_text

    target = folder / "报告.md"
    if case.spec["output"] == "exists":
        target.write_text("用户自己的文件", encoding="utf-8")
    try:
        write_text(target, "新写出的内容")
    except OutputExists as exc:
        return [exc.finding]
    return []


# ---- matching -------------------------------------------------------------------------------------


def mismatch(case: Case, outcome: Outcome) -> str | None:
    """Why the findings of the case's code do not match its ``expect`` (None when they do)."""
    mine = [f for f in outcome.findings if f.code == case.code]
    expected = list(case.spec["expect"])
    shown = "\n".join(f.render() + (f"  {dict(f.values)}" if f.values else "") for f in mine) or "(none)"
    if len(mine) != len(expected):
        return f"expected {len(expected)} finding(s) of {case.code}, got {len(mine)}:\n{shown}"
    for n, (item, f) in enumerate(zip(expected, mine, strict=True), start=1):
        for key, want in item.items():
            got = _field(f, str(key))
            if key in ("message", "excerpt"):
                ok = str(want) in str(got)
            elif key == "related":  # the labels of the other places the finding points at
                got = [label for label, _ in f.related]
                ok = got == [str(x) for x in want]
            elif key == "values":
                ok = all(str(f.values.get(str(k))) == str(v) for k, v in want.items())
            else:
                ok = str(got) == str(want)
            if not ok:
                return f"finding {n}: {key} is {got!r}, expected {want!r}\n{shown}"
    also = case.spec.get("also")
    if also is not None:
        others = sorted({f.code for f in outcome.findings if f.code != case.code})
        if others != sorted({str(c) for c in also}):
            return f"other codes {others}, expected {sorted(also)}"
    return None


def _field(f: Finding, key: str) -> Any:
    if key == "file":  # the name of the file the finding is in (bundle cases check several files)
        return Path(f.location.path).name
    if key in ("stated", "recomputed"):
        return f.values.get(key)
    if key == "severity":
        return f.severity.value
    if key in LOCATION_KEYS:
        return getattr(f.location, key)
    return getattr(f, key)
