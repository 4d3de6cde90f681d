"""Qt widgets and item models: a thin layer over qpvdesk.service (no SQL here)."""
