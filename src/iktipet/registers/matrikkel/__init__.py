"""Kartverket's matrikkel (property register), reached through an HTTP facade."""
