"""Detail screens: every field of one object, and the objects it links to as a list to drill on.

Enter on a row of a list pushes one of these (``OpenDetail`` -> the screen registered for the
row's kind). The left pane shows ``data.details.describe(obj)``; the right pane (below it on a
narrow terminal) lists ``Linker.targets(obj)``: Enter on a link pushes the next detail screen,
or a list view filtered to this object (a user's shared files, mail audit events, audit
events). Esc/Backspace pops back; the screen left behind keeps its highlighted link, so the
cursor is where it was. The breadcrumb is the stack, e.g.
``Groups › Sales › ivan.petrov › Shared files``.

The fields appear as soon as the object arrives; links that need more requests (2FA, the group
graph, a department's members, which need a scan of every user) fill in after, with a loading
line meanwhile. Events and Tracker users have no "get by id" endpoint: their screens are pushed
with the object itself.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path
from typing import Any, ClassVar

from rich.console import Group as RichGroup
from rich.table import Table
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from ...api.errors import NotFound, Unauthorized
from ...api.models import User
from ...api.models.disk import ResourceShort
from ...data.details import Detail, describe, kind_of, title_of
from ...data.edits import RemoveMember
from ...data.edits.base import Outcome, wire
from ...data.links import (
    DEPARTMENT,
    GROUP,
    INFO,
    SHARED_FILE,
    USER,
    VIEW,
    GroupGraph,
    Linker,
    SharedFile,
    Target,
    split_file_ident,
)
from ..dataout import DetailDataOut
from ..forms.actions import (
    DEPARTMENT_ACTIONS,
    GROUP_ACTIONS,
    USER_ACTIONS,
    DepartmentEditActions,
    FileEditActions,
    GroupEditActions,
    UserEditActions,
    refresh_user,
)
from ..forms.flow import start_edit
from ..forms.picker import Choice
from ..registry import DETAIL_TABLE, register_detail
from ..widgets.breadcrumb import Breadcrumb
from .list_view import error_text

STYLES = Path(__file__).parent.parent / "styles"
NARROW = 110  # below this width the links pane goes under the fields
SEVERITY_STYLES = {"error": "red", "warning": "yellow"}  # link lines marked by a family


def session_linker(app: Any) -> Linker:
    """The app's ``Linker`` (created on first use and kept for the session: its group graph
    and user scan are shared by every detail screen)."""
    linker = getattr(app, "linker", None)
    if linker is None:
        linker = Linker(app.client, app.directory)
        app.linker = linker
    return linker


async def reread_file(app: Any, shared: SharedFile) -> SharedFile:
    """``shared`` as the server has it now (an unpublished file keeps its personal access
    entries); without public key or access once the admin list no longer has it."""
    try:
        return await session_linker(app).shared_file(shared.ident)
    except NotFound:
        gone = shared.resource.model_copy(update={"public_hash": None})
        return SharedFile(shared.owner, gone, None, "not published any more")


async def unpublished_file(app: Any, ident: str) -> SharedFile:
    """What is left to show of ``<uid>:<path>`` once it is not public: owner and path."""
    uid, path = split_file_ident(ident)
    owner = await session_linker(app).load(USER, uid)
    resource = ResourceShort(name=path.rsplit("/", 1)[-1], path=path)
    return SharedFile(owner, resource, None, "not published any more")


def render_detail(detail: Detail) -> RichGroup:
    """The sections as Rich renderables: a bold title, then a label/value grid."""
    parts: list[Any] = []
    width = max((len(label) for s in detail.sections for label, _ in s.rows), default=8)
    for section in detail.sections:
        if parts:
            parts.append(Text(""))
        parts.append(Text(section.title, style="bold"))
        grid = Table.grid(padding=(0, 1))
        grid.add_column(style="dim", no_wrap=True, width=min(width, 20))
        grid.add_column(overflow="fold")
        for label, value in section.rows:
            grid.add_row(label, value)
        parts.append(grid)
    return RichGroup(*parts)


def target_prompt(target: Target) -> Table:
    """One line of the links list: a marker for drillable lines, the label, a dim note. A
    long note wraps under the label, not under the marker (a two-column grid)."""
    style = "bold" if target.drillable else ""
    marker = Text("› " if target.drillable else "  ", style=style)
    # A line another family marks (``params["severity"]``, e.g. a forward outside the org).
    severity = SEVERITY_STYLES.get(target.params.get("severity", ""), "")
    text = Text(style=style)
    text.append(target.label, style=severity)
    if target.note:
        text.append(f"  {target.note}", style="dim")
    grid = Table.grid()
    grid.add_column(width=2, no_wrap=True)
    grid.add_column(overflow="fold")
    grid.add_row(marker, text)
    return grid


class DetailScreen(DetailDataOut, Screen):
    """One object: fields on the left, links on the right (see the module docstring)."""

    KIND: ClassVar[str] = ""
    CSS_PATH = STYLES / "detail.tcss"
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("backspace", "back", "Back", show=False),
        Binding("tab", "switch_pane", "Fields/links"),
        Binding("R", "reload", "Reload", show=False),
        # A network error's message says "press r to retry" (list_view.error_text).
        Binding("r", "reload", "Retry", show=False),
    ]

    def __init__(self, ident: str = "", label: str = "", obj: Any = None) -> None:
        super().__init__()
        self.ident = ident
        self.obj = obj
        self.crumb = label or (title_of(obj) if obj is not None else ident)
        self.targets: list[Target] = []
        self._option_targets: dict[str, Target] = {}

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        """Header, breadcrumb, fields | links, footer."""
        yield Header()
        yield Breadcrumb(id="breadcrumb")
        with Horizontal(id="detail-body"):
            with VerticalScroll(id="fields-pane"):
                yield Static("loading…", id="fields")
            with Vertical(id="links-pane"):
                yield Static("Links", id="links-title")
                yield OptionList(Option(Text("loading links…", style="dim"), disabled=True),
                                 id="links")
        yield Footer()

    def on_mount(self) -> None:
        """Start loading; the links list takes the keys (Enter drills on)."""
        self._apply_width(self.size.width or self.app.size.width)
        self.query_one("#links", OptionList).focus()
        self.load()

    def on_resize(self, event: events.Resize) -> None:
        """Stack the panes on a narrow terminal."""
        self._apply_width(event.size.width)

    def _apply_width(self, width: int) -> None:
        self.set_class(width < NARROW, "narrow")

    # ------------------------------------------------------------------ loading

    @property
    def linker(self) -> Linker:
        """The session's linker."""
        return session_linker(self.app)

    def load(self) -> None:
        """(Re)load the object and its links in a worker."""
        self.run_worker(self._load, group="detail", exclusive=True, exit_on_error=False)

    async def fetch(self) -> Any:
        """The object this screen shows, from the API (errors go to ``_load``'s report)."""
        return await self.linker.load(self.KIND, self.ident)

    async def _load(self) -> None:
        try:
            # The first lines go before the whole-directory load's next pages.
            with self.linker.directory.foreground():
                if self.obj is None:
                    self.obj = await self.fetch()
                self.show_fields()
                if isinstance(self.obj, User) and not self.linker.graph_ready:
                    self.show_targets(await self.linker.quick_user_targets(self.obj))
            await asyncio.gather(self._name_ids(), self._fill_targets())
            await self._name_people()
        except Unauthorized as exc:
            self.app.token_rejected(error_text(exc))  # type: ignore[attr-defined]
        except Exception as exc:
            message = error_text(exc)
            self.notify(f"{self.crumb}: {message}", severity="error", timeout=8,
                        title="Could not load")
            if self.obj is None:
                self.query_one("#fields", Static).update(Text(message, style="bold red"))
            self.show_targets([Target("Error", INFO, "error", message, note="R reloads")])

    async def _name_ids(self) -> None:
        """Users, groups and departments: once the group graph is in (the links need it too,
        so this costs no request of its own), show names beside department and group ids."""
        if self.KIND in (USER, GROUP, DEPARTMENT):
            self.show_fields(await self.linker.graph())

    async def _name_people(self) -> None:
        """A department's head by login and name, not a bare id (after the links, which
        read that user already; the Head link opens it)."""
        head = str(getattr(self.obj, "head_id", "") or "") if self.KIND == DEPARTMENT else ""
        if not head:
            return
        names = await self.linker.user_names([head])
        if names.get(head, head) != head:
            self.people = {"Head": f"{names[head]} ({head})"}
            self.show_fields(await self.linker.graph())

    async def _fill_targets(self) -> None:
        self.show_targets(await self.linker.targets(self.obj))

    people: dict[str, str] = {}  # field label -> the text naming the user id it holds

    def show_fields(self, graph: GroupGraph | None = None) -> None:
        """Render the object's sections (with ``graph``: ids named)."""
        detail = describe(self.obj, graph)
        if self.people:
            detail = replace(detail, sections=tuple(
                replace(s, rows=tuple((label, self.people.get(label, text))
                                      for label, text in s.rows))
                for s in detail.sections))
        self.query_one("#fields", Static).update(render_detail(detail))

    def show_targets(self, targets: list[Target]) -> None:
        """Fill the links list: a header line per section, then its targets."""
        self.targets = targets
        self._option_targets = {}
        links = self.query_one("#links", OptionList)
        highlighted = links.highlighted
        links.clear_options()
        options: list[Option | None] = []
        section = None
        for n, target in enumerate(targets):
            if target.section != section:
                section = target.section
                options.append(Option(Text(section, style="bold underline"), disabled=True))
            option_id = f"t{n}"
            self._option_targets[option_id] = target
            options.append(Option(target_prompt(target), id=option_id,
                                  disabled=not target.drillable))
        if not options:
            options.append(Option(Text("no links", style="dim"), disabled=True))
        links.add_options(options)
        first = next((i for i, o in enumerate(options) if o is not None and not o.disabled),
                     None)
        links.highlighted = highlighted if highlighted is not None and \
            highlighted < len(options) else first

    # ------------------------------------------------------------------ drilling

    @on(OptionList.OptionSelected, "#links")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        target = self._option_targets.get(event.option.id or "")
        if target is not None:
            self.open_target(target)

    def open_target(self, target: Target) -> None:
        """Push what ``target`` names: another object's detail or a filtered list view."""
        if not self.is_active:
            return  # a second Enter typed before the first one's screen showed
        if target.kind in (USER, GROUP, DEPARTMENT, SHARED_FILE):
            self.app.open_detail(target.kind, str(target.key), target.label.split(" — ")[0])
        elif target.kind == VIEW:
            self.app.push_screen(filtered_view(target))
        elif target.kind in DETAIL_TABLE:  # kinds other API families register (mailbox…)
            self.app.open_detail(target.kind, str(target.key), target.label)

    def on_screen_resume(self) -> None:
        """Back on this screen: the path is shorter again."""
        self.query_one(Breadcrumb).update_path()

    # ------------------------------------------------------------------ keys

    def action_back(self) -> None:
        """Pop back to the previous screen."""
        self.app.action_back()  # type: ignore[attr-defined]

    def action_switch_pane(self) -> None:
        """Move the focus between the fields and the links."""
        links = self.query_one("#links", OptionList)
        if links.has_focus:
            self.query_one("#fields-pane").focus()
        else:
            links.focus()

    def action_reload(self) -> None:
        """Fetch the object and its links again (users, groups, departments, files)."""
        if self.KIND in (USER, GROUP, DEPARTMENT, SHARED_FILE):
            self.obj = None
        self.load()

    # ------------------------------------------------------------------ after an edit

    def highlighted_target(self) -> Target | None:
        """The link under the cursor of the links list, if any."""
        links = self.query_one("#links", OptionList)
        if links.highlighted is None:
            return None
        option = links.get_option_at_index(links.highlighted)
        return self._option_targets.get(option.id or "")

    def reload_views_below(self) -> None:
        """The Groups list and Departments tree under this screen are short: reload them so
        going back shows the server's state (the Users list swaps its row instead)."""
        for screen in self.app.screen_stack:
            if screen is self or isinstance(screen, DetailScreen):
                continue
            if getattr(screen, "EDIT_ACTIONS", None) in (GROUP_ACTIONS, DEPARTMENT_ACTIONS):
                screen.action_reload()  # type: ignore[attr-defined]

    def refresh_after_edit(self, outcome: Outcome) -> None:
        """Show the server's state again: the object, and links built from fresh caches
        (an edit may have changed memberships, names or the tree)."""
        self.linker.forget()
        cache = getattr(self.app, "directory", None)
        if cache is not None and self.KIND == DEPARTMENT:
            cache.forget_departments()
        self.reload_views_below()
        deleted = outcome.plan.action.endswith(".delete") and outcome.status != "failed"
        if deleted and outcome.plan.target.id == str(self.ident):
            self.notify(f"{self.crumb} was deleted", title="Detail closed")
            self.action_back()
            return
        self.action_reload()


