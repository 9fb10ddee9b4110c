"""Groups: name, type, members count, mailing-list address, description."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual.binding import Binding

from ...data.directory import G_DESCRIPTION, G_EMAIL, G_ID, G_MEMBERS, G_NAME, G_TYPE, GroupRow
from ...data.fields import group_fields
from ...data.paged import PagedList
from ...data.query import Field
from ..forms.actions import GROUP_ACTIONS, GroupEditActions
from ..widgets.lazy_table import Column
from .list_view import ListScreen


def _count(row: GroupRow) -> int:
    return int(row[G_MEMBERS] or 0)


class GroupsScreen(GroupEditActions, ListScreen):
    """The organisation's groups (system groups included: their type says so)."""

    TITLE = "Groups"
    DETAIL_KIND = "group"
    # At 80 columns the footer has room for two edit keys next to "? Help" and "q Quit":
    # "Add member" stays in the help screen and the palette.
    BINDINGS = [Binding(GROUP_ACTIONS["add_member"][0], "add_member",
                        GROUP_ACTIONS["add_member"][1], show=False)]
    COLUMNS = [
        Column("Name", 24, priority=0, flex=True),
        Column("Type", 18, priority=1),
        Column("Members", 7, priority=0, align_right=True, sort_key=_count),
        Column("Email", 24, priority=2, flex=True),
        Column("Description", 30, priority=3, flex=True),
    ]

    def fields(self) -> list[Field]:
        """Every group field (``data.fields.group_fields``)."""
        return group_fields()

    def loading_elsewhere(self) -> bool:
        """The app loads the whole directory in the background."""
        return self.app.directory.syncing  # type: ignore[attr-defined]

    def make_list(self) -> PagedList[Any]:
        """The session's shared groups list (the palette searches it too)."""
        return self.app.directory.groups  # type: ignore[attr-defined]

    def cells(self, row: GroupRow) -> Sequence[str]:
        """The row's columns."""
        return (row[G_NAME], row[G_TYPE], row[G_MEMBERS], row[G_EMAIL], row[G_DESCRIPTION])

    def detail_target(self, row: GroupRow) -> tuple[str, str]:
        """Open the group by id, labelled by name."""
        return row[G_ID], row[G_NAME]
