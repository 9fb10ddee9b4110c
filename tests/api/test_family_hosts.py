"""Each API family's host can be set on its own (the docs move methods from api360 to cloud-api)."""

from __future__ import annotations

import httpx
import pytest

from y360tui.api._base import SubClient
from y360tui.api.client import Y360Client
from y360tui.data.config import ConfigError, resolve


class _MailboxesProbe(SubClient):
    family = "mailboxes"

    async def ping(self) -> object:
        return await self._call("GET", "/ping", None)


def _client(**kwargs: object) -> tuple[Y360Client, list[str]]:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(200, json={})

    return Y360Client("t", 1, transport=httpx.MockTransport(handler), **kwargs), seen


async def test_a_family_without_its_own_url_uses_its_default_host() -> None:
    client, seen = _client()
    await _MailboxesProbe(client).ping()
    assert seen == ["https://api360.yandex.net/ping"]
    await client.aclose()


async def test_a_family_url_sends_that_family_only_to_its_host() -> None:
    client, seen = _client(family_urls={"mailboxes": "https://cloud-api.yandex.net"})
    await _MailboxesProbe(client).ping()
    assert seen == ["https://cloud-api.yandex.net/ping"]
    derived = client.with_token("other")  # a derived client keeps the family's host
    assert derived.urls["mailboxes"] == "https://cloud-api.yandex.net"
    await client.aclose()


def test_an_unknown_family_is_refused() -> None:
    with pytest.raises(ValueError, match="mailbox"):
        Y360Client("t", 1, family_urls={"mailbox": "https://x"})


def test_a_profile_sets_a_family_url(tmp_path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[profile.p]\ntoken = "t"\norg_id = 5\n'
                    'domains_url = "https://cloud-api.yandex.net"\n')
    creds = resolve("p", env={}, path=path)
    assert dict(creds.family_urls) == {"domains": "https://cloud-api.yandex.net"}
    path.write_text('[profile.p]\ntoken = "t"\norg_id = 5\ndomains_url = "ftp://x"\n')
    with pytest.raises(ConfigError, match="domains_url"):
        resolve("p", env={}, path=path)
