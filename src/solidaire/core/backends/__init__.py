"""Database backends (decision 0030)."""
