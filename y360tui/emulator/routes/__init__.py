"""One module per API family, each exposing ``routes`` (a list of Starlette routes)."""
