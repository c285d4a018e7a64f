"""Self-service exploration: the filter model behind a bookmarked link, period links and downloads."""
