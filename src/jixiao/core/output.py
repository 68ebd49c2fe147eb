"""Atomic, non-clobbering output: write to a temporary file beside the target, then rename.

Nothing that exists is replaced unless the caller passes ``force=True`` (the CLI's ``--force``).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from jixiao.core.findings import Finding, Location
from jixiao.core.rules.registry import rule


class OutputExists(Exception):
    """A target exists and the caller did not pass ``force``: rule I606, printed as its finding line."""

    def __init__(self, path: Path):
        self.path = path
        self.finding: Finding = rule("I606").finding(
            "输出文件已存在：换一个输出位置，或加 --force 覆盖", Location(path=str(path))
        )
        super().__init__(self.finding.render())


@contextlib.contextmanager
def atomic_path(target: str | Path, *, force: bool = False) -> Iterator[Path]:
    """Yield a temporary path to write to; on success it replaces ``target`` in one rename."""
    target = Path(target)
    if target.exists() and not force:
        raise OutputExists(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    import tempfile  # here: `jixiao check` prints to the terminal and writes nothing (start-up)

    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        if target.exists() and not force:  # created by someone else meanwhile
            raise OutputExists(target)
        # mkstemp creates 0600; give the file the permissions a plain open() would have.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()


def write_bytes(target: str | Path, data: bytes, *, force: bool = False) -> Path:
    with atomic_path(target, force=force) as tmp:
        tmp.write_bytes(data)
    return Path(target)


def write_text(target: str | Path, text: str, *, force: bool = False) -> Path:
    return write_bytes(target, text.encode("utf-8"), force=force)
