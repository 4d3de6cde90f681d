"""Organisations funded for adultes-relais and FONJEP posts: read, identified and written at build time."""
