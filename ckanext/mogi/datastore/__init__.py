"""Typed DataStore loads of validated tables, their previews and their status."""
