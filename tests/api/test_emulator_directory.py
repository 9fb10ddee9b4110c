"""The client against the emulator: Directory endpoints and their paging."""

import pytest

from y360tui.api import (
    BadRequest,
    Conflict,
    Contact,
    ContactType,
    Department,
    Forbidden,
    Group,
    NotFound,
    Unauthorized,
    User,
    Y360Client,
)

from .conftest import token_for


async def test_users_pages_concatenate_to_every_user_once(client, org):
    pager = client.directory.users(7)
    pages = [p async for p in pager]
    ids = [u.id for p in pages for u in p.items]
    visible = [uid for uid in org.users if uid not in org.hidden_users]
    assert ids == visible
    assert pager.total == len(visible) == pages[0].total
    assert [p.number for p in pages] == list(range(1, len(pages) + 1))
    assert not pages[-1].has_more and pages[-1].cursor is None


async def test_users_fetch_all_concurrent_equals_sequential(client):
    sequential = await client.directory.users(9).all()
    concurrent = await client.directory.users(9).fetch_all(concurrency=4)
    assert [u.id for u in concurrent] == [u.id for u in sequential]
    assert all(isinstance(u, User) for u in concurrent)


async def test_users_exactly_one_page_boundary_and_resume(client):
    total = (await client.directory.users(1).get_page(1)).total
    one = [p async for p in client.directory.users(total)]
    assert len(one) == 1 and len(one[0]) == total and not one[0].has_more
    past = await client.directory.users(total).get_page(2)
    assert past.items == [] and past.total == total
    first = await client.directory.users(10).get_page(1)
    rest = await client.directory.users(10).resume_from(first.cursor).all()
    assert len(first) + len(rest) == total
    assert rest[0].id not in {u.id for u in first.items}


async def test_get_create_update_block_delete_user(client, org):
    admin = await client.directory.get_user(org.admin_uid)
    assert admin.id == org.admin_uid and admin.is_admin
    created = await client.directory.create_user(
        "new.person", {"first": "Anna", "last": "Smirnova"}, "S3cret-pass", 1,
        position="QA", contacts=[Contact(type=ContactType.PHONE, value="+7 900 000-00-00")])
    assert created.nickname == "new.person" and created.is_enabled
    assert any(c.type is ContactType.PHONE for c in created.contacts)
    with pytest.raises(Conflict) as info:
        await client.directory.create_user("new.person", {"first": "A", "last": "B"}, "pw123456", 1)
    assert info.value.code == 6 and info.value.message
    blocked = await client.directory.update_user(created.id, is_enabled=False, position="Lead")
    assert not blocked.is_enabled and blocked.position == "Lead"
    assert blocked.is_enabled_updated_at is not None
    removed = await client.directory.delete_user(created.id)
    assert removed.is_dismissed
    # Removed users stay readable by id but leave the lists (reference §6.6).
    assert created.id not in {u.id for u in await client.directory.users(100).all()}


async def test_unknown_user_is_not_found_with_api_message(client, org):
    with pytest.raises(NotFound) as info:
        await client.directory.get_user("1130000099999999")
    error = info.value
    assert error.code == 5 and error.message
    assert str(error).startswith(f"404 Not Found: GET /directory/v1/org/{org.id}/users/")


async def test_contacts_aliases_2fa_auth_type(client, org):
    uid = org.admin_uid
    user = await client.directory.set_contacts(uid, [{"type": "skype", "value": "boss"}])
    manual = [c for c in user.contacts if not c.synthetic]
    assert [(c.type, c.value) for c in manual] == [(ContactType.SKYPE, "boss")]
    user = await client.directory.delete_contacts(uid)
    assert all(c.synthetic for c in user.contacts)
    user = await client.directory.add_user_alias(uid, "the.boss")
    assert "the.boss" in user.aliases
    removed = await client.directory.remove_user_alias(uid, "the.boss")
    assert removed.alias == "the.boss" and removed.removed
    two_fa = await client.directory.get_user_2fa(uid)
    assert two_fa.user_id == uid and isinstance(two_fa.has2fa, bool)
    await client.directory.reset_user_2fa(uid)
    assert not (await client.directory.get_user_2fa(uid)).has_security_phone
    await client.directory.set_auth_type(uid, "idp", drop_otp=True)
    with pytest.raises(BadRequest) as info:
        await client.directory.set_auth_type(uid, "portal")  # idp -> portal needs a password
    assert info.value.message
    await client.directory.set_auth_type(uid, "portal", password="N3w-pass",
                                         password_change_required=True)


