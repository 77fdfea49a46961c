"""What FarLab tells its operators: the request scope every log line carries
(``log_scope``), Prometheus metrics (``metrics``), and the Slack client that counts its
Web API calls (``slack_calls``). Entrypoints may use it; the domain does not (it reports
through ``domain.observation``, a protocol that knows nothing of Prometheus)."""
