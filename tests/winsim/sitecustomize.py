"""Loaded by every Python started with this folder on PYTHONPATH (tests/windows.py puts it there): when
VNCONV_SIMULATE_WINDOWS is set, the POSIX-only functions Windows lacks are taken away, so a whole vnconv
subprocess (and the worker processes it spawns) runs as it would there."""

import os

if os.environ.get("VNCONV_SIMULATE_WINDOWS"):
    import windows_missing  # tests/winsim/windows_missing.py

    windows_missing.remove()
