"""Run a test module twice: as it is, and with Windows simulated (no os.fchmod, os.killpg, os.getuid,
os.fork, signal.SIGKILL … in this process and in every vnconv subprocess it starts). No Windows machine
is at hand; this catches every POSIX-only call without a fallback.

Use: ``from windows import platform  # noqa: F401`` in a test module (an autouse, parametrized fixture)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent / "winsim"
sys.path.insert(0, str(HERE))

import windows_missing  # noqa: E402


@pytest.fixture(autouse=True, params=["posix", "windows"])
def platform(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "windows":
        windows_missing.remove(monkeypatch)
        monkeypatch.setenv("VNCONV_SIMULATE_WINDOWS", "1")
        monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")]).rstrip(
            os.pathsep))
    return str(request.param)
