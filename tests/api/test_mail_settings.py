"""The per-user mail settings client (``client.mail_settings``) against the emulator and scripted
servers: every method, writes read back, checks before sending, typed errors, tolerance of
unknown fields and enum values, empty answers, the family's own host."""

from __future__ import annotations

import json

import httpx
import pytest

from y360tui.api import Y360Client
from y360tui.api.errors import BadRequest, Forbidden, NotFound
from y360tui.api.models.mail_settings import SenderInfo, Signature, SignPosition

from .conftest import token_for
from .mock import Script, make_client


def with_rules(org, kind: str) -> str:
    """A generated user who has a rule of ``kind`` (``forwards``/``autoreplies``)."""
    store = org.mail_settings
    return next(uid for uid in store.generated_uids() if store.peek(uid)["rules"][kind])


async def test_sender_info_typed(client, org) -> None:
    store = org.mail_settings
    uid = next(u for u in store.generated_uids() if store.peek(u)["sender_info"]["signs"])
    info = await client.mail_settings.sender_info(uid)
    user = org.users[uid]
    assert info.default_from == user["email"]
    assert info.from_name == f"{user['name']['first']} {user['name']['last']}"
    assert info.sign_position in (SignPosition.BOTTOM, SignPosition.UNDER)
    sign = info.signs[0]
    assert sign.is_default and sign.lang in ("ru", "en") and sign.emails == [user["email"]]
    assert user["name"]["last"] in sign.text or sign.lang == "en"


async def test_set_sender_info_then_read(client, org) -> None:
    uid = org.users[next(iter(org.users))]["id"]
    info = await client.mail_settings.sender_info(uid)
    info.from_name = "Служба качества"
    info.sign_position = SignPosition.UNDER
    info.signs = [Signature(text="--\nС уважением", lang="ru", emails=[info.default_from],
                            is_default=True)]
    answer = await client.mail_settings.set_sender_info(uid, info)
    assert answer.from_name == "Служба качества"
    again = await client.mail_settings.sender_info(uid)
    assert again.sign_position is SignPosition.UNDER
    assert [s.text for s in again.signs] == ["--\nС уважением"]


async def test_sender_info_refused_before_sending(client, app) -> None:
    sent = len(app.state.request_log)
    with pytest.raises(ValueError, match="e-mail address"):
        await client.mail_settings.set_sender_info("1130000000000001",
                                                   {"defaultFrom": "not an address"})
    with pytest.raises(ValueError, match="numeric user id"):
        await client.mail_settings.sender_info("ivan")
    assert len(app.state.request_log) == sent


async def test_rules_typed_and_outside_forwards_present(client, org) -> None:
    uid = with_rules(org, "forwards")
    rules = await client.mail_settings.rules(uid)
    forward = rules.forwards[0]
    assert forward.rule_id > 0 and "@" in forward.address
    assert isinstance(forward.with_store, bool)
    reply_uid = with_rules(org, "autoreplies")
    reply = (await client.mail_settings.rules(reply_uid)).autoreplies[0]
    assert reply.rule_id > 0 and reply.text


async def test_add_forward_and_autoreply_then_delete(client, org) -> None:
    uid = org.users[next(iter(org.users))]["id"]
    colleague = f"colleague@{org.domain}"
    fid = await client.mail_settings.add_forward(uid, colleague, name="boss", keep_copy=False)
    rid = await client.mail_settings.add_autoreply(uid, "В отпуске до 1 июля", name="Отпуск")
    rules = await client.mail_settings.rules(uid)
    assert [(f.rule_id, f.address, f.with_store) for f in rules.forwards][-1] == \
        (fid, colleague, False)
    assert rules.autoreplies[-1].rule_id == rid
    await client.mail_settings.delete_rule(uid, fid)
    await client.mail_settings.delete_rule(uid, str(rid))
    rules = await client.mail_settings.rules(uid)
    assert fid not in [f.rule_id for f in rules.forwards]
    assert rid not in [a.rule_id for a in rules.autoreplies]
    with pytest.raises(NotFound):
        await client.mail_settings.delete_rule(uid, fid)


async def test_forward_outside_is_the_servers_400(client, org) -> None:
    uid = org.users[next(iter(org.users))]["id"]
    with pytest.raises(BadRequest, match=r"forward\.address"):
        await client.mail_settings.add_forward(uid, "someone@gmail.com")


