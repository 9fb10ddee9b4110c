"""Every paging style through the one Page/Pager interface, against scripted servers."""

import asyncio

import httpx
import pytest

from y360tui.api import DecodeError, Page

from .mock import make_client


def users_server(total: int, hook=None):
    """Style (a) server over ``total`` users with ids "1".."total"."""
    seen = []

    async def handler(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params.get("page", 1))
        per = int(request.url.params["perPage"])
        seen.append(page)
        if hook:
            await hook()
        ids = range((page - 1) * per + 1, min(page * per, total) + 1)
        pages = -(-total // per)
        return httpx.Response(200, json={"users": [{"id": str(i)} for i in ids], "page": page,
                                         "pages": pages, "perPage": per, "total": total})

    return handler, seen


async def collect(pager):
    return [[item.id for item in page.items] async for page in pager]


async def test_numbered_empty_collection_yields_one_empty_page():
    handler, seen = users_server(0)
    async with make_client(handler) as client:
        pager = client.directory.users(10)
        pages = [p async for p in pager]
    assert len(pages) == 1 and pages[0].items == [] and not pages[0].has_more
    assert pager.total == 0 and seen == [1]


async def test_numbered_exactly_one_page_and_last_page_boundary():
    handler, seen = users_server(10)
    async with make_client(handler) as client:
        assert await collect(client.directory.users(10)) == [[str(i) for i in range(1, 11)]]
        assert seen == [1]
        seen.clear()
        handler2, seen2 = users_server(20)
    async with make_client(handler2) as client:
        pages = await collect(client.directory.users(10))
    assert len(pages) == 2 and seen2 == [1, 2]  # never asks for a page past the end


async def test_numbered_resume_and_random_access():
    handler, _ = users_server(25)
    async with make_client(handler) as client:
        pager = client.directory.users(10)
        first = await pager.get_page(1)
        assert (first.total, first.pages, first.cursor, first.has_more) == (25, 3, 2, True)
        rest = await collect(pager.resume_from(first.cursor))
        assert rest == [[str(i) for i in range(11, 21)], ["21", "22", "23", "24", "25"]]
        past = await pager.get_page(9)
        assert past.items == [] and not past.has_more
        with pytest.raises(ValueError, match="page number"):
            await pager.get_page(0)
        assert await collect(client.directory.users(10, start=3)) == [
            ["21", "22", "23", "24", "25"]]


async def test_fetch_all_bounded_concurrency_keeps_order():
    in_flight, peak = 0, 0

    async def hook():
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        for _ in range(5):  # yield to the loop so other requests can start
            await asyncio.sleep(0)
        in_flight -= 1

    handler, seen = users_server(95, hook)
    async with make_client(handler) as client:
        users = await client.directory.users(10).fetch_all(concurrency=3)
    assert [u.id for u in users] == [str(i) for i in range(1, 96)]
    assert seen[0] == 1 and sorted(seen) == list(range(1, 11))
    assert 1 < peak <= 3


async def test_fetch_all_failure_propagates():
    handler, _ = users_server(50)

    async def failing(request):
        if request.url.params["page"] == "3":
            return httpx.Response(404, json={"code": 5, "message": "gone", "details": []})
        return await handler(request)

    async with make_client(failing) as client:
        with pytest.raises(Exception, match="404"):
            await client.directory.users(10).fetch_all(concurrency=2)


def mail_server(n_events: int, page_size: int):
    def handler(request):
        offset = int(request.url.params.get("pageToken") or 0)
        size = int(request.url.params["pageSize"])
        assert size == page_size
        end = min(offset + size, n_events)
        events = [{"eventType": "message_seen", "uniqId": str(i)} for i in range(offset, end)]
        return httpx.Response(200, json={"events": events,
                                         "nextPageToken": str(end) if end < n_events else ""})
    return handler


async def test_token_style_and_resume():
    async with make_client(mail_server(7, 3)) as client:
        pages = [p async for p in client.audit.mail_log(3)]
        assert [len(p) for p in pages] == [3, 3, 1]
        assert pages[0].cursor == "3" and pages[-1].cursor is None and pages[0].total is None
        rest = [e.uniq_id async for e in client.audit.mail_log(3, start=pages[1].cursor).items()]
        assert rest == ["6"]


def events_server(n: int):
    def handler(request):
        key = request.url.params.get("iteration_key")
        start = int(key) if key else 0
        count = int(request.url.params["count"])
        end = min(start + count, n)
        items = [{"user_login": "a", "user_name": "A",
                  "event": {"type": "id_cookie.set", "org_id": 42}} for _ in range(start, end)]
        return httpx.Response(200, json={"items": items,
                                         "iteration_key": str(end) if end < n else None})
    return handler


async def test_iteration_key_style_and_resume():
    async with make_client(events_server(5)) as client:
        pager = client.audit.events("2026-01-31T00:00:00Z", count=2)
        pages = [p async for p in pager]
        assert [len(p) for p in pages] == [2, 2, 1]
        resumed = [p async for p in client.audit.events("2026-01-31T00:00:00Z", count=2,
                                                        start=pages[0].cursor)]
        assert [len(p) for p in resumed] == [2, 1]
    async with make_client(events_server(0)) as client:
        pages = [p async for p in client.audit.events("2026-01-31T00:00:00Z")]
        assert len(pages) == 1 and pages[0].items == []


def offset_server(n: int):
    seen = []

    def handler(request):
        offset, limit = int(request.url.params["offset"]), int(request.url.params["limit"])
        seen.append(offset)
        items = [{"public_hash": f"h{i}", "name": f"f{i}", "type": "file"}
                 for i in range(offset, min(offset + limit, n))]
        return httpx.Response(200, json={"items": items, "limit": limit, "offset": offset})

    return handler, seen


async def test_offset_style_short_page_ends_and_full_last_page_costs_one_empty_request():
    handler, seen = offset_server(5)
    async with make_client(handler) as client:
        pages = [p async for p in client.disk.admin_public_resources("7", 2)]
    assert [len(p) for p in pages] == [2, 2, 1] and seen == [0, 2, 4]
    handler, seen = offset_server(4)
    async with make_client(handler) as client:
        pages = [p async for p in client.disk.admin_public_resources("7", 2)]
        assert [len(p) for p in pages] == [2, 2] and seen == [0, 2, 4]  # empty tail not yielded
        resumed = [p async for p in client.disk.admin_public_resources("7", 2, start=2)]
        assert [r.name for r in resumed[0].items] == ["f2", "f3"]


def relative_server(uids):
    def handler(request):
        after = int(request.url.params.get("id") or 0)
        per = int(request.url.params["perPage"])
        rest = [u for u in uids if u > after]
        return httpx.Response(200, json={"users": [{"uid": u} for u in rest[:per]],
                                         "hasNext": len(rest) > per})
    return handler


async def test_tracker_relative_style():
    async with make_client(relative_server([3, 5, 8, 13, 21])) as client:
        pages = [p async for p in client.tracker.users_relative(2)]
        assert [[u.uid for u in p.items] for p in pages] == [[3, 5], [8, 13], [21]]
        resumed = await client.tracker.users_relative(2).resume_from(pages[0].cursor).all()
        assert [u.uid for u in resumed] == [8, 13, 21]


def header_server(n: int):
    def handler(request):
        page, per = int(request.url.params["page"]), int(request.url.params["perPage"])
        pages = -(-n // per)
        users = [{"uid": i} for i in range((page - 1) * per + 1, min(page * per, n) + 1)]
        headers = {"X-Total-Count": str(n), "X-Total-Pages": str(pages)}
        links = [f'<https://t/v3/users?page={{&page}}&perPage={per}>; rel="seek"']
        if page < pages:
            links.insert(0, f'<https://t/v3/users?page={page + 1}&perPage={per}>; rel="next"')
        headers["Link"] = ", ".join(links)
        return httpx.Response(200, json=users, headers=headers)
    return handler


async def test_tracker_header_style():
    async with make_client(header_server(5)) as client:
        pager = client.tracker.users(2)
        pages = [p async for p in pager]
        assert [len(p) for p in pages] == [2, 2, 1] and pager.total == 5
        assert [u.uid for u in await client.tracker.users(2).fetch_all(concurrency=2)] == [
            1, 2, 3, 4, 5]
        assert [u.uid for u in (await client.tracker.users(2).get_page(3)).items] == [5]


async def test_a_cursor_that_does_not_advance_is_an_error():
    def stuck(request):
        return httpx.Response(200, json={"events": [{"eventType": "message_seen"}],
                                         "nextPageToken": "same"})
    async with make_client(stuck) as client:
        with pytest.raises(DecodeError, match="did not advance"):
            await client.audit.mail_log(1).all()


def test_page_len():
    assert len(Page([1, 2])) == 2
