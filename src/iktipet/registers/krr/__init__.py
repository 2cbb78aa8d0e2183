"""Kontakt- og reservasjonsregisteret (Digdir): HTTP client and contact-register plugin."""
