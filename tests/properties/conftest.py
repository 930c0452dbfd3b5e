"""Property tests explore new inputs on every local run; under CI they replay one fixed
sequence, so a submission is judged on the same examples each time."""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
