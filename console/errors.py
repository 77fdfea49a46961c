"""The one error of the console: a step that cannot be done (a script stops on it)."""


class StepFailed(Exception):
    """What the person asked for cannot be done, e.g. there is no button 7 to press."""
