"""Incoming files: their type from their content (not their name), their hash, and the members of a zip.

A file is stored once, as ``<sha256>.<type>``: a name the server makes, under the store's own folder."""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

# The review readers' types (a unit's 自评表 workbook is checked like a report; "doc" is any OLE file —
# .doc/.wps/.xls/.et — which the reader converts or reads by its original suffix), and author data.
REPORT_TYPES = ("txt", "docx", "pdf", "html", "xlsx", "doc")
_OLE_SUFFIXES = ("doc", "wps", "xls", "et")
MAX_ZIP_MEMBERS = 10_000
MAX_ZIP_TOTAL = 2 * 1024**3  # what the members of one zip may add up to, unpacked
MAX_ZIP_RATIO = 100  # unpacked / packed, for one member


@dataclass(frozen=True)
class Incoming:
    """One file to import: its bytes and the name it came with (shown; never used as a path)."""

    name: str
    data: bytes
    # The folders it sat in below what was imported (a zip's own folders included): unit hints.
    folders: tuple[str, ...] = ()

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def sniff(data: bytes) -> str:
    """``txt`` ``docx`` ``xlsx`` ``pdf`` ``html`` ``zip`` ``doc`` or ``unknown``, from the first bytes."""
    head = data[:2048]
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                names = set(z.namelist())
        except zipfile.BadZipFile:
            return "unknown"
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0"):  # OLE: .doc/.wps/.xls/.et (or a password-protected Office file)
        return "doc"
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lowered.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<body" in lowered:
        return "html"
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "unknown"
    return "txt"


def is_author_data(name: str, kind: str) -> bool:
    """YAML evaluation data: the author page's. A workbook is checked as a unit's submitted 自评表."""
    return kind == "txt" and name.lower().endswith((".yaml", ".yml"))


def stored_name(sha256: str, kind: str, name: str = "") -> str:
    """``<sha256>.<type>``; an OLE file keeps the suffix it came with (.doc/.wps/.xls/.et), which tells
    the reader whether to convert it as a document or read it as a workbook."""
    if kind == "doc":
        suffix = PurePosixPath(name.lower()).suffix.lstrip(".")
        return f"{sha256}.{suffix if suffix in _OLE_SUFFIXES else 'doc'}"
    return f"{sha256}.{kind if kind in (*REPORT_TYPES, 'yaml') else 'bin'}"


def keep(folder: Path, name: str, data: bytes) -> Path:
    """Write ``data`` as ``folder/name`` (atomically; an existing file of that hash is the same bytes)."""
    target = folder / name
    if target.exists():
        return target
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".incoming-")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


class ZipProblem(ValueError):
    pass


def zip_members(data: bytes, name: str, folders: tuple[str, ...] = ()) -> Iterator[Incoming]:
    """The files of a zip, each with its path inside the zip as its name. Refuses zip bombs: too many
    members, a member much larger than its packed size, or too much in all."""
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise ZipProblem(f"{name}：不是有效的 zip 文件（{exc}）") from exc
    with z:
        infos = [i for i in z.infolist() if not i.is_dir()]
        if len(infos) > MAX_ZIP_MEMBERS:
            raise ZipProblem(f"{name}：zip 中文件过多（{len(infos)} 个，上限 {MAX_ZIP_MEMBERS}）")
        total = 0
        for info in infos:
            total += info.file_size
            if total > MAX_ZIP_TOTAL or info.file_size > MAX_ZIP_RATIO * max(info.compress_size, 1024):
                raise ZipProblem(f"{name}：zip 解压后过大，疑为压缩炸弹，已拒绝")
        for info in infos:
            inner = PurePosixPath(_decoded_name(info))
            if inner.name.startswith(".") or "__MACOSX" in inner.parts:
                continue
            yield Incoming(f"{name}/{inner}", z.read(info), folders + inner.parts[:-1])


def _decoded_name(info: zipfile.ZipInfo) -> str:
    """Zips made on Chinese Windows store names in GBK without the UTF-8 flag: Python reads them as cp437."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gb18030")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def gather(paths: list[Path]) -> Iterator[Incoming]:
    """Files from folders (recursively) and single files; ``unpack`` opens the zips among them."""
    for p in paths:
        files = sorted(f for f in p.rglob("*") if f.is_file()) if p.is_dir() else [p]
        for f in files:
            if not f.name.startswith("."):
                yield Incoming(str(f), f.read_bytes(), f.relative_to(p).parts[:-1] if p.is_dir() else ())


def unpack(items: Iterable[Incoming]) -> Iterator[Incoming | ZipProblem]:
    """Each item, or the members of each zip; a zip that cannot be unpacked comes as its problem."""
    for item in items:
        if sniff(item.data) != "zip":
            yield item
            continue
        try:
            yield from zip_members(item.data, item.name, item.folders)
        except ZipProblem as exc:
            yield exc