def filtered_view(target: Target) -> Screen:
    """The list view a ``VIEW`` target opens, filtered to its object."""
    from .audit_events import AuditEventsScreen
    from .mail_audit import MailAuditScreen
    from .shared_files import SharedFilesScreen

    uid = target.params.get("uid", "")
    login = target.params.get("login", "")
    if target.key == "user-shared-files":
        return SharedFilesScreen(owner_uid=uid, crumb="Shared files")
    if target.key == "user-mail-audit":
        return MailAuditScreen(uids=(uid,), crumb="Mail audit", who=login)
    if target.key == "user-audit-events":
        return AuditEventsScreen(uids=(uid,), crumb="Audit events", who=login)
    raise ValueError(f"unknown view target {target.key!r}")


def footer_keys(actions: dict[str, tuple[str, str]], shown: set[str]) -> list[Binding]:
    """The edit keys again, with only ``shown`` in the footer: a detail's footer also holds
    back, panes and help, and must fit 80 columns. The rest are in help and the palette."""
    return [Binding(key, name, label, show=name in shown)
            for name, (key, label) in actions.items()]


@register_detail(USER)
class UserDetailScreen(UserEditActions, DetailScreen):
    """A user: fields, department, groups (direct and inherited), 2FA, sign-in method,
    shared files, mail audit and audit events. The user edits work here on this user;
    ``x`` on a direct group link takes the user out of that group."""

    KIND = USER
    BINDINGS: ClassVar[list[Binding]] = footer_keys(USER_ACTIONS, {"edit_user"})

    def edit_users(self) -> list[dict[str, Any]]:
        """This user, once loaded (wire keys, as the edits expect)."""
        return [wire(self.obj)] if self.obj is not None else []

    def chosen_group(self) -> Choice | None:
        """The highlighted group link when it is a direct membership."""
        target = self.highlighted_target()
        if target is None or target.kind != GROUP or target.section != "Groups":
            return None
        if target.note != "direct":
            self.notify(f"{target.label} is {target.note}: remove the user from that one, "
                        "or pick a direct group", severity="warning")
        return Choice("group", str(target.key), target.label) if target.note == "direct" \
            else None

    async def after_user_edit(self, outcome: Outcome) -> None:
        """Refresh this screen and the user's row in the Users list."""
        await refresh_user(self, str(self.ident))
        self.refresh_after_edit(outcome)


