"""Helpers shared by the capabilities (no capability imports)."""
