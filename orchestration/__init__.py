"""Dagster orchestration of the NTM-OCOP warehouse.

Importing this package gives the path settings their defaults (see ``settings``), so
``dagster dev``, the CLI and the tests all resolve the same paths.
"""

from orchestration import settings

settings.apply_defaults()
