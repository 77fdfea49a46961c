"""FarLab's composition root: the settings, and the one place that builds the database,
the domain context, the Slack client, the scheduler and the web app from them.

``bot`` (Slack), ``api`` (HTTP) and ``scheduler`` (time) are the entrypoints it wires
together; ``python -m bot`` and ``python -m scheduler`` launch its command lines.
"""
