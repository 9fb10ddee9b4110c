"""y360tui: a keyboard-driven terminal explorer for Yandex 360 for Business."""

__version__ = "0.1.0"
