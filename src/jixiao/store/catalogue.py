"""The rule catalogue's version, stored with every finding: the package version and a hash of the rule
files, so a re-check after an upgrade (or an edited rule) is told apart from the run before."""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import metadata, resources


@cache
def catalogue_version() -> str:
    digest = hashlib.sha256()
    folder = resources.files("jixiao.core.rules")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            digest.update(entry.name.encode() + b"\0" + entry.read_bytes())
    try:
        version = metadata.version("jixiao")
    except metadata.PackageNotFoundError:
        version = "0"
    return f"{version}+{digest.hexdigest()[:10]}"
