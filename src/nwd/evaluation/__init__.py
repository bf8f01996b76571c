"""Evidence: the evaluation's indicators, before and after support, the trial's outcome, money, reports.

- ``registry``: the one list of indicators (definition, window, who is counted, what is left out,
  and the function that computes each); ``indicators``, ``trial`` and ``money`` register them.
- ``queries``: every read, once per report, as arrays; ``windows``: the before and after windows
  and counting inside them; ``placements``: placement groups and moves per care episode.
- ``before_after``: each measure in the 12 months either side of the start of support.
- ``trial``: the national trial's outcome (Kaplan-Meier and Wilson); ``money``: spend and the cost
  avoided; ``forecast_link``: the forecast engine's counterfactual.
- ``report``: ``build_report`` for the ``nwd report`` command and the dashboard, ``render_pdf``,
  ``render_xlsx``. ``docs`` prints docs/indicators.md from the registry (``nwd indicators_doc``).
"""
