"""Design Academy Studio: the shell and the infrastructure both features share."""

__version__ = "0.1.0"
APP_NAME = "Design Academy Studio"
