"""Great Expectations suites as code, one module per subject.

Each suite module declares its table and its checks; ``runner.validate(suite, frame)`` turns
Great Expectations' verdicts into one outcome per check per district and month, which the
Dagster asset checks report and ``audit.validation_results`` keeps. Great Expectations itself
is imported only when a suite runs (its import takes seconds).
"""

from expectations import (
    commune_totals,
    coverage,
    internal_consistency,
    ocop_star_counts,
    plausibility,
    reference_integrity,
    unit_consistency,
    unit_totals,
)

SUITES = (
    ocop_star_counts,
    unit_totals,
    commune_totals,
    internal_consistency,
    unit_consistency,
    reference_integrity,
    coverage,
    plausibility,
)
