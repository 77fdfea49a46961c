"""``python -m scheduler [run-once [job]]``: launches the scheduler's command line, which
the composition root (``farlab.scheduler_cli``) wires."""

from farlab.scheduler_cli import main

if __name__ == "__main__":
    raise SystemExit(main())
