"""Revision files (loaded by path by Alembic; a package so PyInstaller and linters see them)."""
