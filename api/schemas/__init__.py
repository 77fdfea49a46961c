"""Request bodies and responses of the REST API (pydantic models)."""
