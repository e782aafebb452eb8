"""Bundled context cue rules (data)."""