@register_detail(GROUP)
class GroupDetailScreen(GroupEditActions, DetailScreen):
    """A group: fields, members (users, groups, departments …), member of, managers.
    Edit, delete, add a member, or remove the highlighted member (``x``)."""

    KIND = GROUP
    BINDINGS: ClassVar[list[Binding]] = footer_keys(GROUP_ACTIONS, {"edit_group", "add_member"})

    def edit_group(self) -> dict[str, Any] | None:
        if self.obj is None:
            self.notify("the group is still loading", severity="warning")
            return None
        return wire(self.obj)

    def edit_groups(self) -> list[dict[str, Any]]:
        group = self.edit_group()
        return [group] if group is not None else []

    def action_remove_member(self) -> None:
        """Remove the highlighted member; elsewhere in the links, pick one."""
        group = self.edit_group()
        target = self.highlighted_target()
        if group is None:
            return
        if target is None or target.section != "Members" or not target.drillable:
            super().action_remove_member()
            return
        start_edit(self, RemoveMember(group, {
            "memberType": target.kind, "memberId": str(target.key),
            "memberLabel": target.label.split(" — ")[0]}), form=False,
            after=self.after_group_edit)

    async def after_group_edit(self, outcome: Outcome) -> None:
        """Refresh in place (or close after a delete); the Groups list reloads when seen."""
        self.refresh_after_edit(outcome)


