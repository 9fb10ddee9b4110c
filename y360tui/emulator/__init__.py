"""An emulator of the Yandex 360 APIs over a generated demo organisation.

Stands alone: it imports nothing from ``y360tui.api``, ``y360tui.data`` or ``y360tui.ui``.
``create_app(org)`` returns one Starlette ASGI application serving every host of the
reference (api360, cloud-api, oauth, tracker) — their path prefixes do not collide.
"""
