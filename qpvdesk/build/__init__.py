"""Build-time code: reads resources/ and writes data.sqlite (never imported at run time)."""
