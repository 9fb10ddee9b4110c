"""The worker/data layer between the API client and the UI: paged lists, lookups, config,
demo wiring, edit journal. Imports nothing from Textual."""
