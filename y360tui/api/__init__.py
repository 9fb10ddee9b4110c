"""Typed async client for the Yandex 360 for Business APIs (imports nothing from Textual).

Start with ``Y360Client``; its sub-clients (``directory``, ``security``, ``audit``,
``disk``, ``service_apps``, ``tracker``) return models from ``y360tui.api.models``
and ``Pager`` objects for lists. Errors are in ``y360tui.api.errors``.
"""

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
from .models import *  # noqa: F403 - the models are part of the public API
from .models import __all__ as _models_all
from .paging import NumberedPager, Page, Pager
from .secret import Secret
from .security import SecurityApi
from .service_apps import ServiceAppsApi
from .tracker import TrackerApi

__all__ = [
    *_models_all,
    "ApiError",
    "AuditApi",
    "BadRequest",
    "Conflict",
    "DecodeError",
    "DirectoryApi",
    "DiskApi",
    "Forbidden",
    "NotFound",
    "NumberedPager",
    "Page",
    "Pager",
    "RateLimited",
    "RetryPolicy",
    "Secret",
    "SecurityApi",
    "ServerError",
    "ServiceAppsApi",
    "TrackerApi",
    "TransportError",
    "Unauthorized",
    "Y360Client",
    "Y360Error",
    "bulk_decode",
]
