"""Old Office formats (.doc, .wps, .et) through LibreOffice: converted to .docx/.xlsx, then read as usual.

Each conversion runs ``soffice --headless --convert-to`` on a copy of the file in a private temporary
folder, with its own LibreOffice profile there (``-env:UserInstallation``: no shared state with a
desktop session or another worker, no lock files in the user's home), macros disabled in that profile,
and a time limit after which the whole process group is killed. One conversion at a time per process
(a lock): LibreOffice is heavy, and a pool of workers already gives one conversion per core. The folder
is removed afterwards; the input is never touched. Findings name the original file.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from jixiao.core.findings import Finding
from jixiao.review.read.guard import make_finding

__all__ = ["INSTALL_HINT", "converted", "soffice_path"]

INSTALL_HINT = "apt-get install libreoffice-writer-nogui libreoffice-calc-nogui"

_lock = threading.Lock()

# The profile's settings, written before LibreOffice first starts: macros never run (security level
# "very high" and execution disabled), no first-start wizard, no recovery of "crashed" documents.
_REGISTRY = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>3</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="DisableMacrosExecution" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="FirstRun" oor:op="fuse"><value>false</value></prop></item>
<item oor:path="/org.openoffice.Office.Recovery/RecoveryInfo"><prop oor:name="Enabled" oor:op="fuse"><value>false</value></prop></item>
</oor:items>
"""

_WHAT = {"docx": "Word 文档（.docx）", "xlsx": "Excel 表格（.xlsx）"}


def soffice_path() -> str | None:
    """The LibreOffice program, or None when it is not installed (``JIXIAO_SOFFICE`` overrides)."""
    override = os.environ.get("JIXIAO_SOFFICE")
    if override is not None:
        return shutil.which(override) if override else None
    return shutil.which("soffice") or shutil.which("libreoffice")


def _missing(shown: str, what: str, target: str) -> Finding:
    return make_finding(
        "R517",
        f"读取{what}需要 LibreOffice，本机未安装，未审查此文件。请安装后重试（Debian/Ubuntu："
        f"`{INSTALL_HINT}`），或用 Word/WPS 另存为 .{target} 后再审查。",
        shown,
        values={"format": what},
    )


@contextmanager
def converted(
    file: Path, target: str, shown: str, what: str, seconds: float
) -> Iterator[tuple[Path | None, Finding | None]]:
    """``(path of the converted copy, None)``, or ``(None, the finding saying why not)``.

    The copy lives until the ``with`` block ends."""
    program = soffice_path()
    if program is None:
        yield None, _missing(shown, what, target)
        return
    folder = Path(tempfile.mkdtemp(prefix="jixiao-convert-"))
    try:
        with _lock:
            result = _convert(program, file, target, folder, shown, what, seconds)
        yield result
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _convert(
    program: str, file: Path, target: str, folder: Path, shown: str, what: str, seconds: float
) -> tuple[Path | None, Finding | None]:
    source = folder / "in" / ("input" + file.suffix.lower())
    source.parent.mkdir()
    shutil.copyfile(file, source)  # a plain name: LibreOffice names its output after the input
    profile = folder / "profile"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(_REGISTRY, encoding="utf-8")
    out = folder / "out"
    command = [
        program,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--invisible",
        "--nologo",
        "--nodefault",
        "--norestore",
        "--nolockcheck",
        "--convert-to",
        target,
        "--outdir",
        str(out),
        str(source),
    ]
    env = {**os.environ, "HOME": str(folder), "SAL_USE_VCLPLUGIN": "svp"}
    try:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=folder,
            start_new_session=True,  # its own process group: a timeout kills LibreOffice's children too
        )
    except OSError as exc:
        return None, make_finding(
            "R517", f"无法启动 LibreOffice（{exc.strerror or exc}），未审查此文件。", shown
        )
    try:
        output, _ = process.communicate(timeout=seconds)
    except subprocess.TimeoutExpired:
        _kill(process)
        return None, make_finding(
            "R502",
            f"用 LibreOffice 转换{what}超过 {seconds:.0f} 秒仍未完成，已中止；请另存为 .{target} 后再审查。",
            shown,
        )
    produced = out / f"input.{target}"
    if process.returncode != 0 or not produced.is_file():
        said = output.decode("utf-8", "replace").strip().splitlines()
        detail = f"（{said[-1][:200]}）" if said else ""
        return None, make_finding(
            "R502",
            f"LibreOffice 无法把此{what}转换为 .{target}{detail}：文件可能已损坏或设置了打开密码。",
            shown,
        )
    return produced, None


def _kill(process: subprocess.Popen[bytes]) -> None:
    killpg = getattr(os, "killpg", None)  # POSIX: the whole group (oosplash starts soffice.bin)
    try:
        if killpg is None:
            raise ProcessLookupError
        killpg(process.pid, getattr(signal, "SIGKILL", signal.SIGTERM))
    except (ProcessLookupError, PermissionError):
        process.kill()
    process.wait()
