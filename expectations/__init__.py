"""Great Expectations suites as code, one module per subject.

Each suite module lists its checks and exposes ``validate(frame) -> SuiteOutcome``; the
runner turns Great Expectations' verdicts into one outcome per check per district and
month, which the Dagster asset checks report and ``audit.validation_results`` keeps.
Great Expectations itself is imported only when a suite runs (its import takes seconds).
"""
