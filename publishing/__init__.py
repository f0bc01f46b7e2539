"""What a run publishes, as a library without Dagster: the serving targets (``serving``, ``serving_postgres``),
the briefing pack (``pack``), the CLI's readout of the figures (``briefing``) and the measures they share
(``measures``). ``orchestration/`` calls these from its assets and its command line; nothing here imports it.
"""
