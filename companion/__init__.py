"""Grounding Companion: short grounding practices between therapy sessions."""

__version__ = "0.1.0"
