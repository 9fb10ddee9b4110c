"""Start-up without the cyclic garbage collector.

Importing Textual, httpx and pydantic and building the first screen allocate a few hundred
thousand objects that live as long as the process. With the collector on, that triggers
full collections which walk all of them again and again: 40-60 ms of the time to the first
users on screen (bench/ui_bench.py). The command line pauses the collector before the
imports; the app resumes it once its first frame is up, after ``gc.freeze()`` so later
collections skip everything built so far (the CPython idiom for long-lived start-up objects).

Only a pause made here is resumed here: an app built by a test or a library user never
touches the collector.
"""

from __future__ import annotations

import gc

_paused = False


def pause_gc() -> None:
    """Turn the collector off until ``resume_gc`` (no-op if it is already off)."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume_gc() -> None:
    """Freeze what start-up built and turn the collector back on, if ``pause_gc`` paused it."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()
