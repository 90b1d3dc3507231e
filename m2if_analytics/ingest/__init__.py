"""Ingestion: one module per source format; every file is one transaction with an account."""
