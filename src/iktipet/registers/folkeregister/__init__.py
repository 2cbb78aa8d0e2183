"""Skatteetaten's Folkeregister API: the HTTP client and the population-register plugin."""
