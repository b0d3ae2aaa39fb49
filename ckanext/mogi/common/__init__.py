"""Helpers shared by the capabilities of the bundle (they import no capability)."""
