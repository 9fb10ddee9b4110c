"""Screens: every module here is imported at start-up and registers its views (registry.py)."""
