"""What every PDF the system issues shares: the CJK font (Noto Serif CJK SC from the Debian
package fonts-noto-cjk, found in ``SOCORG_FONT_DIRS``) and dates written the Chinese way."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

FONT_FILES = {"": "NotoSerifCJK-Regular.ttc", "B": "NotoSerifCJK-Bold.ttc"}
FONT_FACE_SC = 2  # the Simplified Chinese face of the collection
FONT_FAMILY = "serif-sc"


def font_path(file_name: str) -> Path:
    """The font file in the first of ``SOCORG_FONT_DIRS`` that has it; ImproperlyConfigured
    naming the Debian package when none does."""
    dirs = [Path(d) for d in settings.SOCORG_FONT_DIRS]
    for directory in dirs:
        if (directory / file_name).is_file():
            return directory / file_name
    raise ImproperlyConfigured(
        f"Font {file_name} not found in SOCORG_FONT_DIRS "
        f"({', '.join(map(str, dirs))}); install the Debian package fonts-noto-cjk "
        "or point SOCORG_FONT_DIRS at a directory holding it."
    )


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"
