"""The Textual explorer: ``app.Y360App``, screens (one module per view), widgets, styles.

Start with ``run.run_app(args)``; views register themselves in ``registry``.
"""
