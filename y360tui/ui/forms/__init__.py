"""Issue 5's modals: edit forms, confirmation, pickers and the bulk screens, plus the flows
that chain them (``flow``) and the edit keys views mix in (``actions``)."""

from __future__ import annotations

from pathlib import Path

FORMS_CSS = Path(__file__).parent.parent / "styles" / "forms.tcss"
