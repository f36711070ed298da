"""What a user receives: the wheel in a fresh venv, the PyInstaller bundle."""
