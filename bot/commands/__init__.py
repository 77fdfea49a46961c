"""``/farlab`` subcommands: parsing and one handler per command."""
