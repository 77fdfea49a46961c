"""SQLAlchemy 2.0 tables, queries, the unit of work and the Alembic migrations."""
