"""What a document check sees: the document as read, its section tree, the claims it states."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from jixiao.model.frameworks import Framework
from jixiao.review.claims.model import Claim
from jixiao.review.document import Document
from jixiao.review.structure import Heading

_S = TypeVar("_S")
_T = TypeVar("_T")


@dataclass
class ReviewContext:
    document: Document
    framework: Framework
    sections: list[Heading] = field(default_factory=list)  # in document order
    claims: list[Claim] = field(default_factory=list)
    options: dict[str, Any] = field(default_factory=dict)
    # jixiao.review.doctype.DocumentType: the kind of report and whether it looks cut; worked out on
    # first use by doctype.document_type (in a run of the checks), and set by the pipeline after them.
    doctype: Any = None
    # What several checks work out from the sections or the claims (claims by kind, sibling runs) and
    # share: see ``derive``. Not part of the context's value.
    derived: dict[str, tuple[list[Any], int, Any]] = field(default_factory=dict, repr=False, compare=False)

    def begin_checks(self) -> None:
        """``run_checks`` calls this first: what the last run derived is forgotten, so sections or claims
        edited in place between two runs are read afresh."""
        self.derived.clear()

    def derive(self, key: str, source: list[_S], make: Callable[[list[_S]], _T]) -> _T:
        """``make(source)``, worked out once per run of the checks and shared by the checks that ask.

        ``source`` is ``self.sections`` or ``self.claims``; a list replaced or grown since (a check
        called on its own, outside ``run_checks``) is read afresh. A list edited in place to the same
        length is not noticed until the next ``begin_checks``: call it before calling a check directly
        after such an edit."""
        found = self.derived.get(key)
        if found is not None and found[0] is source and found[1] == len(source):
            return found[2]  # type: ignore[no-any-return]
        value = make(source)
        self.derived[key] = (source, len(source), value)
        return value
