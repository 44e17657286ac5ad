"""Browser tests of the built documentation site (see conftest.py)."""
