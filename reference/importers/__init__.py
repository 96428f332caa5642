"""Importers that load published reference data (ESCO, ISCO-08) from the files their publishers ship."""
