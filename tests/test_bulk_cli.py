"""``y360tui bulk ACTION --from FILE``: every action family against the demo org, the plan and
result tables, dry runs that send no write, confirmation, exit codes, admin warnings."""

from __future__ import annotations

import csv
import io

import pytest

from y360tui.cli import main
from y360tui.data import demo as demo_module

DEMO = ["--demo", "--users", "120", "--seed", "7"]
WRITES = ("POST", "PUT", "PATCH", "DELETE")


@pytest.fixture(autouse=True)
def own_data_dir(tmp_path, monkeypatch):
    """Journals (the demo's own) go under the test's directory."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


@pytest.fixture
def sessions(monkeypatch):
    """Every demo session the command makes (for its request log and org state)."""
    made = []
    real = demo_module.demo_from_args

    def spy(args):
        session = real(args)
        made.append(session)
        return session

    monkeypatch.setattr(demo_module, "demo_from_args", spy)
    return made


def run(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        code = main(["bulk", *argv])
    except SystemExit as stop:
        code = int(stop.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def export(capsys, view: str, filter_: str = "") -> list[dict[str, str]]:
    main(["export", view, *DEMO, "--quiet", "--filter", filter_])
    out, _ = capsys.readouterr()
    return list(csv.DictReader(io.StringIO(out)))


def writes(session) -> list[str]:
    return [f"{e['method']} {e['path']}" for e in session.app.state.request_log
            if e["method"] in WRITES]


@pytest.fixture
def people(capsys) -> dict[str, list[dict[str, str]]]:
    users = export(capsys, "users", "status:active admin:no robot:no")
    return {"active": users, "admins": export(capsys, "users", "admin:yes status:active"),
            "blocked": export(capsys, "users", "status:blocked")}


def list_file(tmp_path, lines: list[str], name: str = "list.txt") -> str:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def test_block_from_a_csv_blocks_the_found_and_lists_the_unknown(tmp_path, capsys, sessions,
                                                                  people):
    a, b = people["active"][:2]
    path = tmp_path / "leavers.csv"
    path.write_text(f"\ufeffname,email\nX,{a['email']}\nY,{b['login']}\n\nZ,ghost@nowhere.ru\n"
                    f"X,{a['email'].upper()}\n", encoding="utf-8")
    code, out, err = run(capsys, "block", "--from", str(path), *DEMO, "--yes")
    assert code == 0, err
    assert 'Plan: Block: 2 user(s)' in out and 'column "email"' in out
    assert "line 5: ghost@nowhere.ru" in out and "no user has this e-mail" in out
    assert "same as line 2" in out
    assert "Result: 2 ok" in out
    org = sessions[-1].org
    for person in (a, b):
        assert org.users[person["id"]]["isEnabled"] is False, person["login"]
    journal = tmp_path / "data" / "y360tui" / "demo-journal" / f"demo-{org.id}.jsonl"
    assert journal.read_text().count('"user.block"') == 2
    assert sorted(writes(sessions[-1])) == sorted(
        f"PATCH /directory/v1/org/{org.id}/users/{p['id']}" for p in (a, b))


def test_dry_run_sends_no_write_and_changes_nothing(tmp_path, capsys, sessions, people):
    logins = [p["login"] for p in people["active"][:3]]
    for action, extra in [("block", []), ("sign-out", []), ("reset-2fa", []),
                          ("add-to-group", ["--group", "4"]), ("auth-type", ["--to", "idp"])]:
        code, out, err = run(capsys, action, "--from", list_file(tmp_path, logins), *extra, *DEMO,
                             "--dry-run")
        assert code == 0, (action, err)
        assert "Dry run: 3 planned" in out, action
        assert writes(sessions[-1]) == [], action
    assert all(sessions[-1].org.users[p["id"]]["isEnabled"] for p in people["active"][:3])


def test_unblock_sign_out_reset_2fa_and_auth_type(tmp_path, capsys, sessions, people):
    blocked = people["blocked"][:2]
    code, out, err = run(capsys, "unblock", "--from",
                         list_file(tmp_path, [p["id"] for p in blocked]), *DEMO, "-y")
    assert code == 0, err
    assert all(sessions[-1].org.users[p["id"]]["isEnabled"] for p in blocked)
    logins = list_file(tmp_path, [p["login"] for p in people["active"][:2]])
    for action, extra, path_part in [("sign-out", [], "/logout"), ("reset-2fa", [], "/2fa"),
                                     ("auth-type", ["--to", "idp", "--drop-otp"], "/auth_type")]:
        code, out, err = run(capsys, action, "--from", logins, *extra, *DEMO, "--yes")
        assert code == 0, (action, out, err)
        assert "Result: 2 ok" in out, (action, out)
        sent = writes(sessions[-1])
        assert len(sent) == 2 and all(path_part in w for w in sent), (action, sent)


def test_auth_type_to_portal_takes_the_password_from_the_environment(tmp_path, capsys,
                                                                     sessions, people,
                                                                     monkeypatch):
    logins = list_file(tmp_path, [people["active"][0]["login"]])
    code, _, err = run(capsys, "auth-type", "--to", "portal", "--from", logins, *DEMO, "--yes")
    assert code == 2 and "Y360_NEW_PASSWORD" in err
    monkeypatch.setenv("Y360_NEW_PASSWORD", "Very-long-Passw0rd!")
    code, out, err = run(capsys, "auth-type", "--to", "portal", "--from", logins, *DEMO,
                         "--yes")
    assert code == 0, out + err
    assert "Very-long-Passw0rd!" not in out + err


def test_add_to_and_remove_from_a_group(tmp_path, capsys, sessions, people):
    logins = [p["login"] for p in people["active"][:3]]
    path = list_file(tmp_path, logins)
    code, out, err = run(capsys, "add-to-group", "--group", "4", "--from", path, *DEMO, "--yes")
    assert code == 0, err
    assert "Result: 3 ok" in out
    # Each target names the member, not the group.
    assert all(login in out for login in logins)
    code, out, err = run(capsys, "remove-from-group", "--group", "4", "--from", path, *DEMO,
                         "--dry-run")
    assert code == 0
    assert out.count("no change needed") >= 3  # a fresh demo org: they are not members
    code, _, err = run(capsys, "add-to-group", "--group", "no such group", "--from", path,
                       *DEMO, "--yes")
    assert code == 2 and "no group has" in err
    code, _, err = run(capsys, "add-to-group", "--group", "1", "--from", path, *DEMO, "--yes")
    assert code == 2 and "system group" in err


def test_unpublish_by_owner_and_by_public_key(tmp_path, capsys, sessions):
    files = export(capsys, "shared-files")
    owner = files[0]["owner"]
    owned = [f for f in files if f["owner"] == owner]
    code, out, err = run(capsys, "unpublish", "--from", list_file(tmp_path, [owner]), *DEMO,
                         "--yes")
    assert code == 0, err
    assert f"Result: {len(owned)} ok" in out
    other = next(f for f in files if f["owner"] != owner)
    path = tmp_path / "keys.csv"
    path.write_text(f"public_key\n{other['public_key']}\nnot-a-key=\n", encoding="utf-8")
    code, out, err = run(capsys, "unpublish", "--from", str(path), *DEMO, "--yes")
    assert code == 0, err
    assert "Result: 1 ok" in out and "not-a-key=" in out


def test_a_failed_item_exits_1(tmp_path, capsys, sessions, people, monkeypatch):
    from y360tui.api.errors import Forbidden
    from y360tui.data.edits import calls

    first, second = people["active"][:2]
    real = calls.logout

    async def logout(client, uid):
        if uid == first["id"]:
            raise Forbidden(403, "the token may not sign this user out", code=7)
        await real(client, uid)

    monkeypatch.setattr(calls, "logout", logout)
    logins = list_file(tmp_path, [first["login"], second["login"]])
    code, out, err = run(capsys, "sign-out", "--from", logins, *DEMO, "--yes")
    assert code == 1, out + err
    assert "Result: 1 ok, 1 failed" in out
    result = out.split("Result:")[1]
    failed = next(line for line in result.splitlines() if line.startswith(first["login"] + " "))
    assert "failed" in failed and "may not sign this user out" in failed


def test_usage_errors_exit_2(tmp_path, capsys, sessions, people):
    path = list_file(tmp_path, [people["active"][0]["login"]])
    assert run(capsys, "add-to-group", "--from", path, *DEMO)[0] == 2  # no --group
    assert run(capsys, "block", "--group", "4", "--from", path, *DEMO)[0] == 2
    assert run(capsys, "auth-type", "--from", path, *DEMO)[0] == 2  # no --to
    assert run(capsys, "frobnicate", "--from", path, *DEMO)[0] == 2
    code, _, err = run(capsys, "block", "--from", str(tmp_path / "missing.txt"), *DEMO)
    assert code == 2 and "no such file" in err
    code, _, err = run(capsys, "block", "--from", list_file(tmp_path, ["# nothing"], "e"),
                       *DEMO)
    assert code == 2 and "no entries" in err


def test_without_yes_it_refuses_off_a_terminal_and_asks_on_one(tmp_path, capsys, sessions,
                                                               people, monkeypatch):
    person = people["active"][0]
    path = list_file(tmp_path, [person["login"]])
    code, out, err = run(capsys, "block", "--from", path, *DEMO)
    assert code == 2 and "give --yes" in err
    assert "Plan: Block: 1 user(s)" in out  # the plan is printed before the question
    assert writes(sessions[-1]) == []
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda question: "n")
    code, _, err = run(capsys, "block", "--from", path, *DEMO)
    assert code == 2 and "nothing was sent" in err and writes(sessions[-1]) == []
    monkeypatch.setattr("builtins.input", lambda question: "yes")
    code, out, _ = run(capsys, "block", "--from", path, *DEMO)
    assert code == 0 and "Result: 1 ok" in out
    assert sessions[-1].org.users[person["id"]]["isEnabled"] is False


def test_blocking_admins_warns_and_the_last_admin_needs_a_flag(tmp_path, capsys, sessions,
                                                               people):
    admins = people["admins"]
    assert len(admins) >= 2
    code, out, _ = run(capsys, "block", "--from", list_file(tmp_path, [admins[0]["login"]]),
                       *DEMO, "--dry-run")
    assert code == 0
    assert f"WARNING: blocks 1 administrator(s): {admins[0]['login']}" in out
    every = list_file(tmp_path, [a["login"] for a in admins])
    code, out, err = run(capsys, "block", "--from", every, *DEMO, "--yes")
    assert code == 2 and "last active administrator" in out and "--allow-last-admin" in err
    assert writes(sessions[-1]) == []
    code, out, err = run(capsys, "block", "--from", every, *DEMO, "--yes",
                         "--allow-last-admin")
    assert code == 0, err


def test_read_only_profile_refuses(tmp_path, capsys, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text('[profile.ro]\ntoken = "t"\norg_id = 1\nread_only = true\n')
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    (tmp_path / "y360tui").mkdir()
    config.rename(tmp_path / "y360tui" / "config.toml")
    path = list_file(tmp_path, ["ivan"])
    code, _, err = run(capsys, "block", "--from", path, "--profile", "ro", "--yes")
    assert code == 2 and "read-only" in err
