"""FarLab's Slack entrypoint and the ``python -m bot`` command line."""
