"""An index of the Disk records by public key and public URL (``admin_settings_by_key`` and
unpublish by key), so a lookup is a dictionary read rather than a scan of every record of every
user (35,000 published records at 100,000 users: the scan made public-settings the server's
most expensive request).

The index lives in the org's ``__dict__`` (``disk_key_index``) and is built on first use. It is
checked on every hit (the record must still carry the key) and rebuilt once on a miss, so keys
published after it was built (``publish``), records replaced by tests, and unpublished keys are
all answered as the scan answered them; ``remember`` adds a newly published key at once.
"""

from __future__ import annotations

from typing import Any

Record = dict[str, Any]
Index = dict[str, tuple[str, Record]]
SLOT = "disk_key_index"


def build(org: Any) -> Index:
    """Key and URL -> ``(owner uid, record)`` for every published record (first one wins, as
    in the scan)."""
    index: Index = {}
    for uid, records in org.disk.items():
        for record in records:
            for key in (record.get("public_key"), record.get("public_url")):
                if key:
                    index.setdefault(key, (uid, record))
    vars(org)[SLOT] = index
    return index


def _live(key: str, hit: tuple[str, Record] | None) -> bool:
    return hit is not None and key in (hit[1].get("public_key"), hit[1].get("public_url"))


def lookup(org: Any, keys: list[str]) -> tuple[str, Record] | None:
    """``(owner uid, record)`` published under the first of ``keys`` (public keys or URLs,
    e.g. as received and unquoted once more) that names one, or None."""
    index = vars(org).get(SLOT)
    fresh = index is None
    for attempt in range(1 if fresh else 2):
        if fresh or attempt:  # first use; or published since it was built, record replaced
            index = build(org)
        for key in keys:
            hit = index.get(key)
            if _live(key, hit):
                return hit
    return None


def remember(org: Any, uid: str, record: Record) -> None:
    """Index a record just published (no-op before the index exists)."""
    index = vars(org).get(SLOT)
    if index is not None:
        for key in (record.get("public_key"), record.get("public_url")):
            if key:
                index[key] = (uid, record)
