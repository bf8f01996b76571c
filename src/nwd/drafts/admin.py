"""Drafts are not shown in the admin: they are a user's unfinished work, and personal data."""
