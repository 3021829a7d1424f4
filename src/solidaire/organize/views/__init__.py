"""The organizer pages under /<lang>/organize/, one module per section."""
