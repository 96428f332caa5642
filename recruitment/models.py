"""Matches and placements live here (matching-engine and placement issues); nothing yet."""
