"""Shared fixtures: the real samples in ../shared (skipped when absent), real Vietnamese text, oracles."""

from __future__ import annotations

import functools
import gettext
import glob
import os
import shutil
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Property tests: `make test` runs each on the same examples every time (derandomized: CI cannot fail on a
# lucky draw, and a failure reproduces); `make fuzz` draws fresh random examples, VNCONV_FUZZ times as many.
FUZZ = int(os.environ.get("VNCONV_FUZZ") or 0)
# Timing-based checks are off: the CI machine is shared and noisy, and a slow draw is not a wrong result.
settings.register_profile(
    "vnconv",
    derandomize=not FUZZ,
    database=None,
    print_blob=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("vnconv")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    from hypothesis import is_hypothesis_test

    for item in items:
        if is_hypothesis_test(getattr(item, "function", None)):
            item.add_marker(pytest.mark.property)


def examples(n: int) -> int:
    """``max_examples`` of a property test: ``n``, or ``n`` × VNCONV_FUZZ under ``make fuzz``."""
    return n * FUZZ if FUZZ else n

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("VNCONV_SHARED", ROOT.parent / "shared"))
SAMPLES = SHARED / "samples"
REAL = SAMPLES / "real"
REFERENCE = SHARED / "reference"
LOCALE = Path("/usr/share/locale")


def need_shared(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is absent (the shared samples/reference are not mounted)")
    return path


def need_tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        pytest.skip(f"{name} is not installed (make test installs it when run as root)")
    return found


@functools.cache
def catalog_strings(lang: str = "vi") -> tuple[str, ...]:
    """Every translated string of the gettext catalogs of ``lang`` (NFC), in a stable order."""
    out: list[str] = []
    for path in sorted(glob.glob(str(LOCALE / lang / "LC_MESSAGES" / "*.mo"))):
        try:
            with open(path, "rb") as fh:
                catalog = gettext.GNUTranslations(fh)._catalog  # type: ignore[attr-defined]
        except Exception:
            continue
        for key, value in sorted(catalog.items(), key=lambda kv: str(kv[0])):
            if key == "" or not isinstance(value, str) or not value.strip():
                continue
            out.append(unicodedata.normalize("NFC", value))
    return tuple(out)


@pytest.fixture(scope="session")
def vi_strings() -> tuple[str, ...]:
    strings = catalog_strings("vi")
    if len(strings) < 1000:
        pytest.skip("the Vietnamese gettext catalogs (/usr/share/locale/vi) are not installed")
    return strings


@pytest.fixture(scope="session")
def vi_lines(vi_strings: tuple[str, ...]) -> list[str]:
    """Single-line Vietnamese strings that contain at least one Vietnamese letter."""
    from vnconv.language.letters import LETTERS

    lines = []
    for s in vi_strings:
        for line in s.splitlines():
            if line.strip() and any(c in LETTERS for c in line):
                lines.append(line)
    return lines
