""""Select from a list…" (key ``L``, and the palette) and the bulk block direction.

``SelectListScreen`` asks for a list of logins/e-mails/ids — a file path, or text pasted —
and the action. ``list_flow`` then waits for the whole directory (it loads in the
background), matches the list (``data.selection``), marks the rows it found in the view, and
opens the chosen action's bulk plan, where the entries that matched nothing are listed as
skipped with the reason. The rest is ``flow.bulk_flow``: dry run, progress, results, retry.

``block_flow`` lets the admin choose the direction of a bulk block/unblock and warns before
blocking an administrator (or the last active ones).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from ...data.bulk_actions import ACTIONS
from ...data.selection import ParsedList, SelectionError, parse_list, read_list
from . import FORMS_CSS

# The actions offered per view (the Groups view adds or removes members of its group).
VIEW_ACTIONS = {
    "user": ("block", "unblock", "sign-out", "reset-2fa", "add-to-group",
             "remove-from-group", "auth-type"),
    "group": ("add-to-group", "remove-from-group"),
    "shared_file": ("unpublish",),
}
GROUP_TITLES = {"add-to-group": "Add the listed users to this group",
                "remove-from-group": "Remove the listed users from this group"}

Chosen = tuple[str, ParsedList, str]  # (action, entries, where they came from)


class SelectListScreen(ModalScreen[Chosen | None]):
    """The action and the list (a file path, or pasted text). F2 reads and checks the list;
    a list that cannot be read, or names nobody, keeps the form open with the reason."""

    DEFAULT_CLASSES = "edit-form"
    CSS_PATH = FORMS_CSS
    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("f2", "submit", "Select")]

    def __init__(self, kind: str, subtitle: str = "") -> None:
        super().__init__()
        self.kind = kind
        self.subtitle = subtitle

    def compose(self) -> ComposeResult:
        actions = VIEW_ACTIONS[self.kind]
        titles = GROUP_TITLES if self.kind == "group" else {}
        options = [(titles.get(a, ACTIONS[a].title), a) for a in actions]
        with Vertical(id="form-box"):
            yield Static("Select from a list", id="form-title")
            yield Static(self.subtitle or "logins, e-mails or ids: a CSV (column login/email/id, "
                         "or the first) or one per line", id="form-subtitle")
            with Horizontal(classes="form-row kind-select"):
                yield Label("Action", classes="form-label")
                yield Select(options, value=actions[0], allow_blank=False, id="list-action",
                             compact=True)
            with Horizontal(classes="form-row kind-text"):
                yield Label("File", classes="form-label")
                yield Input(placeholder="path to a .csv or .txt (or paste below)",
                            id="list-path", compact=True)
            with Horizontal(classes="form-row kind-textarea"):
                yield Label("or paste the list", classes="form-label")
                yield TextArea("", id="list-text", soft_wrap=False, compact=True)
            yield Static("", id="form-status")
            with Horizontal(id="form-buttons"):
                yield Button("Select (F2)", id="submit", variant="primary", compact=True)
                yield Button("Cancel (Esc)", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#list-path", Input).focus()

    def read(self) -> tuple[ParsedList, str]:
        """The entries and their source; SelectionError says why not."""
        path = self.query_one("#list-path", Input).value.strip()
        text = self.query_one("#list-text", TextArea).text
        if path and text.strip():
            raise SelectionError("give a file or paste a list, not both")
        if path:
            return read_list(path), path
        if not text.strip():
            raise SelectionError("give a file path or paste a list")
        return parse_list(text), "the pasted list"

    @on(Input.Submitted, "#list-path")
    @on(Button.Pressed, "#submit")
    def action_submit(self) -> None:
        status = self.query_one("#form-status", Static)
        try:
            parsed, source = self.read()
        except SelectionError as exc:
            status.update(str(exc))
            return
        if not parsed.entries:
            status.update(f"{source} names nobody (no entries)")
            return
        action = self.query_one("#list-action", Select).value
        self.dismiss((str(action), parsed, source))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class BlockDirectionScreen(ModalScreen[str | None]):
    """Block or unblock a selection: dismisses ``"block"``, ``"unblock"`` or None."""

    DEFAULT_CLASSES = "ask-screen"
    CSS_PATH = FORMS_CSS
    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("b", "block", "Block"),
                Binding("u", "unblock", "Unblock")]

    def __init__(self, to_block: int, to_unblock: int) -> None:
        super().__init__()
        self.to_block = to_block
        self.to_unblock = to_unblock

    def compose(self) -> ComposeResult:
        total = self.to_block + self.to_unblock
        with Vertical(id="ask-box"):
            yield Static(f"{total} users selected: {self.to_block} active, "
                         f"{self.to_unblock} blocked.\nBlock or unblock them?",
                         id="ask-question")
            with Horizontal(id="ask-buttons"):
                yield Button("Cancel (Esc)", id="cancel", compact=True)
                yield Button("Unblock (u)", id="unblock", compact=True)
                yield Button("Block (b)", id="block", variant="error", compact=True)

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).focus()

    @on(Button.Pressed, "#block")
    def action_block(self) -> None:
        self.dismiss("block")

    @on(Button.Pressed, "#unblock")
    def action_unblock(self) -> None:
        self.dismiss("unblock")

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


# ------------------------------------------------------------------------------ flows


def directory_rows(app: Any) -> list[Any]:
    cache = getattr(app, "directory", None)
    return [row for _, row in cache.users.rows()] if cache is not None else []


def block_warnings_for(app: Any, uids: Sequence[str]) -> list[str]:
    """``data.bulk_actions.block_warnings`` for these user ids over the loaded directory."""
    from ...data.bulk_actions import block_warnings
    from ...data.directory import U_ID

    everyone = directory_rows(app)
    wanted = set(uids)
    lines = block_warnings([r for r in everyone if r[U_ID] in wanted], everyone)
    cache = getattr(app, "directory", None)
    if cache is None or not cache.users.complete:
        return lines[:1]  # "the last admin" needs every user: not claimed before they are in
    return lines


def block_one(host: Any, user: dict[str, Any]) -> None:
    """Block or unblock one user; blocking an admin says so on the confirmation (and that
    it is the last active one, when it is)."""
    from ...data.edits import SetEnabled
    from .flow import start_edit

    enable = not user.get("isEnabled", True)
    values: dict[str, Any] = {"value": enable}
    if not enable and user.get("isAdmin"):
        values["warnings"] = [f"⚠ {w}" for w in block_warnings_for(host.app, [user["id"]])[1:]]
    start_edit(host, SetEnabled(user, values), form=False, after=host.after_user_edit)


async def block_flow(host: Any, users: list[dict[str, Any]]) -> None:
    """``b`` on several users: the direction first, and the plan warns about the admins it
    would block."""
    from ...data.edits import SetEnabled
    from .flow import bulk_flow

    app = host.app
    to_unblock = sum(1 for u in users if not u.get("isEnabled", True))
    direction = await app.push_screen_wait(
        BlockDirectionScreen(len(users) - to_unblock, to_unblock))
    if direction is None:
        return
    enable = direction == "unblock"
    warnings = [] if enable else block_warnings_for(app, [u["id"] for u in users])
    title = host.bulk_title(f"{'Unblock' if enable else 'Block'} ({len(users)} users)")
    await bulk_flow(app, title, [SetEnabled(u, {"value": enable}) for u in users],
                    after=host.after_user_bulk, warnings=warnings)


def start_list_flow(host: Any, kind: str) -> None:
    """Run ``list_flow`` in a worker owned by the app (a view cancels its own workers when a
    modal covers it)."""
    from .flow import READ_ONLY_MESSAGE, is_read_only

    if is_read_only(host.app):
        host.notify(READ_ONLY_MESSAGE, severity="warning")
        return
    host.app.run_worker(list_flow(host, kind), group="edits", exit_on_error=False,
                        description="Select from a list")


async def list_flow(host: Any, kind: str) -> None:
    """Form -> whole directory -> match -> marks -> the action's bulk plan (see module)."""
    from ...data.bulk_actions import block_warnings, build_edits
    from ...data.edits.base import api_error, describe
    from ...data.selection import select_users
    from .flow import bulk_flow

    app = host.app
    subtitle = ""
    group: dict[str, Any] | None = None
    if kind == "group":
        group = host.edit_group()
        if group is None:
            return
        subtitle = f"users to add to or remove from {group['name']}"
    chosen = await app.push_screen_wait(SelectListScreen(kind, subtitle))
    if chosen is None:
        return
    action, parsed, source = chosen
    directory = app.directory
    if not directory.synced_fully:
        app.notify("loading the whole directory to match the list…", title="Select from a list")
    try:
        selection = await select_users(parsed, directory, app.client)
        positions: list[int] = []
        if kind == "shared_file":
            selection, positions = await _select_files(host, parsed, selection)
    except Exception as exc:
        app.notify(f"{describe(api_error(exc))}; nothing was selected",
                   title="Select from a list", severity="error", timeout=8)
        return
    table = getattr(host, "table", None)
    if kind in ("user", "shared_file") and table is not None:
        marked = ({positions[f.index] for f in selection.found} if kind == "shared_file"
                  else selection.indexes)
        _mark(host, table, marked, f"{len(marked):,} from {source}")
    app.notify(f"{source}: {selection.summary()}", title="Select from a list",
               severity="warning" if selection.unknown else "information")
    if not selection.found:
        return
    spec = ACTIONS[action]
    auth: dict[str, Any] = {}
    if spec.needs_group and group is None:
        group = await _pick_group(app, action, len(selection.found))
        if group is None:
            return
    if group is not None:
        try:
            group = await _with_members(app, group)
        except Exception as exc:
            app.notify(describe(api_error(exc)), title="Could not read the group's members",
                       severity="error", timeout=8)
            return
    if spec.needs_auth:
        values = await _auth_values(app, selection.found[0].obj)
        if values is None:
            return
        auth = values
    edits = build_edits(action, selection.objects, group=group, auth=auth)
    warnings = (block_warnings(selection.objects, directory_rows(app)) if action == "block"
                else [])
    title = _title(action, len(edits), group, source)
    await bulk_flow(app, title, edits, after=_after(host, kind),
                    skipped=selection.skipped_lines(), warnings=warnings)


