"""FarLab's Slack app: listeners, commands, blocks (``python -m bot`` launches ``farlab.cli``)."""
