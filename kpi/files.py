"""Writing an output file whole or not at all."""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

_REASONS = {
    errno.ENOSPC: "de schijf is vol",
    errno.EDQUOT: "het schijfquotum is op",
    errno.EROFS: "de schijf is alleen-lezen",
    errno.EACCES: "er mag in die map niet geschreven worden",
    errno.EPERM: "er mag in die map niet geschreven worden",
    errno.ENOENT: "de map bestaat niet",
    errno.ENOTDIR: "de map bestaat niet",
    errno.EISDIR: "dat is een map",
}


def write_whole(path: Path | str, data: bytes) -> None:
    """Write `data` to a temporary file beside `path` and rename it into place, so a full disk or a
    crash never leaves a partial file (nor spoils an existing one)."""
    target = Path(path)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_error_reason(exc: OSError) -> str:
    """Why a file could not be written, in Dutch."""
    return _REASONS.get(exc.errno, exc.strerror or str(exc))
