"""Test-wide settings: xlwings runs our functions and scripts as xlwings Server would."""

from __future__ import annotations

import os

# xlwings picks its runtime when it is imported: these make `xlwings.server` available on Linux
# (non-commercial licence key, as documented for tests and evaluation), before any test module
# imports xlwings.
os.environ.setdefault("XLWINGS_ON_SERVER", "true")
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