def _mark(host: Any, table: Any, marked: set[int], how: str) -> None:
    from ..widgets.lazy_table import LazyTable

    table.marked = set(marked)
    host.mark_all_note = (frozenset(table.marked), how)
    table.post_message(LazyTable.MarksChanged(table, len(table.marked)))
    table.refresh_rows()


async def _select_files(host: Any, parsed: ParsedList, users: Any) -> tuple[Any, list[int]]:
    """The Shared files view's rows the list names (the scan is run to its end first)."""
    from ...data.bulk import load_remaining
    from ...data.selection import resolve_files

    data = host.table.data
    if not data.complete:
        host.app.notify("scanning every user's shared files to match the list…",
                        title="Select from a list")
        await load_remaining(data, on_progress=host._list_progress)
    rows = list(data.rows())
    selection = resolve_files(parsed, [row for _, row in rows], users)
    return selection, [i for i, _ in rows]


async def _pick_group(app: Any, action: str, count: int) -> dict[str, Any] | None:
    from .actions import group_search
    from .picker import PickerScreen

    verb = "Add" if action == "add-to-group" else "Remove"
    where = "to" if action == "add-to-group" else "from"
    choice = await app.push_screen_wait(
        PickerScreen(f"{verb} {count} user(s) {where} group", group_search(app)))
    if choice is None:
        return None
    return {"id": int(choice.id), "name": choice.label, "type": "generic"}


