"""The offline console's tests run the real bot, as the bot tests do."""

from tests.bot.conftest import lab  # noqa: F401 - the fixture, shared
