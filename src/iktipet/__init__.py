"""Iktipet: one digital foundation for a municipality's citizen services."""

__version__ = "0.1.0"
