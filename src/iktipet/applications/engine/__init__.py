"""The form engine: a service definition + a draft's answers → pages, errors, a summary."""