async def test_departments(client):
    pages = [p async for p in client.directory.departments(3, order_by="name")]
    names = [d.name for p in pages for d in p.items]
    assert names == sorted(names)
    root_children = await client.directory.departments(100, parent_id=1).all()
    assert root_children and all(d.parent_id == 1 for d in root_children)
    dep = await client.directory.create_department("QA guild", 1, label="qa-guild",
                                                   description="testers")
    assert isinstance(dep, Department) and dep.parent_id == 1
    assert (await client.directory.get_department(dep.id)).name == "QA guild"
    dep = await client.directory.update_department(dep.id, name="QA")
    assert dep.name == "QA"
    dep = await client.directory.add_department_alias(dep.id, "qa-team")
    assert "qa-team" in dep.aliases
    assert (await client.directory.remove_department_alias(dep.id, "qa-team")).removed
    gone = await client.directory.delete_department(dep.id)
    assert gone.id == dep.id and gone.removed
    with pytest.raises(NotFound):
        await client.directory.get_department(dep.id)


async def test_groups_v1_and_v2_members_and_admins(client, org):
    groups = await client.directory.groups(5).fetch_all(concurrency=2)
    assert groups and all(isinstance(g, Group) for g in groups)
    group = await client.directory.create_group("Readers", label="readers-club",
                                                description="book club")
    assert group.members_count == 0
    some = [uid for uid in org.users if uid not in org.hidden_users][:3]
    change = await client.directory.add_group_member(group.id, some[0])
    assert change.added and change.id == some[0]
    members = await client.directory.group_members(group.id)
    assert [u.id for u in members.users] == [some[0]]
    await client.directory.add_group_members_v2(group.id, user_ids=some[1:], department_ids=[1])
    v2 = await client.directory.group_members_v2(group.id)
    assert {u.id for u in v2.users} == set(some) and [d.id for d in v2.departments] == [1]
    assert v2.external_contacts == [] and v2.shared_mailboxes == []
    await client.directory.delete_group_members_v2(group.id, user_ids=[some[2]])
    deleted = await client.directory.remove_group_member(group.id, some[1])
    assert deleted.deleted
    with_admins = await client.directory.set_group_admins(group.id, [org.admin_uid])
    assert with_admins.admin_ids == [org.admin_uid]
    assert (await client.directory.clear_group_admins(group.id)).admin_ids == []
    updated = await client.directory.update_group(group.id, name="Readers 2")
    assert updated.name == "Readers 2"
    cleared = await client.directory.clear_group_members(group.id)
    assert [d.id for d in cleared.departments] == [1]
    assert (await client.directory.get_group(group.id)).members_count == 0
    assert (await client.directory.delete_group(group.id)).removed


async def test_organizations(client, org):
    pages = [p async for p in client.directory.organizations(1)]
    assert org.id in [o.id for p in pages for o in p.items]
    assert (await client.directory.organization()).id == org.id


async def test_bad_token_is_unauthorized(app, org):
    import httpx

    async with Y360Client("not-a-token", org.id, transport=httpx.ASGITransport(app)) as bad:
        with pytest.raises(Unauthorized) as info:
            await bad.directory.get_user(org.admin_uid)
    assert info.value.code == 16 and "not-a-token" not in str(info.value)


async def test_read_only_token_is_forbidden_to_write(app, org):
    import httpx

    async with Y360Client(token_for(org, "ro"), org.id, transport=httpx.ASGITransport(app)) as ro:
        assert (await ro.directory.get_user(org.admin_uid)).id == org.admin_uid
        with pytest.raises(Forbidden) as info:
            await ro.directory.update_user(org.admin_uid, position="x")
    assert info.value.status == 403 and info.value.code == 7


async def test_invalid_form_sends_nothing(client, app):
    before = len(app.state.request_log)
    with pytest.raises(ValueError):
        await client.directory.update_user("1130000000000001", birthday="01.02.1990")
    assert len(app.state.request_log) == before


async def test_unknown_fields_and_enum_values_from_the_server(client, org):
    # A newer server: an extra key, an unseen contact type and group type.
    user = org.users[org.admin_uid]
    user["futureField"] = {"x": 1}
    user["contacts"].append({"type": "telegram", "value": "@boss", "main": False,
                             "alias": False, "synthetic": False})
    got = await client.directory.get_user(org.admin_uid)
    assert got.model_extra["futureField"] == {"x": 1}
    assert [c.type.is_known for c in got.contacts if c.value == "@boss"] == [False]
    gid = next(iter(org.groups))
    org.groups[gid]["type"] = "smart_group"
    group = await client.directory.get_group(gid)
    assert group.type == "smart_group" and not group.type.is_known


async def test_user_briefs_carry_the_list_fields_of_full_users(client, org):
    full = await client.directory.users(50).get_page(2)
    brief = await client.directory.user_briefs(50).get_page(2)
    assert brief.total == full.total and len(brief.items) == len(full.items)
    for b, u in zip(brief.items, full.items, strict=True):
        assert (b.id, b.nickname, b.email, b.department_id, b.position, b.display_name,
                b.name.full, b.is_admin, b.is_robot, b.is_dismissed, b.is_enabled) == (
            u.id, u.nickname, u.email, u.department_id, u.position, u.display_name,
            u.name.full, u.is_admin, u.is_robot, u.is_dismissed, u.is_enabled)
        assert not hasattr(b, "contacts")  # the rest of the user is not decoded at all
