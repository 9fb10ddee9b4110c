"""Typed async client for the Yandex 360 for Business APIs (no Textual imports)."""

from .models import *  # noqa: F403 - the models are part of the public API
from .models import __all__ as _models_all
from .secret import Secret

__all__ = [*_models_all, "Secret"]
