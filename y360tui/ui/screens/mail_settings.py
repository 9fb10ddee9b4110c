"""A user's mail settings (detail kind ``mail_settings``, key the uid): Enter on a user's Mail
lines, on a row of the "Mail forwarded outside the organisation" finding, or ``o`` on a journal
entry of a removed rule opens it.

Left (above, on a narrow terminal): the sender name and default address, where the signature
goes, whether addresses are collected, the organisation's domains and where they were learnt,
and every signature in full. Right (below): the rules — forwards first, those leaving the
organisation marked ``⚠ outside`` in the error colour, then auto-replies. ``x`` or Delete
removes the highlighted rule (confirmed: the rule in words -> removed; verified by reading the
rules back; journaled); Enter on a forward to a colleague opens that colleague. A part the API
refuses shows its own "could not read" line; ``R`` reads everything again.

``FindingMailForwardsScreen`` lists the finding's (user, rule) pairs: user, address, copy, rule;
Enter opens the user's mail settings, ``x`` removes the rule from the list directly.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from textual.binding import Binding

from ...api.errors import NotFound, Y360Error
from ...data.details import Detail, Section
from ...data.edits.base import Outcome
from ...data.edits.mail_settings import RemoveMailRule
from ...data.links import INFO, USER, Target
from ...data.mail_links import MAIL_SETTINGS
from ...data.mail_settings import FORWARD, MailRule, MailSettings, read_settings
from ..forms.actions import EditCommands
from ..forms.flow import is_read_only, start_edit
from ..registry import register_detail
from ..widgets.lazy_table import Column
from .detail import DetailScreen, render_detail
from .finding_objects import ObjectsScreen

RULE_LINE = "mail_user_rule"  # a rule in the links list (Enter: the colleague, if any)
EDIT_ACTIONS = {"remove_rule": ("x", "Remove rule")}
POSITIONS = {"bottom": "at the bottom, below the quoted text",
             "under": "right under the reply"}


def rule_target(rule: MailRule) -> Target:
    """One rule as a line of the rules list: ``⚠ outside: x@gmail.com`` (error colour),
    ``to: colleague@corp.ru`` or the auto-reply's first line; copy, id and name as the note."""
    tag = f"rule {rule.rule_id}" + (f" “{rule.name}”" if rule.name else "")
    if rule.kind == FORWARD:
        note = ("keeps a copy" if rule.keep_copy else "no copy kept") + f" · {tag}"
        if rule.outside:
            return Target("Forwarding", RULE_LINE, rule.rule_id, f"⚠ outside: {rule.address}",
                          note=note, params={"severity": "error"}, obj=rule)
        return Target("Forwarding", RULE_LINE, rule.rule_id, f"to: {rule.address}",
                      note=note, obj=rule)
    return Target("Auto-replies", RULE_LINE, rule.rule_id, rule.words().split(": ", 1)[1],
                  note=tag, obj=rule)


def settings_detail(settings: MailSettings, name: str = "") -> Detail:
    """The sender info, address collection, domains and every signature, in words."""
    sender, book = settings.sender, settings.address_book
    rows: list[tuple[str, str]] = [("User", " — ".join(p for p in (settings.login, name) if p)
                                    or settings.uid)]
    if sender is not None:
        position = sender.sign_position.value if sender.sign_position is not None else ""
        rows += [("Sender name", sender.from_name or "—"),
                 ("Sends from", sender.default_from or "—"),
                 ("Signature goes", POSITIONS.get(position, position or "—"))]
    if book is not None:
        rows.append(("Address book", "collects the addresses of outgoing mail"
                     if book.collect_addresses else "no automatic collection"))
    outside = settings.outside
    if outside:
        rows.append(("Forwards outside", f"⚠ {len(outside)} rule"
                     f"{'s' if len(outside) > 1 else ''} outside the organisation"))
    domains = ", ".join(sorted(settings.domains.names)) or "unknown"
    rows.append(("Org domains", f"{domains} (from {settings.domains.source})"))
    for part, text in settings.problems.items():
        rows.append((f"Could not read {part.replace('_', ' ')}", text))
    sections = [Section("Mail settings", tuple(rows))]
    if sender is not None:
        for n, sign in enumerate(sender.signs, 1):
            tags = ", ".join(t for t in (sign.lang, "default" if sign.is_default else "") if t)
            sections.append(Section(f"Signature {n}" + (f" ({tags})" if tags else ""), (
                ("For", ", ".join(sign.emails) or "every address"),
                ("Text", sign.text or "(empty)"))))
        if not sender.signs:
            sections.append(Section("Signatures", (("Signatures", "none"),)))
    return Detail(MAIL_SETTINGS, settings.login or settings.uid, tuple(sections))


