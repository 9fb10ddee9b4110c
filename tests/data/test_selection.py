"""A selection given as a list: parsing (CSV, header, BOM, blank lines, duplicates) and
matching against the directory (id, login, e-mail, alias; unknown and ambiguous entries)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from y360tui.data.bulk_actions import block_counts, block_warnings, build_edits
from y360tui.data.selection import (
    SelectionError,
    alias_map,
    find_group,
    needs_aliases,
    parse_list,
    read_list,
    resolve_files,
    resolve_users,
)


def texts(parsed):
    return [e.text for e in parsed.entries]


def row(uid, login, email=None, status="active", admin=""):
    """A users row (``data.directory`` layout)."""
    return (uid, login, login.title(), "IT", "", status, admin,
            email if email is not None else f"{login}@corp.ru", "1", "yes")


ROWS = list(enumerate([
    row("1130000000000001", "ivan"),
    row("1130000000000002", "petr", admin="admin"),
    row("1130000000000003", "anna", status="blocked"),
    row("1130000000000004", "boss", admin="admin"),
    row("1130000000000005", "1130000000000001", email="numeric@corp.ru"),  # a login of digits
]))


# ------------------------------------------------------------------------------ parsing


def test_plain_list_blank_lines_comments_and_duplicates():
    parsed = parse_list("ivan\n\n  petr  \n# a comment\nIVAN\nanna@corp.ru\n\n")
    assert texts(parsed) == ["ivan", "petr", "anna@corp.ru"]
    assert [(e.text, e.line, first.line) for e, first in parsed.duplicates] == [("IVAN", 5, 1)]
    assert parsed.column == ""


def test_csv_with_header_takes_the_named_column_and_skips_the_header():
    parsed = parse_list("name;E-mail;dept\nIvan;ivan@corp.ru;IT\nPetr;petr@corp.ru;Ops\n")
    assert texts(parsed) == ["ivan@corp.ru", "petr@corp.ru"]
    assert parsed.column == "E-mail"
    assert parsed.entries[0].line == 2


def test_csv_export_header_takes_the_first_known_column_id():
    parsed = parse_list("id,login,email,name\n1130000000000001,ivan,ivan@corp.ru,Ivan\n")
    assert texts(parsed) == ["1130000000000001"]
    assert parsed.column == "id"


def test_csv_without_header_takes_the_first_column_and_quotes():
    parsed = parse_list('ivan,"Ivan, the first"\n"petr",Petr\n')
    assert texts(parsed) == ["ivan", "petr"]


def test_bom_and_a_one_column_header():
    parsed = parse_list("\ufefflogin\r\nivan\r\npetr\r\n")
    assert texts(parsed) == ["ivan", "petr"]
    assert parsed.column == "login"


def test_one_pasted_line_with_commas_is_every_cell():
    assert texts(parse_list("ivan, petr,anna")) == ["ivan", "petr", "anna"]


def test_tab_separated_with_header():
    assert texts(parse_list("uid\tname\n1130000000000001\tIvan\n")) == ["1130000000000001"]


def test_read_list_from_files(tmp_path):
    path = tmp_path / "list.csv"
    path.write_bytes("\ufefflogin,name\nivan,Иван\n\n".encode())
    assert texts(read_list(path)) == ["ivan"]
    with pytest.raises(SelectionError, match="no such file"):
        read_list(tmp_path / "missing.csv")
    (tmp_path / "bin").write_bytes(b"\x00\x01\x02")
    with pytest.raises(SelectionError):
        read_list(tmp_path / "bin")
    (tmp_path / "latin").write_bytes("caf\xe9".encode("latin-1"))
    with pytest.raises(SelectionError, match="not UTF-8"):
        read_list(tmp_path / "latin")


def test_public_keys_keep_their_case():
    parsed = parse_list("AbC/1=\nabc/1=\n")
    assert texts(parsed) == ["AbC/1=", "abc/1="]


# ------------------------------------------------------------------------------ matching


def test_matches_by_id_login_and_email_case_insensitively():
    parsed = parse_list("1130000000000002\nIVAN\nAnna@Corp.RU\n")
    sel = resolve_users(parsed, ROWS)
    assert [(f.obj[1], f.how) for f in sel.found] == [("petr", "id"), ("ivan", "login"),
                                                      ("anna", "e-mail")]
    assert sel.indexes == {1, 0, 2}
    assert not sel.unknown


def test_unknown_entries_are_listed_with_the_reason_never_guessed():
    parsed = parse_list("ivanov\nivan@other.ru\n999\nivn\n")
    sel = resolve_users(parsed, ROWS)
    assert sel.found == []
    reasons = {u.entry.text: u.reason for u in sel.unknown}
    assert reasons["ivanov"] == "no user has this login"
    assert reasons["999"] == "no user has this id"
    # The login ivan exists, but the address is not his: said, not guessed.
    assert reasons["ivan@other.ru"] == "no user has this e-mail (ivan is ivan@corp.ru)"
    assert needs_aliases(sel)


def test_an_entry_matching_two_users_is_unknown_as_ambiguous():
    sel = resolve_users(parse_list("1130000000000001\n"), ROWS)
    assert sel.found == []
    assert sel.unknown[0].reason.startswith("ambiguous: matches ")
    assert "ivan (id)" in sel.unknown[0].reason and "(login)" in sel.unknown[0].reason


def test_two_entries_naming_one_user_count_once():
    sel = resolve_users(parse_list("ivan\nivan@corp.ru\n1130000000000002\npetr\n"), ROWS)
    assert [f.obj[1] for f in sel.found] == ["ivan", "petr"]
    assert [(e.text, first.text) for e, first in sel.repeats] == [
        ("ivan@corp.ru", "ivan"), ("petr", "1130000000000002")]
    assert sel.summary() == "2 found, 2 repeated (counted once)"
    assert [why for _, why in sel.skipped_lines()] == ["same as line 1 (ivan)",
                                                       "same as line 3 (1130000000000002)"]


def test_aliases_the_api_lists_match_and_shared_ones_are_ambiguous():
    users = [{"id": "1130000000000001", "email": "ivan@corp.ru", "aliases": ["i.petrov"]},
             {"id": "1130000000000002", "email": "petr@corp.ru", "aliases": ["sales"]},
             {"id": "1130000000000004", "email": "boss@corp.ru", "aliases": ["sales"]}]
    aliases = alias_map(users)
    sel = resolve_users(parse_list("i.petrov@corp.ru\nsales@corp.ru\ni.petrov@other.ru\n"),
                        ROWS, aliases=aliases)
    assert [(f.obj[1], f.how) for f in sel.found] == [("ivan", "alias of ivan")]
    reasons = {u.entry.text: u.reason for u in sel.unknown}
    assert reasons["sales@corp.ru"].startswith("ambiguous: matches petr")
    assert reasons["i.petrov@other.ru"] == "no user has this e-mail or alias"
    # An alias is an e-mail: the bare local part is not taken as a login.
    assert resolve_users(parse_list("i.petrov\n"), ROWS, aliases=aliases).found == []


def test_groups_by_id_name_or_address():
    groups = list(enumerate([("4", "Sales", "generic", "3", "sales@corp.ru", ""),
                             ("5", "Ops", "generic", "1", "", ""),
                             ("6", "ops", "generic", "1", "", "")]))
    assert find_group("sales@corp.ru", groups)[0][0] == "4"
    assert find_group("4", groups)[0][0] == "4"
    assert find_group("nope", groups)[0] is None
    assert "give the id" in find_group("OPS", groups)[1]


def shared(uid, login, path, key):
    owner = SimpleNamespace(id=uid, nickname=login)
    resource = SimpleNamespace(public_hash=key, path=path, name=path.rsplit("/", 1)[-1])
    return SimpleNamespace(owner=owner, resource=resource, ident=f"{uid}:{path}")


def test_files_by_public_key_file_id_or_owner():
    files = [shared("1130000000000001", "ivan", "disk:/a.txt", "KEY/a="),
             shared("1130000000000001", "ivan", "disk:/b.txt", "KEY/b="),
             shared("1130000000000002", "petr", "disk:/c.txt", "KEY/c="),
             shared("1130000000000002", "petr", "disk:/gone.txt", "")]
    parsed = parse_list("KEY/c=\nivan\n1130000000000002:disk:/c.txt\nanna\nkey/a=\nnobody\n")
    sel = resolve_files(parsed, files, resolve_users(parsed, ROWS))
    assert [f.obj.resource.path for f in sel.found] == ["disk:/c.txt", "disk:/a.txt",
                                                        "disk:/b.txt"]
    reasons = {u.entry.text: u.reason for u in sel.unknown}
    assert reasons["anna"] == "anna has no published resource"
    assert reasons["key/a="].startswith("no published resource has this public key")
    assert "no user has this login" in reasons["nobody"]
    assert [e.text for e, _ in sel.repeats] == ["1130000000000002:disk:/c.txt"]


# ------------------------------------------------------------------------------ actions


def test_block_warnings_name_admins_and_the_last_admin():
    everyone = [r for _, r in ROWS]
    assert block_warnings([everyone[0]], everyone) == []
    one = block_warnings([everyone[1]], everyone)
    assert one == ["blocks 1 administrator(s): petr"]
    both = block_warnings([everyone[1], everyone[3]], everyone)
    assert len(both) == 2 and "last active administrator" in both[1]
    assert block_counts(everyone) == (4, 1)


def test_build_edits_block_and_unblock_directions():
    rows = [r for _, r in ROWS[:3]]
    block = build_edits("block", rows)
    assert [e.plan().noop for e in block] == [False, False, True]  # anna is blocked already
    unblock = build_edits("unblock", rows)
    assert [e.plan().noop for e in unblock] == [True, True, False]
    assert unblock[2].plan().action == "user.unblock"
