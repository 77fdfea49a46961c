"""FarLab's business rules and services: no Slack, no HTTP, no SQL dialect."""