@register_detail(MAIL_SETTINGS)
class MailSettingsScreen(DetailScreen):
    """One user's mail settings (see the module docstring)."""

    KIND = MAIL_SETTINGS
    EDIT_ACTIONS: ClassVar[dict[str, tuple[str, str]]] = EDIT_ACTIONS
    COMMANDS: ClassVar[set[Any]] = {EditCommands}
    BINDINGS: ClassVar[list[Binding]] = [
        Binding("x", "remove_rule", "Remove rule"),
        Binding("delete", "remove_rule", "Remove rule", show=False),
    ]

    def __init__(self, ident: str = "", label: str = "") -> None:
        super().__init__(ident, "Mail settings")
        self.user_name = ""

    def on_mount(self) -> None:
        """The links pane lists the rules."""
        super().on_mount()
        self.query_one("#links-title").update("Rules")  # type: ignore[attr-defined]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The remove key is hidden (and refused) in read-only mode."""
        if action in EDIT_ACTIONS and is_read_only(self.app):
            return False
        return super().check_action(action, parameters)

    # ------------------------------------------------------------------ loading

    async def fetch(self) -> MailSettings:
        """The user (login, name, address) and the three mail settings reads."""
        login = email = ""
        try:
            user = await self.linker.load(USER, self.ident)
            login, email = user.nickname, user.email
            self.user_name = user.name.full or user.display_name
        except NotFound:
            raise
        except Y360Error:
            pass  # the settings still show, with the uid for a name
        return await read_settings(self.app.client, self.ident,  # type: ignore[attr-defined]
                                   login=login, email=email,
                                   directory=getattr(self.app, "directory", None))

    def show_fields(self, graph: Any = None) -> None:
        """Sender, address book, domains, signatures."""
        self.query_one("#fields").update(  # type: ignore[attr-defined]
            render_detail(settings_detail(self.obj, self.user_name)))

    async def _name_ids(self) -> None:
        """Nothing to name: the settings hold addresses, not ids."""

    async def _fill_targets(self) -> None:
        self.show_targets(self.rule_targets())

    def rule_targets(self) -> list[Target]:
        """Forwards, then auto-replies; a line saying why when there are none."""
        settings: MailSettings = self.obj
        if "rules" in settings.problems:
            return [Target("Rules", INFO, "error", f"could not read: {settings.problems['rules']}",
                           note="R reads again")]
        out = [rule_target(r) for r in settings.rules]
        if not out:
            out.append(Target("Rules", INFO, "none", "no forwarding or auto-reply rules",
                              note="the API lists the rules an administrator set up"))
        return out

    def action_reload(self) -> None:
        """Read the settings again."""
        self.obj = None
        self.load()

    def open_target(self, target: Target) -> None:
        """A forward to a colleague opens that colleague; other rules say what x does."""
        rule = target.obj
        if not isinstance(rule, MailRule):
            super().open_target(target)
            return
        if rule.kind == FORWARD and not rule.outside:
            self.run_worker(self._open_colleague(rule.address), group="mail-colleague",
                            exit_on_error=False)
            return
        self.notify("x removes this rule", severity="information")

    async def _open_colleague(self, address: str) -> None:
        from ...data.directory import U_EMAIL, U_ID, U_LOGIN

        directory = getattr(self.app, "directory", None)
        rows = [] if directory is None else [
            row for _, row in directory.users.rows() if row[U_EMAIL].lower() == address.lower()]
        if rows:
            self.app.open_detail(USER, rows[0][U_ID], rows[0][U_LOGIN])  # type: ignore[attr-defined]
        else:
            self.notify(f"{address}: no such user loaded", severity="warning")

    # ------------------------------------------------------------------ the edit

    def action_remove_rule(self) -> None:
        """Remove the highlighted rule (confirmed first)."""
        target = self.highlighted_target()
        if target is None or not isinstance(target.obj, MailRule):
            self.notify("highlight a rule first", severity="warning")
            return
        start_edit(self, RemoveMailRule(target.obj.as_current()), form=False,
                   after=self.after_edit)

    async def after_edit(self, outcome: Outcome) -> None:
        """Read the settings again, whatever the outcome."""
        if self.is_attached:
            self.action_reload()


class FindingMailForwardsScreen(ObjectsScreen):
    """The finding's (user, forwarding rule) pairs; Enter opens the user's mail settings,
    ``x`` removes the highlighted rule."""

    EDIT_ACTIONS: ClassVar[dict[str, tuple[str, str]]] = EDIT_ACTIONS
    COMMANDS: ClassVar[set[Any]] = {EditCommands}
    COLUMNS = [
        Column("User", 22, priority=0, flex=True),
        Column("Forwards to", 30, priority=0, flex=True),
        Column("Copy", 6, priority=1),
        Column("Rule", 16, priority=2, flex=True),
    ]
    BINDINGS: ClassVar[list[Binding]] = [
        Binding("x", "remove_rule", "Remove rule"),
        Binding("delete", "remove_rule", "Remove rule", show=False),
    ]

    def cells(self, row: MailRule) -> Sequence[str]:
        """User, address, whether a copy is kept, the rule's id and name."""
        return (row.login or row.uid, row.address, "keep" if row.keep_copy else "no",
                f"{row.rule_id} {row.name}".strip())

    def label(self, obj: MailRule) -> str:
        return obj.login or obj.uid

    def open_object(self, obj: MailRule) -> None:
        """The user's mail settings."""
        self.app.open_detail(MAIL_SETTINGS, obj.uid, obj.login)  # type: ignore[attr-defined]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in EDIT_ACTIONS and is_read_only(self.app):
            return False
        return super().check_action(action, parameters)

    def action_remove_rule(self) -> None:
        """Remove the highlighted rule (confirmed first); the list drops it once removed."""
        row = self.table.cursor_item
        if row is None:
            self.notify("nothing selected", severity="warning")
            return
        start_edit(self, RemoveMailRule(row.as_current()), form=False,
                   after=lambda outcome: self.after_edit(outcome, row))

    async def after_edit(self, outcome: Outcome, row: MailRule) -> None:
        """A removed rule leaves the finding's list; the list is drawn again."""
        if outcome.ok and outcome.sent:
            self.finding.objects = [r for r in self.finding.objects if r != row]
            self.finding.count = len(self.finding.objects)
        if self.is_attached:
            self.action_reload()
