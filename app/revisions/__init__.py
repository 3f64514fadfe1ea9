"""Revisions of an article: carrying claims from one text to the next (pure, no Qt, no database)."""
