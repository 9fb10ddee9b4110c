"""Keys a fast typist (or a paste) delivers in one burst: the ones after / or Ctrl+P land in the
box that key opens, never in the list as commands (t would open an edit form)."""

from textual import events
from textual.keys import _character_to_key

from tests.ui.pilot import settle


def burst(app, text):
    for ch in text:  # queued at once, as a terminal delivers fast typing
        app.post_message(events.Key(_character_to_key(ch), ch))


async def test_keys_typed_in_one_burst_after_slash_go_to_the_filter(make_app):
    app = make_app(users_page_size=100)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        burst(app, "/status:blocked name:/ов$/")
        await settle(app, pilot)
        assert screen.query_one("#filter").value == "status:blocked name:/ов$/"
        assert app.screen is screen


async def test_keys_typed_in_one_burst_after_ctrl_p_go_to_the_palette(make_app):
    app = make_app(users_page_size=100)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        app.post_message(events.Key("ctrl+p", None))
        burst(app, "tikhonov")
        await settle(app, pilot)
        from textual.command import CommandPalette
        assert isinstance(app.screen, CommandPalette)
        assert app.screen.query_one("Input").value == "tikhonov"


async def test_a_letter_typed_in_one_burst_after_0_opens_that_view(make_app):
    """0 then r, as fast as a terminal delivers them: the Go-to menu takes the r."""
    app = make_app(users_page_size=100)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        burst(app, "0r")
        await settle(app, pilot)
        assert app.current_mode == "mail-routing"
