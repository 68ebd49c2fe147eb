"""jixiao 绩效 — budget performance self-evaluation: author reports, review reports."""

__version__ = "0.1.0.dev0"
