"""The workspace web app (FastAPI + Jinja2 + htmx) and its command-line commands, over jixiao.store."""
