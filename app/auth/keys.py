"""The server's facilitator key: set by TTX_FACILITATOR_KEY, or generated once per data dir."""

from __future__ import annotations

import os
import time

from app.auth.tokens import new_token
from app.config import Settings

KEY_FILE = "facilitator.key"


def facilitator_key(settings: Settings) -> str:
    """The configured key, else the one kept in the data directory (made on first start).

    Several workers may start at once: the file is created exclusively, and the losers read it.
    """
    if settings.facilitator_key:
        return settings.facilitator_key
    path = settings.data_dir / KEY_FILE
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # owner-only
    except FileExistsError:
        for _ in range(50):
            key = path.read_text().strip()
            if key:
                return key
            time.sleep(0.1)
        raise RuntimeError(f"{path} is empty; delete it or set TTX_FACILITATOR_KEY") from None
    key = new_token()
    with os.fdopen(fd, "w") as handle:
        handle.write(key + "\n")
    return key
