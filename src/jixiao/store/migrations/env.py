"""Alembic environment: run by ``jixiao.store.migrate.upgrade`` with the connection to migrate."""

from alembic import context

from jixiao.store.schema import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
