"""Data in: reading sales files (CSV uploads, Google Sheets exports) into orders."""
