"""Territories from open data (build time): read the files, assemble them in memory, write them to the catalogue."""
