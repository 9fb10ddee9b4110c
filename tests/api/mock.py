"""Helpers for tests that script the server with ``httpx.MockTransport``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from y360tui.api import RetryPolicy, Y360Client

TOKEN = "y0_SUPERSECRETTOKEN123"


class Recorder:
    """An async ``sleep`` replacement that records what it was asked to wait."""

    def __init__(self) -> None:
        self.sleeps: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.sleeps.append(seconds)


class Script:
    """A MockTransport handler that answers from a list of responses/exceptions in turn
    (the last one repeats) and keeps every request it saw."""

    def __init__(self, *answers: httpx.Response | Exception | Callable[..., Any]) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers[min(len(self.requests), len(self.answers)) - 1]
        if isinstance(answer, Exception):
            raise answer
        if callable(answer):
            return answer(request)
        return answer

    @property
    def calls(self) -> int:
        return len(self.requests)


def make_client(handler: Callable[..., Any], sleep: Recorder | None = None,
                retry: RetryPolicy | None = None, **kwargs: Any) -> Y360Client:
    """A client for org 42 whose network is ``handler``."""
    return Y360Client(TOKEN, 42, transport=httpx.MockTransport(handler),
                      sleep=sleep or Recorder(), retry=retry, **kwargs)


def api360_error(status: int, message: str, code: int, **headers: str) -> httpx.Response:
    body = {"code": code, "message": message,
            "details": [{"@type": "type.googleapis.com/google.rpc.RequestInfo",
                         "requestId": "r1", "servingData": ""}]}
    return httpx.Response(status, json=body, headers=headers)