async def _with_members(app: Any, group: dict[str, Any]) -> dict[str, Any]:
    from ...data.bulk_actions import group_with_members
    from ...data.edits import calls

    members = await calls.group_member_ids(app.client, int(group["id"]))
    return group_with_members(group, members)


async def _auth_values(app: Any, row: Any) -> dict[str, Any] | None:
    """The sign-in method form, once for every user of the list."""
    from ...data.bulk_actions import user_current
    from ...data.edits import SetAuthType
    from .form import EditForm

    template = SetAuthType(user_current(row))
    edit = await app.push_screen_wait(EditForm(template, subtitle="for every listed user"))
    return dict(edit.values) if edit is not None else None


def _title(action: str, count: int, group: dict[str, Any] | None, source: str) -> str:
    spec = ACTIONS[action]
    if group is not None:
        where = "to" if action == "add-to-group" else "from"
        return f"{spec.title.split()[0]} {count} user(s) {where} {group['name']} — {source}"
    noun = "resource(s)" if spec.kind == "shared_file" else "user(s)"
    return f"{spec.title} {count} {noun} — {source}"


def _after(host: Any, kind: str) -> Any:
    if kind == "user":
        return host.after_user_bulk
    if kind == "group":
        return host.after_group_edit
    return host.after_file_bulk