async def test_rule_arguments_checked_before_sending(client, app) -> None:
    sent = len(app.state.request_log)
    with pytest.raises(ValueError, match="e-mail address"):
        await client.mail_settings.add_forward("1130000000000001", "x@")
    with pytest.raises(ValueError, match="keep_copy"):
        await client.mail_settings.add_forward("1130000000000001", "a@b.ru", keep_copy="yes")
    with pytest.raises(ValueError, match="text"):
        await client.mail_settings.add_autoreply("1130000000000001", " ")
    with pytest.raises(ValueError, match="rule_id"):
        await client.mail_settings.delete_rule("1130000000000001", 0)
    assert len(app.state.request_log) == sent


async def test_address_book_read_and_set(client, org) -> None:
    uid = org.users[next(iter(org.users))]["id"]
    before = (await client.mail_settings.address_book(uid)).collect_addresses
    after = await client.mail_settings.set_address_book(uid, not before)
    assert after.collect_addresses is (not before)
    assert (await client.mail_settings.address_book(uid)).collect_addresses is (not before)


async def test_unknown_user_is_404(client) -> None:
    with pytest.raises(NotFound, match="not found"):
        await client.mail_settings.rules("1130000000000000")


async def test_readonly_token_reads_but_cannot_write(client, org, app) -> None:
    uid = with_rules(org, "forwards")
    async with Y360Client(token=token_for(org, "ro"), org_id=org.id,
                          transport=httpx.ASGITransport(app)) as ro:
        rules = await ro.mail_settings.rules(uid)
        with pytest.raises(Forbidden):
            await ro.mail_settings.delete_rule(uid, rules.forwards[0].rule_id)
    assert (await client.mail_settings.rules(uid)).forwards == rules.forwards


async def test_unknown_fields_and_enum_values_tolerated() -> None:
    sender = {"defaultFrom": "a@corp.example", "fromName": "A", "signPosition": "top",
              "signs": [{"text": "t", "lang": "kk", "emails": [], "isDefault": False,
                         "html": True}], "replyTo": "b@corp.example"}
    rules = {"forwards": [{"ruleId": 5, "ruleName": "x", "address": "b@corp.example",
                           "withStore": True, "enabled": False}],
             "autoreplies": [{"ruleId": 6, "ruleName": "", "text": "away", "until": "2025"}],
             "filters": []}
    book = {"collectAddresses": True, "shared": False}
    script = Script(httpx.Response(200, json=sender), httpx.Response(200, json=rules),
                    httpx.Response(200, json=book))
    async with make_client(script) as client:
        info = await client.mail_settings.sender_info(7)
        assert info.sign_position.value == "top" and not info.sign_position.is_known
        assert info.model_extra == {"replyTo": "b@corp.example"}
        assert info.signs[0].model_extra == {"html": True}
        got = await client.mail_settings.rules(7)
        assert got.forwards[0].model_extra == {"enabled": False}
        assert got.autoreplies[0].text == "away" and got.model_extra == {"filters": []}
        assert (await client.mail_settings.address_book(7)).collect_addresses is True
    assert [r.url.path for r in script.requests] == [
        f"/admin/v1/org/42/mail/users/7/settings/{s}"
        for s in ("sender_info", "user_rules", "address_book")]


async def test_empty_answers() -> None:
    script = Script(httpx.Response(200, json={}))
    async with make_client(script) as client:
        info = await client.mail_settings.sender_info(7)
        assert info == SenderInfo() and info.sign_position is None
        rules = await client.mail_settings.rules(7)
        assert rules.forwards == [] and rules.autoreplies == []
        assert (await client.mail_settings.address_book(7)).collect_addresses is False


async def test_bodies_sent() -> None:
    script = Script(httpx.Response(200, json={"ruleId": 9}))
    async with make_client(script) as client:
        assert await client.mail_settings.add_forward(7, "b@corp.example", name="n") == 9
        assert await client.mail_settings.add_autoreply(7, "away") == 9
    bodies = [json.loads(r.content) for r in script.requests]
    assert bodies == [{"forward": {"address": "b@corp.example", "ruleName": "n",
                                   "withStore": True}},
                      {"autoreply": {"ruleName": "", "text": "away"}}]


async def test_family_host() -> None:
    script = Script(httpx.Response(200, json={"collectAddresses": False}))
    async with make_client(script,
                           family_urls={"mail_settings": "https://mail.example"}) as client:
        await client.mail_settings.address_book(7)
    assert script.requests[0].url.host == "mail.example"
