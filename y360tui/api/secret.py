"""``Secret``: a string that never shows itself in a repr, str, log record or traceback."""

from __future__ import annotations

from typing import Any

from pydantic_core import core_schema


class Secret:
    """Wraps a credential; ``reveal()`` is the only way to read it back.

    ``repr()`` and ``str()`` both give ``'***'``, so a Secret that ends up in a log
    message, an f-string or a pydantic model's repr leaks nothing. Usable as a
    pydantic field type (validates from a plain string, serialises to ``'***'``).
    """

    __slots__ = ("_value",)

    def __init__(self, value: str | Secret) -> None:
        if isinstance(value, Secret):
            value = value.reveal()
        if not isinstance(value, str):
            raise TypeError("Secret wraps a str")
        self._value = value

    def reveal(self) -> str:
        """The wrapped string. Call it only where the value goes on the wire."""
        return self._value

    def __repr__(self) -> str:
        return "'***'"

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        return "***"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __bool__(self) -> bool:
        return bool(self._value)

    def __reduce__(self) -> Any:
        # Pickling would copy the value out of process memory: refuse it.
        raise TypeError("Secret cannot be pickled")

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> core_schema.CoreSchema:
        from_str = core_schema.no_info_plain_validator_function(cls._validate)
        return core_schema.json_or_python_schema(
            json_schema=core_schema.chain_schema([core_schema.str_schema(), from_str]),
            python_schema=from_str,
            serialization=core_schema.plain_serializer_function_ser_schema(lambda s: "***"),
        )

    @classmethod
    def _validate(cls, value: Any) -> Secret:
        if isinstance(value, Secret):
            return value
        if isinstance(value, str):
            return cls(value)
        raise ValueError("expected a string")
