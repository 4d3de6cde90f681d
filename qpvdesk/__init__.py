"""qpvdesk: an offline explorer of the French politique de la ville."""

__version__ = "0.1.0"
APP_NAME = "qpvdesk"
APP_TITLE = "qpvdesk — politique de la ville"
