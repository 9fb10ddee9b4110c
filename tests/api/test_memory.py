"""``bulk_decode()``: the collector is paused in the block, then what it made is frozen."""

import gc
import weakref

import pytest

from y360tui.api import UsersPage, bulk_decode


@pytest.fixture(autouse=True)
def collector_restored():
    """Each test starts with the collector on and nothing frozen, and leaves it so."""
    gc.unfreeze()
    gc.enable()
    yield
    gc.unfreeze()
    gc.enable()


def page_bytes(n: int) -> bytes:
    users = ",".join(f'{{"id":"{i}","name":{{"first":"A"}},"contacts":[{{"type":"email"}}]}}'
                     for i in range(n))
    return f'{{"users":[{users}],"page":1,"pages":1,"perPage":{n},"total":{n}}}'.encode()


def test_collector_paused_inside_and_back_on_after():
    with bulk_decode():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_decoded_models_are_frozen_and_still_usable():
    with bulk_decode():
        page = UsersPage.model_validate_json(page_bytes(50))
    assert gc.get_freeze_count() > 50 * 3  # each user, its name and its contacts list
    assert [u.id for u in page.users][:3] == ["0", "1", "2"]
    assert page.users[0].name.first == "A"


class Node:
    """Something that can sit in a reference cycle and be weakly referenced."""


def cycle_made_in(block) -> weakref.ref:
    """A weak reference to one node of a two-node cycle dropped inside ``block``."""
    with block:
        a, b = Node(), Node()
        a.other, b.other = b, a
        ref = weakref.ref(a)
        del a, b
    return ref


def test_cycles_made_in_the_block_are_frozen_by_default():
    assert cycle_made_in(bulk_decode())() is not None
    gc.unfreeze()
    gc.collect()


def test_collect_frees_cycles_made_in_the_block_before_freezing():
    assert cycle_made_in(bulk_decode(collect=True))() is None


def test_collector_restored_when_the_block_raises():
    with pytest.raises(RuntimeError), bulk_decode():
        raise RuntimeError("boom")
    assert gc.isenabled()
    assert gc.get_freeze_count() > 0


def test_nested_blocks_freeze_once_at_the_outer_end():
    with bulk_decode():
        with bulk_decode():
            pass
        assert not gc.isenabled()  # the inner block did not turn it back on
        assert gc.get_freeze_count() == 0
    assert gc.isenabled() and gc.get_freeze_count() > 0


def test_collector_left_off_when_the_caller_had_turned_it_off():
    gc.disable()
    with bulk_decode():
        pass
    assert not gc.isenabled()
    assert gc.get_freeze_count() == 0
