"""``python -m bot <command>``: launches the command line of the composition root."""

from farlab.cli import main

if __name__ == "__main__":
    raise SystemExit(main(prog="python -m bot"))
