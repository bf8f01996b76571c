"""A forecast run in the background (``nwd worker``), not in the request.

Reading the records, learning the rates and running thousands of draws takes seconds (more at
scale 10), too long for a request a proxy may cut off. The page starts a job with the scenario's
numbers (the address's query string: figures, nothing personal); the worker runs the forecast (and
the default scenario beside it when numbers were changed) and keeps the outcome beside the job
(``nwd.jobs.outputs``); the job's page follows it and then shows the figures, the charts and the
downloads, read from what was kept. The worker's own cache (``nwd.forecast.web.runs``) keeps the
learnt rates and the runs between jobs, as the page did.
"""

from __future__ import annotations

from typing import Any

from django.http import QueryDict
from django_tasks import task

from nwd.forecast.distributions import ScenarioError
from nwd.forecast.inputs import InputError
from nwd.forecast.scenario import load_scenario
from nwd.forecast.web import compare, runs
from nwd.forecast.web.charts import comparison_chart as compare_chart
from nwd.forecast.web.forms import ScenarioForm, initial
from nwd.jobs import outputs
from nwd.jobs.models import Job
from nwd.jobs.runner import JobError, run
from nwd.jobs.services import finishing, report_progress

KIND = "forecast-run"
TITLE = "Run the forecast"
PERMISSION = "forecast.use"
OUTPUT = "forecast.pickle"
INVALID = "The scenario's numbers are not valid any more: change them on the forecast page and run it again."


def form_for(query) -> ScenarioForm:
    """The form bound to the query's numbers; those it does not give are the defaults' (so a link
    that sets only one number works, and the bare page runs the default scenario)."""
    default = load_scenario()
    numbers = initial(default)
    numbers.update({name: query[name] for name in numbers if name in query})
    return ScenarioForm(numbers, scenario=default)


def run_for(form: ScenarioForm, data: runs.Data | None = None):
    """The run the form asks for; (run, None), or (None, why there is none). ``data``: the records
    already read for another run of the same job (reading them costs queries and a fingerprint)."""
    overrides = form.overrides()
    try:
        scenario = load_scenario(overrides=overrides)
        return runs.run(data if data is not None else runs.read(), scenario, overrides, form.draws), None
    except (InputError, ScenarioError, ValueError) as error:
        return None, str(error)


def compared(form: ScenarioForm, run, data: runs.Data) -> dict:
    """With numbers changed from the default's, the default scenario run too (the same records, draws
    and seed; kept like any run) and the two set side by side (``nwd.forecast.web.compare``)."""
    changed = form.changed_numbers()
    if not changed:
        return {}
    default = load_scenario()
    numbers = initial(default) | {"draws": str(form.draws)}
    default_form = ScenarioForm(numbers, scenario=default)
    if not default_form.is_valid():  # the defaults are valid (a test says so): never here
        return {}
    default_run, problem = run_for(default_form, data)
    if default_run is None:
        return {"compare_problem": problem}
    return {
        "changed_numbers": changed,
        "compare_table": compare.comparison(default_run.result, run.result),
        "compare_chart": compare_chart(default_run.result, run.result),
    }


def outcome(job: Job) -> dict[str, Any] | None:
    """What the finished job kept: {"run", "problem", "compared"}; None if no longer kept."""
    return outputs.read_object(job, OUTPUT)


def _forecast(job: Job) -> None:
    form = form_for(QueryDict(job.params.get("query", "")))
    if not form.is_valid():
        raise JobError(INVALID)
    report_progress(job, percent=5, stage="Reading the records")
    data = runs.read()
    report_progress(job, percent=20, stage="Learning the rates and running the forecast")
    made, problem = run_for(form, data)
    kept: dict[str, Any] = {"run": made, "problem": problem or "", "compared": {}}
    if made is not None:
        report_progress(job, percent=70, stage="Running the default scenario to compare with")
        kept["compared"] = compared(form, made, data)
    outputs.write_object(job, OUTPUT, kept)
    with finishing(job) as locked:
        locked.result = {"problem": problem or "", "draws": made.draws if made is not None else 0}


@task()
def run_forecast(job_id: int) -> dict[str, Any]:
    """Run the forecast of the scenario in the job's parameters."""
    return run(job_id, _forecast)
