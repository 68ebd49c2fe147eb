"""Bringing reports into the store: ``jixiao import``, uploads and ``jixiao recheck``.

Files are checked in worker processes (the review pipeline is CPU-bound Python) and written to the
database by this process only, one transaction per file: a bad file becomes a finding and the rest go on.
Importing the same bytes again does nothing (documents are unique by SHA-256)."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from jixiao.store import schema
from jixiao.store.analyse import Analysis, analyse, unit_from_path
from jixiao.store.db import Store
from jixiao.store.files import Incoming, ZipProblem, gather, is_author_data, keep, sniff, stored_name, unpack


@dataclass
class Outcome:
    imported: list[int] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # already in the store (same bytes)
    existing: list[int] = field(default_factory=list)  # their documents' ids
    unreadable: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


@dataclass
class _Task:
    name: str
    folders: tuple[str, ...]
    size: int  # the bytes themselves are on disk by now: a big import does not hold them in memory
    kind: str
    sha256: str
    path: str


# Documents written per transaction on import: one commit per file costs about as much as checking it.
BATCH = 50


def _decision_key(code: str, location: str, excerpt: str) -> tuple[str, str, str]:
    return code, location, excerpt


def write_analysis(s: Session, doc: schema.Document, result: Analysis) -> None:
    """Put ``result`` on ``doc``, replacing its findings; a decision on a finding that still stands (same
    code, location and quoted text) is carried over to the new finding."""
    carried: dict[int, tuple[str, str, int | None, Any]] = {}
    if doc.id is not None:  # a stored document checked again (a new one has nothing to carry or clear)
        kept: dict[tuple[str, str, str], schema.Decision] = {}
        for old in doc.findings:
            if old.decision is not None:
                kept[_decision_key(old.code, old.location, old.excerpt)] = old.decision
        for position, f in enumerate(result.findings):
            location = json.dumps(f["location"], ensure_ascii=False, sort_keys=True)
            decision = kept.pop(_decision_key(f["code"], location, f["excerpt"]), None)
            if decision is not None:
                carried[position] = (
                    decision.decision,
                    decision.reason,
                    decision.user_id,
                    decision.decided_at,
                )
        doc.findings.clear()
        doc.figures.clear()
        s.flush()
    for position, f in enumerate(result.findings):
        row = schema.Finding(
            position=position,
            code=f["code"],
            severity=f["severity"],
            message=f["message"],
            location=json.dumps(f["location"], ensure_ascii=False, sort_keys=True),
            line=f["line"],
            excerpt=f["excerpt"],
            values=json.dumps(f["values"], ensure_ascii=False),
            related=json.dumps(f["related"], ensure_ascii=False),
            catalogue=result.catalogue,
        )
        if position in carried:
            verdict, reason, user_id, when = carried[position]
            row.decision = schema.Decision(decision=verdict, reason=reason, user_id=user_id, decided_at=when)
        doc.findings.append(row)
    for (phase, scope), amount in result.figures.items():
        doc.figures.append(schema.Figure(phase=phase, scope=scope, amount=amount))
    doc.errors = sum(1 for f in result.findings if f["severity"] == "error")
    doc.warnings = sum(1 for f in result.findings if f["severity"] == "warning")
    doc.infos = sum(1 for f in result.findings if f["severity"] == "info")
    doc.status = "checked" if result.readable else "unreadable"
    doc.stated_score, doc.recomputed_score = result.stated_score, result.recomputed_score
    doc.grade, doc.execution_rate = result.grade, result.execution_rate
    doc.reading = json.dumps(result.paragraphs, ensure_ascii=False)
    doc.catalogue = result.catalogue
    doc.checked_at = schema.now()


def _analyse_task(args: tuple[str, str, str]) -> Analysis:
    return analyse(*args)


def _analyses(tasks: list[tuple[str, str, str]], jobs: int) -> Iterator[Analysis]:
    from jixiao.collector import batch_collector

    if jobs <= 1 or len(tasks) <= 1:
        with batch_collector():
            for t in tasks:
                yield _analyse_task(t)
        return
    # Workers with the collector settings `jixiao check` gives its own (fewer, cheaper collections); the
    # parent, which writes, likewise for the run.
    from jixiao.collector import fewer_collections

    with batch_collector(), ProcessPoolExecutor(max_workers=jobs, initializer=fewer_collections) as pool:
        chunk = max(1, min(64, len(tasks) // (jobs * 8) or 1))
        yield from pool.map(_analyse_task, tasks, chunksize=chunk)


def import_files(
    store: Store,
    items: Iterable[Incoming],
    *,
    unit_from: str = "text",
    unit: str | None = None,
    year: int | None = None,
    parent: str | None = None,
    user_id: int | None = None,
    jobs: int = 1,
    progress: Callable[[int], Any] | None = None,
    on_total: Callable[[int], Any] | None = None,
) -> Outcome:
    """Import reports. ``unit``/``year`` given: every file is that unit's (an upload); otherwise from
    the report's title (``unit_from="text"``, falling back to where the file sat) or from where it sat."""
    outcome = Outcome()
    tasks: list[_Task] = []
    seen: set[str] = set()
    with store.session() as s:
        known = {sha: i for sha, i in s.execute(select(schema.Document.sha256, schema.Document.id))}
    for item in unpack(items):
        if isinstance(item, ZipProblem):
            outcome.problems.append(str(item))
            continue
        digest = item.sha256
        if digest in known or digest in seen:
            outcome.skipped.append(item.name)
            if digest in known:
                outcome.existing.append(known[digest])
            continue
        kind = sniff(item.data)
        if is_author_data(item.name, kind) and unit is None:
            outcome.problems.append(f"{item.name}：自评数据（YAML）请在“作者”页面上传，未导入")
            continue
        seen.add(digest)
        path = keep(store.files, stored_name(digest, kind, item.name), item.data)
        tasks.append(_Task(item.name, item.folders, len(item.data), kind, digest, str(path)))
    if on_total:
        on_total(len(tasks))
    from jixiao.review.batch import worker_count

    results = _analyses([(t.path, t.name, t.kind) for t in tasks], worker_count(jobs, len(tasks)))
    pairs = iter(zip(tasks, results, strict=True))
    units: dict[tuple[str, str | None], int] = {}
    while True:
        batch = list(itertools.islice(pairs, BATCH))
        if not batch:
            break
        with store.session() as s:
            places = [_placement(t, r, unit_from, unit, year, parent) for t, r in batch]
            # Units first, while no document is pending: then the batch's rows go in one flush, which
            # SQLAlchemy sends as a few multi-row INSERTs instead of one flush per document.
            for key, _ in places:
                if key is not None and key not in units:
                    units[key] = store.unit(s, *key).id
            docs = [
                _new_document(s, t, r, units.get(key) if key else None, when, user_id)
                for (t, r), (key, when) in zip(batch, places, strict=True)
            ]
            s.flush()
        for doc, (task, result) in zip(docs, batch, strict=True):
            outcome.imported.append(doc.id)
            if not result.readable:
                outcome.unreadable.append(task.name)
        if progress:
            progress(len(batch))
    return outcome


