"""iCalendar files and add-to-calendar links (contract; filled in by the events core work)."""
