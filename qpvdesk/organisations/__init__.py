"""Organisations the State funds (adultes-relais and FONJEP posts, ANCT open data): run-time side."""
