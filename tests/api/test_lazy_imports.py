"""The api package imports a model family only when it is used (start-up time), while every
public name still resolves and type checkers see the same names."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import y360tui.api
import y360tui.api.models
from y360tui.api import Y360Client

API = Path(y360tui.api.__file__).parent


def type_checking_names(init: Path) -> set[str]:
    """Names the ``if TYPE_CHECKING:`` block of a package ``__init__`` imports."""
    tree = ast.parse(init.read_text())
    block = next(node for node in tree.body if isinstance(node, ast.If)
                 and getattr(node.test, "id", "") == "TYPE_CHECKING")
    return {alias.name for node in block.body if isinstance(node, ast.ImportFrom)
            for alias in node.names if alias.name != "*"}


@pytest.mark.parametrize("package", [y360tui.api, y360tui.api.models])
def test_every_public_name_resolves(package) -> None:
    for name in package.__all__:
        assert getattr(package, name) is not None, name
    assert set(package.__all__) <= set(dir(package))


def test_type_checkers_see_the_lazy_names() -> None:
    models = set(y360tui.api.models.__all__)
    assert type_checking_names(API / "models" / "__init__.py") == models
    assert type_checking_names(API / "__init__.py") | models == set(y360tui.api.__all__)


def test_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="NoSuchModel"):
        y360tui.api.NoSuchModel  # noqa: B018
    with pytest.raises(ImportError):
        from y360tui.api.models import NoSuchModel  # noqa: F401


def test_listing_users_builds_no_other_family() -> None:
    code = (
        "import sys\n"
        "from y360tui.api import Y360Client\n"
        "from y360tui.api.models import User\n"
        "client = Y360Client('t', 1, base_url='http://127.0.0.1:9')\n"
        "client.directory.users(per_page=10)\n"
        "print(sorted(m for m in sys.modules if m.startswith('y360tui.api')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    loaded = set(eval(out))
    assert "y360tui.api.models.directory" in loaded
    for family in ("audit", "disk", "tracker", "security", "service_apps"):
        assert f"y360tui.api.models.{family}" not in loaded
        assert f"y360tui.api.{family}" not in loaded


async def test_closed_client_sends_nothing_even_to_an_unused_host() -> None:
    client = Y360Client("t", 1, base_url="http://127.0.0.1:9")
    await client.aclose()
    with pytest.raises(RuntimeError, match="closed"):
        await client.send("tracker", "GET", "/v3/myself")
