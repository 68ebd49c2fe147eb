"""Public entry to the readers (the implementation lives in ``jixiao.review.read``)."""

from __future__ import annotations

from jixiao.review.read import ReadLimits, document_from_text, read_document

__all__ = ["ReadLimits", "document_from_text", "read_document"]
