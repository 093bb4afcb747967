"""All SQL lives here. Repositories take a Session and never commit: the caller owns the unit of work."""
