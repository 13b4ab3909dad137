"""HTML reports (see issue 5)."""
