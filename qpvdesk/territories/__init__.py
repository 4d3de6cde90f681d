"""Territories from open data: QPV, communes, départements, régions and programme sites."""
