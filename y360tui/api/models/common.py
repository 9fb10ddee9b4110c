"""Base models and the tolerant enum shared by every API family.

Two bases, because the wire differs by host:

- ``ApiModel``: camelCase on the wire (Directory, security, legacy audit logs, Tracker);
- ``SnakeModel``: snake_case on the wire (cloud-api audit events, Disk, OAuth).

Both accept unknown keys (kept in ``model_extra``) and allow construction by
Python (snake_case) field names, so ``User(department_id=1, ...)`` and
``User.model_validate({"departmentId": 1, ...})`` both work.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel


class SafeEnum(str, Enum):
    """A str enum that never rejects a value.

    An unknown value (a new event type the server started sending) becomes a
    pseudo-member created on the fly, so parsing never fails; ``is_known`` tells
    the two apart. Pydantic calls ``_missing_`` through the enum constructor.
    """

    @classmethod
    def _missing_(cls, value: object) -> Any:
        if not isinstance(value, str):
            return None
        member = str.__new__(cls, value)
        member._name_ = value.upper() or "EMPTY"
        member._value_ = value
        # Cache it so the same unknown value maps to the same (identical) pseudo-member.
        cls._value2member_map_[value] = member
        return member

    @property
    def is_known(self) -> bool:
        """True when the value is one declared in the enum (not a pseudo-member)."""
        return type(self).__members__.get(self._name_) is self

    def __str__(self) -> str:
        return self.value


class ApiModel(BaseModel):
    """Base for camelCase wire objects; Python attributes are snake_case."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="allow",
        use_enum_values=False,
        defer_build=True,
    )


class SnakeModel(BaseModel):
    """Base for snake_case wire objects (cloud-api audit events, Disk, OAuth)."""

    model_config = ConfigDict(populate_by_name=True, extra="allow", defer_build=True)
