"""Report writers: compose a ReportDoc once, then render it (Markdown, HTML, JSON, docx, xlsx)."""
