"""The forecast: children looked after, and their cost, with and without the service.

A pure engine (numpy, and polars for reading; no Django import outside ``apps.py``, the
management command, the ``from_database`` adapter and the page in ``web/``), fed by thin
adapters: ``from_903`` (a folder of SSDA903 files) and ``from_database`` (the council's records).
Start at ``api.run_forecast``; docs/forecast.md explains the model, its states and priors, the
scenario file and its sources, the page, and the speed.

Nothing is imported here, so that Django loading the app does not load numpy.
"""
