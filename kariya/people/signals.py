"""Signals people sends for other apps' derived data (people depends on no app above it)."""

from django.dispatch import Signal

profile_changed = Signal()
"""Sent inside the transaction when a person's current commune was set or changed, with
``person_ids`` (a list of primary keys). ``cases`` rewrites the case list's keys from it."""
