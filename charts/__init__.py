"""Charts: PNG pictures of usage results, shared by the Slack app and the REST API.

Presentation only: it reads the frozen results of ``domain.insight_results`` and nothing
else of FarLab. Drawn with matplotlib's object API on the Agg canvas (no pyplot).

matplotlib writes a font cache into its config directory when first imported. Where that
directory cannot be written (a read-only home, as for a container's system user) it would
make a new temporary one in every process and rebuild the cache each time, with a warning.
So, before any chart module imports matplotlib, an unset ``MPLCONFIGDIR`` whose default home
is not writable is pointed at one stable directory under the system's temporary directory.
This is the one place outside the composition root that touches the environment: it is
matplotlib's own setting, read at its import, which no FarLab setting could reach in time.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def _matplotlib_home_is_writable() -> bool:
    """Whether matplotlib's default config and cache directories can be made (or are)."""
    home = Path.home()
    config = Path(os.environ.get("XDG_CONFIG_HOME") or home / ".config") / "matplotlib"
    cache = Path(os.environ.get("XDG_CACHE_HOME") or home / ".cache") / "matplotlib"
    try:
        for directory in (config, cache):
            directory.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return all(os.access(directory, os.W_OK) for directory in (config, cache))


if "MPLCONFIGDIR" not in os.environ and not _matplotlib_home_is_writable():
    _fallback = Path(tempfile.gettempdir()) / f"farlab-matplotlib-{os.getuid()}"
    _fallback.mkdir(mode=0o700, exist_ok=True)
    os.environ["MPLCONFIGDIR"] = str(_fallback)
