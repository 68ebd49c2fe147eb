"""The workspace's tables (SQLAlchemy 2). Alembic migrations under ``migrations/`` create them; this module
is what the code reads and writes through. Money, rates and scores are kept as the text of a Decimal
(``"391.39"``), never as a float."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    pass


class Unit(Base):
    """A 单位, or a 主管部门 (a unit with children). Reviewers see a 主管部门 and everything under it."""

    __tablename__ = "units"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), default=None)
    parent: Mapped[Unit | None] = relationship(remote_side="Unit.id")


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))  # admin | reviewer | author
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(default=now)
    unit: Mapped[Unit | None] = relationship()


class Document(Base):
    """An imported report: the original bytes are kept in the store's file folder under ``stored_name``."""

    __tablename__ = "documents"
    __table_args__ = (Index("ix_documents_unit_year", "unit_id", "year"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    filename: Mapped[str] = mapped_column(String(500))  # the name it came with (shown, never used as a path)
    stored_name: Mapped[str] = mapped_column(String(100))
    media_type: Mapped[str] = mapped_column(String(20))  # txt docx pdf html unknown
    size: Mapped[int] = mapped_column(Integer)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), default=None)
    year: Mapped[int | None] = mapped_column(default=None)
    status: Mapped[str] = mapped_column(String(20), default="checked")  # checked | unreadable
    errors: Mapped[int] = mapped_column(default=0)
    warnings: Mapped[int] = mapped_column(default=0)
    infos: Mapped[int] = mapped_column(default=0)
    stated_score: Mapped[str | None] = mapped_column(String(40), default=None)
    recomputed_score: Mapped[str | None] = mapped_column(String(40), default=None)
    grade: Mapped[str | None] = mapped_column(String(20), default=None)
    execution_rate: Mapped[str | None] = mapped_column(String(40), default=None)
    reading: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of the paragraphs as read
    catalogue: Mapped[str] = mapped_column(String(40), default="")
    uploaded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    imported_at: Mapped[datetime] = mapped_column(default=now)
    checked_at: Mapped[datetime] = mapped_column(default=now)
    unit: Mapped[Unit | None] = relationship()
    findings: Mapped[list[Finding]] = relationship(
        back_populates="document", cascade="all, delete-orphan", order_by="Finding.position"
    )
    figures: Mapped[list[Figure]] = relationship(cascade="all, delete-orphan")


class Finding(Base):
    __tablename__ = "findings"
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    code: Mapped[str] = mapped_column(String(10), index=True)
    severity: Mapped[str] = mapped_column(String(10))
    message: Mapped[str] = mapped_column(Text)
    location: Mapped[str] = mapped_column(Text, default="{}")  # JSON, as Location.to_dict()
    line: Mapped[int | None] = mapped_column(default=None)
    excerpt: Mapped[str] = mapped_column(Text, default="")
    values: Mapped[str] = mapped_column(Text, default="{}")  # JSON, strings only
    related: Mapped[str] = mapped_column(Text, default="[]")
    catalogue: Mapped[str] = mapped_column(String(40), default="")
    document: Mapped[Document] = relationship(back_populates="findings")
    decision: Mapped[Decision | None] = relationship(
        back_populates="finding", cascade="all, delete-orphan", uselist=False
    )


class Decision(Base):
    """A reviewer's verdict on one finding; the latest one stands."""

    __tablename__ = "decisions"
    id: Mapped[int] = mapped_column(primary_key=True)
    finding_id: Mapped[int] = mapped_column(ForeignKey("findings.id", ondelete="CASCADE"), unique=True)
    decision: Mapped[str] = mapped_column(String(20))  # confirmed | dismissed
    reason: Mapped[str] = mapped_column(Text, default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    decided_at: Mapped[datetime] = mapped_column(default=now)
    finding: Mapped[Finding] = relationship(back_populates="decision")
    user: Mapped[User | None] = relationship()


class Figure(Base):
    """A budget figure stated in a report (for the Fiscal Data Package): phase 年初/调整/执行, in 万元."""

    __tablename__ = "figures"
    __table_args__ = (UniqueConstraint("document_id", "phase", "scope"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    phase: Mapped[str] = mapped_column(String(10))
    scope: Mapped[str] = mapped_column(String(40))
    amount: Mapped[str] = mapped_column(String(40))  # Decimal text, 万元


class Evaluation(Base):
    """Author data (YAML or 自评表 workbook) a unit uploaded, with what the author path made of it."""

    __tablename__ = "evaluations"
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), default=None)
    year: Mapped[int | None] = mapped_column(default=None)
    filename: Mapped[str] = mapped_column(String(500))
    stored_name: Mapped[str] = mapped_column(String(100))
    sha256: Mapped[str] = mapped_column(String(64))
    total_score: Mapped[str | None] = mapped_column(String(40), default=None)
    grade: Mapped[str | None] = mapped_column(String(20), default=None)
    findings: Mapped[str] = mapped_column(Text, default="[]")  # JSON, check --format json's shape
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(default=now)
    unit: Mapped[Unit | None] = relationship()
