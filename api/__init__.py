"""FarLab's REST API (FastAPI): ``create_api(ctx, ...)`` builds it."""

from api.app import create_api

__all__ = ["create_api"]
