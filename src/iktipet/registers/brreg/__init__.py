"""Brønnøysundregistrene's open Enhetsregisteret API: HTTP client and organisation plugin."""
