"""Zip archives (an .xlsx or a .docx is one) checked before anything inflates or parses them.

A few kilobytes of deflated repetition can inflate to gigabytes of XML, and a parser handed
that ties a process up for as long. :func:`archive_problem` reads only the zip's directory
(part count, required parts, declared sizes, compression ratios); :func:`inflation_problem`
then decompresses every part in chunks and counts what really comes out, because a directory
may lie. Callers turn the :class:`ArchiveProblem` into their own message."""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass
from enum import StrEnum
from typing import IO

from django.conf import settings

_CHUNK = 64 * 1024
_ENCRYPTED = 0x1  # general-purpose flag bit 0
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError)


class ArchiveProblem(StrEnum):
    UNREADABLE = "unreadable"  # not a zip, corrupt, or missing a required part
    ENCRYPTED = "encrypted"
    TOO_BIG = "too_big"  # inflates beyond the limit, or at an abnormal ratio


@dataclass(frozen=True)
class ArchiveLimits:
    """What an archive may inflate to (settings ``SOCORG_XLSX_MAX_UNCOMPRESSED_BYTES``,
    ``SOCORG_XLSX_MAX_RATIO``)."""

    max_uncompressed: int = 25 * 1024 * 1024  # all parts together, declared and actual
    max_ratio: int = 100  # inflated / compressed size of one large part
    ratio_floor: int = 1024 * 1024  # parts smaller than this may compress as well as they like
    max_members: int = 1000

    @classmethod
    def configured(cls) -> ArchiveLimits:
        """The installation's limits (settings)."""
        return cls(
            max_uncompressed=settings.SOCORG_XLSX_MAX_UNCOMPRESSED_BYTES,
            max_ratio=settings.SOCORG_XLSX_MAX_RATIO,
        )

    @property
    def max_megabytes(self) -> float:
        return round(self.max_uncompressed / (1024 * 1024), 1)


def archive_problem(
    data: bytes | IO[bytes], limits: ArchiveLimits, *, required: frozenset[str] = frozenset()
) -> ArchiveProblem | None:
    """The zip's directory: the ``required`` parts present, at most ``max_members`` parts,
    none encrypted, declared sizes within ``max_uncompressed`` and no large part inflating
    more than ``max_ratio`` times. Decompresses nothing."""
    try:
        with zipfile.ZipFile(io.BytesIO(data) if isinstance(data, bytes) else data) as archive:
            members = archive.infolist()
    except _ZIP_ERRORS:
        return ArchiveProblem.UNREADABLE
    if len(members) > limits.max_members or not required <= {m.filename for m in members}:
        return ArchiveProblem.UNREADABLE
    if any(m.flag_bits & _ENCRYPTED for m in members):
        return ArchiveProblem.ENCRYPTED
    declared = sum(m.file_size for m in members)
    if declared > limits.max_uncompressed or any(_inflates(m, limits) for m in members):
        return ArchiveProblem.TOO_BIG
    return None


def _inflates(member: zipfile.ZipInfo, limits: ArchiveLimits) -> bool:
    if member.file_size <= limits.ratio_floor:
        return False
    return member.file_size > limits.max_ratio * max(member.compress_size, 1)


def inflation_problem(data: bytes, limits: ArchiveLimits) -> ArchiveProblem | None:
    """Decompress every part in chunks, counting the bytes that really come out, and stop as
    soon as they pass ``max_uncompressed``; corrupt parts (bad CRC, broken deflate stream, an
    unknown compression method) are unreadable."""
    produced = 0
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for member in archive.infolist():
                with archive.open(member) as part:
                    while chunk := part.read(_CHUNK):
                        produced += len(chunk)
                        if produced > limits.max_uncompressed:
                            return ArchiveProblem.TOO_BIG
    except (*_ZIP_ERRORS, zlib.error, NotImplementedError, RuntimeError):
        return ArchiveProblem.UNREADABLE
    return None
