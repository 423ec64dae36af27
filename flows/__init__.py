"""Prefect flows: thin wiring of the ``newsfacts`` package's stages as tasks."""