def _placement(
    task: _Task,
    result: Analysis,
    unit_from: str,
    unit: str | None,
    year: int | None,
    default_parent: str | None,
) -> tuple[tuple[str, str | None] | None, int | None]:
    """((unit, 主管部门) or None, year) of a document: as given, else from its title or where it sat."""
    name, parent, path_year = unit_from_path(task.name, task.folders)
    if unit is None and unit_from == "text" and result.unit:
        name = result.unit
    if unit is not None:
        name, parent = unit, None
    if year is None:
        year = (result.year or path_year) if unit_from == "text" else (path_year or result.year)
    return ((name, parent or default_parent) if name else None), year


def _new_document(
    s: Session, task: _Task, result: Analysis, unit_id: int | None, year: int | None, user_id: int | None
) -> schema.Document:
    doc = schema.Document(
        sha256=task.sha256,
        filename=task.name[-500:],
        stored_name=Path(task.path).name,
        media_type=task.kind,
        size=task.size,
        year=year,
        unit_id=unit_id,
        uploaded_by=user_id,
    )
    s.add(doc)
    write_analysis(s, doc, result)
    return doc


def import_paths(store: Store, paths: list[Path], **options: Any) -> Outcome:
    return import_files(store, gather(paths), **options)


def recheck(store: Store, *, jobs: int = 1, progress: Callable[[int], Any] | None = None) -> int:
    """Check every stored report again (after an upgrade or a rule change); decisions on findings that
    still stand are kept. Returns the number of documents checked."""
    with store.session() as s:
        rows = s.execute(
            select(
                schema.Document.id,
                schema.Document.stored_name,
                schema.Document.filename,
                schema.Document.media_type,
            )
        ).all()
    from jixiao.review.batch import worker_count

    tasks = [(str(store.path_of(r.stored_name)), r.filename, r.media_type) for r in rows]
    for row, result in zip(rows, _analyses(tasks, worker_count(jobs, len(tasks))), strict=True):
        with store.session() as s:
            doc = s.get(schema.Document, row.id)
            if doc is not None:
                write_analysis(s, doc, result)
        if progress:
            progress(1)
    return len(rows)
