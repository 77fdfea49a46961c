"""Bolt listeners, registered by type."""
