"""The parts of a Word package the review reads: the main document, its numbering and styles.

A .docx is a ZIP of XML parts tied together by relationship files. python-docx opens a package by
parsing every part it knows (styles, settings, theme, fonts, numbering, headers…), about a quarter of the
time of checking a ten-page report; the review needs the body, and numbering and styles only when the
document defines lists. So the parts are found here by their relationships, as python-docx finds them,
and parsed with the same parser settings (no entity resolution, blank text between tags dropped), each
only when asked for. ``guard.zip_problem`` has already vetted the archive's declared sizes.
"""

from __future__ import annotations

import posixpath
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from lxml import etree

__all__ = ["NotWordPackage", "WordPackage", "w"]

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
# The same settings as python-docx's parser: entities are never resolved (no XXE, no billion laughs),
# and whitespace-only text between tags is dropped (a w:t's own text, blank or not, is kept).
_PARSER = etree.XMLParser(remove_blank_text=True, resolve_entities=False, no_network=True)


def w(name: str) -> str:
    """The Clark name of a WordprocessingML element or attribute: w("p") is "{…/main}p"."""
    return _W + name


class NotWordPackage(ValueError):
    """The ZIP is not a Word document: no main document part, or one that is not WordprocessingML."""


def _rels_name(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


class WordPackage:
    """An open .docx: ``body`` (the w:body element, None when the document has none), and ``numbering``
    and ``styles`` (root elements; None when absent, and styles also when no list or no style numbers)."""

    def __init__(self, path: Path) -> None:
        with zipfile.ZipFile(path) as archive:
            self._names = set(archive.namelist())
            self._archive = archive
            main = self._target("", _RELATIONSHIPS + "officeDocument")
            if main is None:
                raise NotWordPackage("ZIP 包中找不到 Word 正文部件（document.xml），不是 Word 文档")
            root = self._parse(main)
            if root is None or root.tag != w("document"):
                raise NotWordPackage("ZIP 包的正文部件不是 Word 文档（可能是改了扩展名的其他 Office 文件）")
            self.body: Any = root.find(w("body"))
            # Lists need both parts; most reports define none, and then styles are never parsed.
            numbering_part = self._target(main, _RELATIONSHIPS + "numbering")
            self.numbering: Any = self._parse(numbering_part) if numbering_part else None
            has_lists = self.numbering is not None and self.numbering.find(w("num")) is not None
            styles_part = self._target(main, _RELATIONSHIPS + "styles") if has_lists else None
            # Styles matter only for a style that numbers its paragraphs (w:numPr): a part without the
            # word has none, and is not parsed (it is often the largest part after the body).
            self.styles: Any = self._parse(styles_part, needs=b"numPr") if styles_part else None
        del self._archive

    def _member(self, part: str) -> str | None:
        for name in (part, unquote(part)):
            if name in self._names:
                return name
        return None

    def _parse(self, part: str, needs: bytes = b"") -> Any:
        """The part's root element; None when it is missing or its bytes lack ``needs``."""
        member = self._member(part)
        if member is None:
            return None
        data = self._archive.read(member)
        if needs not in data:
            return None
        return etree.fromstring(data, _PARSER)

    def _target(self, source: str, rel_type: str) -> str | None:
        """The part that ``source`` ("" for the package) relates to with ``rel_type``, as a ZIP name."""
        rels = self._member(_rels_name(source) if source else "_rels/.rels")
        if rels is None:
            return None
        for rel in etree.fromstring(self._archive.read(rels), _PARSER).iter(_REL):
            if rel.get("Type") != rel_type or rel.get("TargetMode") == "External":
                continue
            target = rel.get("Target") or ""
            if target.startswith("/"):
                return posixpath.normpath(target).lstrip("/")
            return posixpath.normpath(posixpath.join(posixpath.dirname(source), target)).lstrip("/")
        return None
