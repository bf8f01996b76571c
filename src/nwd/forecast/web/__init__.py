"""The forecast page (/forecast/): the fan charts, and a scenario's main numbers to change and rerun.

For analysts and service managers (``forecast.use``). The engine (``nwd.forecast.api``) knows
nothing of Django; this package is the page around it:

- ``forms``: the scenario's main numbers, in the words a finance officer uses, laid over the
  defaults of ``default_scenario.toml``;
- ``runs``: reads the records (``nwd.forecast.from_database``), keeps the rates learnt from them
  per state of the data, and keeps each run's figures, so a rerun with changed numbers skips the
  learning, and the same numbers again (or a download) skip the run;
- ``charts``: the fan charts as inline SVG (matplotlib, no script, no inline CSS), with a title,
  a description and their numbers as a table;
- ``tables``: the summary tables, as text;
- ``views``, ``urls``: the page and its downloads (JSON, spreadsheet), audited.

The page shows figures only: no young person's name or id (the examples of rows left out of the
rates, which carry child ids, are dropped from the page and its downloads).
"""
