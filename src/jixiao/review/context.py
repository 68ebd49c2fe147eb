"""What a document check sees: the document as read, its section tree, the claims it states."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from jixiao.frameworks import Framework
from jixiao.review.document import Document


@dataclass
class ReviewContext:
    document: Document
    framework: Framework
    sections: list[Any] = field(default_factory=list)  # jixiao.review.structure.Heading, in document order
    claims: list[Any] = field(default_factory=list)  # jixiao.review.claims.Claim
    options: dict[str, Any] = field(default_factory=dict)
