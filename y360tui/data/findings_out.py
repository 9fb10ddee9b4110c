"""The Findings out of the app: computed headless (``y360tui export findings``) and as plain
records (export, copy, raw JSON). Split from ``data.findings``, which computes them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from ..api.models import Department, ServiceApplication
from .directory import G_ID, G_NAME, U_ID, U_LOGIN, U_NAME
from .findings import GROUP, USER, Finding, FindingsRun, Setting
from .links import Linker, SharedFile

if TYPE_CHECKING:
    from ..api.client import Y360Client
    from .directory import DirectoryCache


async def compute_findings(client: Y360Client, directory: DirectoryCache | None = None,
                           linker: Linker | None = None,
                           on_change: Callable[[], None] | None = None) -> list[Finding]:
    """Every finding of the organisation ``client`` reaches, in display order (a
    ``DirectoryCache`` and ``Linker`` are made when not given)."""
    from .directory import DirectoryCache

    own = directory is None
    directory = directory or DirectoryCache(client)
    linker = linker or Linker(client, directory)
    try:
        return await FindingsRun(client, directory, linker, on_change=on_change).run()
    finally:
        if own:
            directory.close()


def object_label(kind: str, obj: Any) -> tuple[str, str]:
    """``(id, label)`` of one object of a finding of ``kind``."""
    if kind == USER:
        return obj[U_ID], f"{obj[U_LOGIN]} — {obj[U_NAME]}" if obj[U_NAME] else obj[U_LOGIN]
    if kind == GROUP:
        return obj[G_ID], obj[G_NAME]
    if isinstance(obj, Department):
        return str(obj.id), obj.name
    if isinstance(obj, SharedFile):
        return obj.ident, f"{obj.owner.nickname}: {obj.resource.path.removeprefix('disk:')}"
    if isinstance(obj, ServiceApplication):
        return obj.id, ", ".join(obj.scopes)
    if isinstance(obj, Setting):
        return obj.key, f"{obj.title}: {obj.value}"
    label = getattr(obj, "finding_label", None)  # other API families' objects (domains…)
    if callable(label):
        return label()
    return str(obj), str(obj)


def findings_records(findings: Iterable[Finding]) -> list[dict[str, Any]]:
    """Plain records for export, one per finding (see the module docstring)."""
    out = []
    for f in findings:
        objects = [dict(zip(("id", "label"), object_label(f.kind, o), strict=True))
                   for o in f.objects]
        out.append({"id": f.id, "severity": f.severity, "title": f.title, "count": f.count,
                    "state": f.state, "detail": f.detail, "kind": f.kind, "objects": objects})
    return out