@register_detail(DEPARTMENT)
class DepartmentDetailScreen(DepartmentEditActions, DetailScreen):
    """A department: fields, parent, children, head, groups containing it, members.
    Edit, delete, or create a sub-department (``n``)."""

    KIND = DEPARTMENT
    BINDINGS: ClassVar[list[Binding]] = footer_keys(DEPARTMENT_ACTIONS, {"edit_department"})

    def edit_department(self) -> dict[str, Any] | None:
        if self.obj is None:
            self.notify("the department is still loading", severity="warning")
            return None
        return wire(self.obj)

    async def after_department_edit(self, outcome: Outcome) -> None:
        self.refresh_after_edit(outcome)


@register_detail(SHARED_FILE)
class SharedFileDetailScreen(FileEditActions, DetailScreen):
    """A shared file (``<owner uid>:<path>``): fields, owner, access entries. ``u``
    unpublishes it; the screen then shows it without a public key or access."""

    KIND = SHARED_FILE

    def shared_files(self) -> list[Any]:
        return [self.obj] if isinstance(self.obj, SharedFile) else []

    async def fetch(self) -> Any:
        """An unpublished file (e.g. opened from the journal) still shows its owner."""
        try:
            return await self.linker.shared_file(self.ident)
        except NotFound:
            return await unpublished_file(self.app, self.ident)

    async def refresh_files(self, idents: list[str]) -> None:
        """Read the file back and show it; the links keep only the owner once unpublished."""
        if not isinstance(self.obj, SharedFile):
            return
        self.obj = await reread_file(self.app, self.obj)
        self.show_fields()
        self.show_targets(await self.linker.targets(self.obj))


class ObjectDetailScreen(DetailScreen):
    """An object that cannot be fetched by id (a log event, a Tracker user): pushed with it."""

    def __init__(self, obj: Any, label: str = "") -> None:
        super().__init__("", label or title_of(obj), obj)
        self.KIND = kind_of(obj)
