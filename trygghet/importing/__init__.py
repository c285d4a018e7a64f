"""Uploaded activity logs: reading files, checking cells, staging and importing as one batch."""
