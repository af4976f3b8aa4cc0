"""The life of personal data: a person's own export, erasing a departed person, retention,
and what leaving a team ends.

What each table holds and how long it is kept is written up in docs/data-inventory.md;
the rules in ``retention.RETENTION_RULES`` are that document's retention column in code.
"""
