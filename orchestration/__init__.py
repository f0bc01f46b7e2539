"""Dagster orchestration of the NTM-OCOP warehouse.

Importing this package writes nothing and changes no environment variable: paths and options
are built once by ``orchestration.settings.Settings.load()`` and passed down.
"""
