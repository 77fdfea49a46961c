"""FarLab's time entrypoint: APScheduler jobs for alerts (scan, delivery, reminders, digest)."""
