"""nwd: the platform a council runs its No Wrong Door service on."""

__version__ = "0.1.0"
