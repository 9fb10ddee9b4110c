"""``bulk_decode()``: keep Python's cyclic garbage collector out of a large download.

Decoding one 1,000-user page creates ~15,000 container objects (models, their ``__dict__``,
lists of contacts and groups). With the collector as is, that triggers dozens of young
collections per page and, as the decoded users pile up, full collections that walk every
user decoded so far: a full 100,000-user sync spent ~75 ms of CPU per page in the
collector against ~20 ms in pydantic. Pausing the collector only while a page is decoded
merely defers that work: the first collection after it scans the same objects.

What works is the CPython idiom for many long-lived objects: no collections during the
bulk load, then ``gc.freeze()``, which moves everything tracked to a permanent generation
later collections skip. Frozen objects are still freed by reference counting when the
caller drops them (the models have no reference cycles); cyclic garbage made during the
block (about 40 small objects per HTTP request, from httpx and asyncio) is frozen too and
stays until ``gc.unfreeze()``. ``collect=True`` frees it first with one collection of the
young generation, at the price of a pass over every new object (~1 s for 100,000 users,
about half the decoding itself). See bench/README.md for the measurements.

It changes process-wide state, so the library never does it behind the caller's back:
the application (or the benchmark) opts in around the calls that load a lot.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def bulk_decode(*, collect: bool = False) -> Iterator[None]:
    """Pause the cyclic GC for the block; on exit ``gc.freeze()`` what it made (after one
    young collection if ``collect``) and turn the collector back on.

    Use it around a bulk load whose results the caller keeps, e.g.::

        with bulk_decode():
            users = await client.directory.users(per_page=1000).fetch_all(concurrency=8)

    Nesting is fine: only the outermost block freezes. If the collector was already off
    (the caller's choice), the block leaves it off and freezes nothing.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            # Only the outermost block (the collector was on) finishes the job.
            if collect:
                gc.collect(0)
            gc.freeze()
            gc.enable()
