"""The forecast page and its downloads, under /forecast/ (namespace ``forecast``).

Who may do what is the access policy's (docs/permissions.md): the page needs ``forecast.use``
(service managers and analysts); the downloads also ``exports.download``, and go through
``nwd.access.downloads`` (checked, audited; the spreadsheet's text cells escaped by the forecast's
own writer, ``nwd.forecast.xlsx``). The page and the files hold figures only.

The scenario is read from the address (GET), so the page, a shared link and the downloads all
compute (or find kept) the same run. With no numbers in the address the page runs the defaults.
"""

from __future__ import annotations

import datetime as dt
import io
import json

from django.http import Http404
from django.shortcuts import render

from nwd.access import downloads
from nwd.access.decorators import requires
from nwd.forecast.distributions import ScenarioError
from nwd.forecast.inputs import InputError
from nwd.forecast.report import write_xlsx
from nwd.forecast.scenario import load_scenario
from nwd.forecast.web import compare, runs, tables
from nwd.forecast.web.charts import comparison_chart as compare_chart
from nwd.forecast.web.forms import ScenarioForm, initial

JSON_TYPE = "application/json"


def _form(request) -> ScenarioForm:
    """The form bound to the address's numbers; those it does not give are the defaults' (so a link
    that sets only one number works, and the bare page runs the default scenario)."""
    default = load_scenario()
    numbers = initial(default)
    numbers.update({name: request.GET[name] for name in numbers if name in request.GET})
    return ScenarioForm(numbers, scenario=default)


def _run(form: ScenarioForm, data: runs.Data | None = None):
    """The run the form asks for; (run, None), or (None, why there is none). ``data``: the records
    already read for another run of the same request (reading them costs queries and a fingerprint)."""
    overrides = form.overrides()
    try:
        scenario = load_scenario(overrides=overrides)
        return runs.run(data if data is not None else runs.read(), scenario, overrides, form.draws), None
    except (InputError, ScenarioError, ValueError) as error:
        return None, str(error)


@requires("forecast.use")
def index(request):
    form = _form(request)
    context = {"form": form, "run": None, "problem": ""}
    if form.is_valid():
        data = runs.read()
        run, problem = _run(form, data)
        context["problem"] = problem
        if run is not None:
            result = run.result
            info = result.info
            context.update({
                "run": run,
                "result": result,
                "info": info,
                "data_to": dt.date.fromisoformat(info["data_to"]),
                "window_from": dt.date.fromisoformat(info["reference_window"][0]),
                "window_to": dt.date.fromisoformat(info["reference_window"][1]),
                "headline": tables.headline(result),
                "looked_after": tables.looked_after(result),
                "by_group": tables.by_group(result),
                "money": tables.money_tables(result),
                "fan_table": tables.looked_after_fan(result),
                "savings_table": tables.savings_fan(result),
                "left_out": tables.left_out(result),
                "levers": tables.levers(result),
                "tornado": tables.tornado(result),
                "calibration": tables.calibration(result),
                "stay_out": tables.stay_out(result),
                "query": request.GET.urlencode(),
                "downloads": request.user.has_perm(downloads.PERMISSION),
            })
            context.update(_compared(form, run, data))
    return render(request, "forecast/index.html", context)


def _compared(form: ScenarioForm, run, data: runs.Data) -> dict:
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
    default_run, problem = _run(default_form, data)
    if default_run is None:
        return {"compare_problem": problem}
    return {
        "changed_numbers": changed,
        "compare_table": compare.comparison(default_run.result, run.result),
        "compare_chart": compare_chart(default_run.result, run.result),
    }


def _result_for_download(request):
    form = _form(request)
    if not form.is_valid():
        raise Http404("This link does not hold a valid scenario.")
    run, problem = _run(form)
    if run is None:
        raise Http404(problem)
    return run.result


def _detail(result) -> str:
    info = result.info
    return f"forecast, {info['scenario']}, {info['draws']:,} draws, records to {info['data_to']}"


@requires("forecast.use", "exports.download")
def download_json(request):
    result = _result_for_download(request)
    content = json.dumps(result.to_json(), indent=2, allow_nan=False).encode("utf-8")
    return downloads.file_response(request, "nwd-forecast.json", content, JSON_TYPE, detail=_detail(result))


@requires("forecast.use", "exports.download")
def download_xlsx(request):
    result = _result_for_download(request)
    buffer = io.BytesIO()
    write_xlsx(result, buffer)
    return downloads.file_response(request, "nwd-forecast.xlsx", buffer.getvalue(), downloads.XLSX_TYPE,
                                   detail=_detail(result))
