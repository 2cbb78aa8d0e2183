"""Kartverket's open address API at Geonorge (ws.geonorge.no/adresser/v1)."""
