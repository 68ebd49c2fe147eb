"""Process-wide locks for libraries that are not thread-safe (shared by the paths that use them)."""

from __future__ import annotations

import threading

# PDFium (pypdfium2) may be entered by one thread at a time in a process: the review path's PDF reader
# and the report path's font check both take this lock. ``jixiao check`` reads in processes and never
# waits here; a threaded server (the web app) does, which is the price of a correct read.
PDFIUM = threading.Lock()
