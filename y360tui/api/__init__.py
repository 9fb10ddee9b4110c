"""Typed async client for the Yandex 360 for Business APIs (imports nothing from Textual).

Start with ``Y360Client``; its sub-clients (``directory``, ``security``, ``audit``,
``disk``, ``service_apps``, ``tracker``) return models from ``y360tui.api.models``
and ``Pager`` objects for lists. Errors are in ``y360tui.api.errors``.

Every name here is imported on first use (PEP 562): ``from y360tui.api import Y360Client``
does not build the models of API families the program never calls.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._lazy import lazy_exports
from .models import _EXPORTS as _MODEL_EXPORTS

_EXPORTS = {
    ".audit": ("AuditApi",),
    ".client": ("RetryPolicy", "Y360Client"),
    ".directory": ("DirectoryApi",),
    ".disk": ("DiskApi",),
    ".errors": (
        "ApiError",
        "BadRequest",
        "Conflict",
        "DecodeError",
        "Forbidden",
        "NotFound",
        "RateLimited",
        "ServerError",
        "TransportError",
        "Unauthorized",
        "Y360Error",
    ),
    ".memory": ("bulk_decode",),
    ".paging": ("NumberedPager", "Page", "Pager"),
    ".secret": ("Secret",),
    ".security": ("SecurityApi",),
    ".service_apps": ("ServiceAppsApi",),
    ".tracker": ("TrackerApi",),
    **{f".models{module}": names for module, names in _MODEL_EXPORTS.items()},
}
__all__, __getattr__, __dir__ = lazy_exports(__name__, globals(), _EXPORTS)

# ruff: noqa: F401 - the imports below exist for type checkers only
if TYPE_CHECKING:  # what type checkers and IDEs see; a test keeps it equal to _EXPORTS
    from .audit import AuditApi
    from .client import RetryPolicy, Y360Client
    from .directory import DirectoryApi
    from .disk import DiskApi
    from .errors import (
        ApiError,
        BadRequest,
        Conflict,
        DecodeError,
        Forbidden,
        NotFound,
        RateLimited,
        ServerError,
        TransportError,
        Unauthorized,
        Y360Error,
    )
    from .memory import bulk_decode
    from .models import *  # noqa: F403
    from .paging import NumberedPager, Page, Pager
    from .secret import Secret
    from .security import SecurityApi
    from .service_apps import ServiceAppsApi
    from .tracker import TrackerApi
