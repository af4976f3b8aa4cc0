"""The person's own account: password, e-mail address, calendar feed, and their data."""
