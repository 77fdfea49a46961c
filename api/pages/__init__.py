"""Server-rendered pages that complete the signed links FarLab sends in Slack DMs."""

from api.pages.routes import add_link_pages

__all__ = ["add_link_pages"]
