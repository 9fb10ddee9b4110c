"""What every sub-client shares: the parent client, wire-body building, argument checks."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel
from pydantic.alias_generators import to_camel

if TYPE_CHECKING:
    from .client import Y360Client


class SubClient:
    """Base of the per-family sub-clients; ``host`` is the key of the host they talk to.

    ``family`` (a key of ``client.FAMILY_HOSTS``) lets the client's ``family_urls`` send this
    family to a host of its own; without it, or when not set, ``host`` is used."""

    host = "api360"
    family: str | None = None

    def __init__(self, client: Y360Client) -> None:
        self._client = client

    @property
    def org_id(self) -> int:
        """The organization the parent client targets."""
        return self._client.org_id

    async def _call(self, method: str, path: str, model: Any, **kwargs: Any) -> Any:
        return await self._client.call(self._host_key(), method, path, model, **kwargs)

    def _host_key(self) -> str:
        family = self.family
        return family if family and family in self._client.family_urls else self.host

    def __repr__(self) -> str:
        return f"<{type(self).__name__} org_id={self.org_id}>"


def camel_body(**fields: Any) -> dict[str, Any]:
    """A camelCase JSON body from snake_case keyword arguments, leaving out the None ones."""
    return {to_camel(k): wire(v) for k, v in fields.items() if v is not None}


def wire(value: Any) -> Any:
    """A value as JSON: models by their wire aliases, lists element-wise."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_none=True)
    if isinstance(value, (list, tuple)):
        return [wire(v) for v in value]
    return value


def check_int_range(name: str, value: Any, low: int, high: int | None = None) -> int:
    """``value`` as an int within ``[low, high]``, else a ValueError naming ``name``."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"{name} must be an int, got {type(value).__name__}")
    if value < low or (high is not None and value > high):
        bound = f"between {low} and {high}" if high is not None else f">= {low}"
        raise ValueError(f"{name} must be {bound}, got {value}")
    return value


def check_str(name: str, value: Any, *, empty: bool = False) -> str:
    """``value`` as a str (non-empty unless ``empty``), else a ValueError."""
    if not isinstance(value, str):
        raise ValueError(f"{name} must be a str, got {type(value).__name__}")
    if not empty and not value.strip():
        raise ValueError(f"{name} must not be empty")
    return value


def user_id(value: Any, name: str = "user_id") -> str:
    """A user id: a non-empty string of digits (ints are accepted and converted)."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    value = check_str(name, value)
    if not value.isdigit():
        raise ValueError(f"{name} must be a numeric user id, got {value!r}")
    return value


def id_list(name: str, values: Iterable[Any] | None) -> list[str] | None:
    """A list of user ids, or None; a single string is refused (a classic slip)."""
    if values is None:
        return None
    if isinstance(values, (str, bytes)):
        raise ValueError(f"{name} must be a list of user ids, not a single string")
    return [user_id(v, name) for v in values]


def timestamp(name: str, value: datetime | str | None) -> datetime | None:
    """A timezone-aware datetime from a datetime or ISO string; naive means UTC."""
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(f"{name} must be an ISO 8601 date-time, got {value!r}") from None
    if not isinstance(value, datetime):
        raise ValueError(f"{name} must be a datetime, got {type(value).__name__}")
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def iso(value: datetime | None) -> str | None:
    """RFC 3339 text with a ``Z`` for UTC, as the APIs' examples write it."""
    if value is None:
        return None
    return value.isoformat().replace("+00:00", "Z")


def check_window(start: datetime | None, end: datetime | None, start_name: str, end_name: str
                 ) -> None:
    """Refuse a time window that ends before it starts."""
    if start is not None and end is not None and end < start:
        raise ValueError(f"{end_name} ({iso(end)}) is before {start_name} ({iso(start)})")


def exclusive(**options: Any) -> None:
    """Refuse more than one of the given options being set."""
    given = [name for name, value in options.items() if value is not None]
    if len(given) > 1:
        raise ValueError(f"{' and '.join(given)} cannot be used together")
