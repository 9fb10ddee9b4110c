"""Where the explorer's credentials come from: environment, or a profile in a config file.

The file is ``<platformdirs user_config_dir>/y360tui/config.toml``::

    default_profile = "acme"

    [profile.acme]
    token = "y0_AgAAAA…"        # an admin OAuth token
    org_id = 1234567
    base_url = "http://127.0.0.1:8360"   # optional: any server speaking the API
    read_only = true            # optional: disable every edit, as --read-only does
    journal = "~/y360-journal/" # optional: where edits are journaled, as --journal does
                                # (also at the top level; read by data.journal.open_journal)
    mailboxes_url = "https://cloud-api.yandex.net"  # optional: one API family's own host

Resolution (``resolve``): ``--profile NAME`` picks that profile (an error if it is missing);
otherwise ``Y360_TOKEN`` + ``Y360_ORG_ID`` from the environment; otherwise the file's
``default_profile`` (or a profile called ``default``). ``--base-url`` overrides the profile's.
``<family>_url`` keys (families: ``api.client.FAMILY_HOSTS`` — mailboxes, mail_settings,
mail_flow, domains) send one family to its own host, as the docs move methods from api360 to
cloud-api; ``--base-url`` does not override them.

On Python 3.11+ the file is read with ``tomllib``. Python 3.10 has no TOML reader in the standard
library and the project adds no dependency for one, so there a small reader accepts the subset
shown above: ``[profile.NAME]`` tables, ``key = "string"`` / ``key = 123`` / ``true``/``false``
lines, and ``#`` comments. Files written in that subset read the same on every version.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ENV_TOKEN = "Y360_TOKEN"
ENV_ORG = "Y360_ORG_ID"


class ConfigError(Exception):
    """The credentials are missing or unusable; the text says what to set."""


@dataclass(frozen=True)
class Credentials:
    """What the client needs, and where it came from (for the header and messages)."""

    token: str
    org_id: int
    base_url: str | None = None
    source: str = ""
    profile: str = ""
    read_only: bool = False  # the profile's ``read_only = true``: no edits in this session
    family_urls: tuple[tuple[str, str], ...] = ()  # the profile's ``<family>_url`` keys

    def __repr__(self) -> str:  # the token never appears in a repr
        return (f"Credentials(org_id={self.org_id}, base_url={self.base_url!r}, "
                f"source={self.source!r}, profile={self.profile!r}, "
                f"read_only={self.read_only!r})")


def config_path() -> Path:
    """The config file's location (it may not exist)."""
    from platformdirs import user_config_dir

    return Path(user_config_dir("y360tui")) / "config.toml"


def parse_config(text: str) -> dict[str, Any]:
    """The config file's contents as a dict (``tomllib`` where available, see module doc)."""
    if sys.version_info >= (3, 11):
        import tomllib

        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"config file is not valid TOML: {exc}") from None
    return _parse_subset(text)


def _parse_subset(text: str) -> dict[str, Any]:
    data: dict[str, Any] = {}
    table = data
    for number, raw in enumerate(text.splitlines(), 1):
        line = _strip_comment(raw).strip()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            table = data
            for part in line[1:-1].strip().split("."):
                table = table.setdefault(part.strip().strip('"'), {})
            continue
        key, sep, value = line.partition("=")
        if not sep:
            raise ConfigError(f"config line {number}: expected key = value")
        table[key.strip().strip('"')] = _value(value.strip(), number)
    return data


def _strip_comment(line: str) -> str:
    quoted = False
    for i, ch in enumerate(line):
        if ch == '"':
            quoted = not quoted
        elif ch == "#" and not quoted:
            return line[:i]
    return line


def _value(text: str, number: int) -> Any:
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1]
    if text in ("true", "false"):
        return text == "true"
    try:
        return int(text)
    except ValueError:
        raise ConfigError(f"config line {number}: unsupported value {text!r}") from None


def load_config(path: Path | None = None) -> dict[str, Any]:
    """The config file as a dict ({} if there is none)."""
    path = path or config_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}") from None
    return parse_config(text)


def _org_id(value: Any, where: str) -> int:
    try:
        return int(str(value).strip())
    except ValueError:
        raise ConfigError(f"{where}: org id must be a number, got {value!r}") from None


def _from_profile(config: Mapping[str, Any], name: str, path: Path) -> Credentials:
    profile = config.get("profile", {}).get(name)
    if not isinstance(profile, Mapping):
        if not path.exists():
            raise ConfigError(f"profile {name!r} not found: there is no config file {path}")
        known = ", ".join(sorted(config.get("profile", {}))) or "none"
        raise ConfigError(f"profile {name!r} not found in {path} (profiles there: {known})")
    token = str(profile.get("token") or "").strip()
    if not token:
        raise ConfigError(f"profile {name!r} in {path} has no token")
    if "org_id" not in profile:
        raise ConfigError(f"profile {name!r} in {path} has no org_id")
    read_only = profile.get("read_only", False)
    if not isinstance(read_only, bool):
        raise ConfigError(f"profile {name!r} in {path}: read_only must be true or false")
    return Credentials(token, _org_id(profile["org_id"], f"profile {name!r}"),
                       profile.get("base_url") or None, f"profile {name}", name, read_only,
                       _family_urls(profile, name))


def _family_urls(profile: Mapping[str, Any], name: str) -> tuple[tuple[str, str], ...]:
    from ..api.client import FAMILY_HOSTS

    out = []
    for family in FAMILY_HOSTS:
        url = profile.get(f"{family}_url")
        if url is None:
            continue
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            raise ConfigError(f"profile {name!r}: {family}_url must be an http(s) URL")
        out.append((family, url))
    return tuple(out)


def resolve(profile: str | None = None, base_url: str | None = None,
            env: Mapping[str, str] | None = None, path: Path | None = None) -> Credentials:
    """The credentials to use (see module docstring for the order); ConfigError if none."""
    env = os.environ if env is None else env
    path = path or config_path()
    if profile:
        creds = _from_profile(load_config(path), profile, path)
    elif env.get(ENV_TOKEN, "").strip():
        if not env.get(ENV_ORG, "").strip():
            raise ConfigError(f"{ENV_TOKEN} is set but {ENV_ORG} is not: set both")
        creds = Credentials(env[ENV_TOKEN].strip(), _org_id(env[ENV_ORG], ENV_ORG),
                            None, "environment")
    else:
        config = load_config(path)
        name = config.get("default_profile") or (
            "default" if "default" in config.get("profile", {}) else None)
        if not name:
            raise ConfigError(
                f"no token: set {ENV_TOKEN} and {ENV_ORG}, or add a profile to {path}")
        creds = _from_profile(config, str(name), path)
    if base_url:
        creds = Credentials(creds.token, creds.org_id, base_url, creds.source, creds.profile,
                            creds.read_only, creds.family_urls)
    return creds
