"""``nwd forecast``: the looked-after population and its cost with and without the service.

Reads the database (``nwd.forecast.from_database.load``) or, with ``--from-903 DIR``, a folder of
SSDA903 files; runs ``nwd.forecast.api.run_forecast``; prints a summary table and writes JSON and
XLSX on request. ``--backtest`` checks the method on the data's own past. The engine itself imports
nothing from Django: this module only parses options and prints.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from nwd.forecast import api, from_903, from_database, report
from nwd.forecast.distributions import ScenarioError
from nwd.forecast.inputs import InputError
from nwd.forecast.scenario import load_scenario


class Command(BaseCommand):
    help = (
        "Forecast children looked after and their cost with and without the No Wrong Door service, "
        "with uncertainty, from the database or a folder of SSDA903 files."
    )

    def add_arguments(self, parser):
        parser.add_argument("--from-903", metavar="DIR", help="read a folder of SSDA903 CSV or XML files")
        parser.add_argument("--la", metavar="NAME",
                            help="with --from-903: the council to read, when the files hold several (an LA column)")
        parser.add_argument("--scenario", metavar="FILE", help="a scenario TOML file laid over the defaults")
        parser.add_argument("--years", type=int, help="horizon in years (default: the scenario's, 4)")
        parser.add_argument("--draws", type=int, default=1000, help="Monte Carlo draws (default 1000)")
        parser.add_argument("--seed", type=int, help="random seed, to repeat a run exactly")
        parser.add_argument("--json", metavar="PATH", help="write the results as JSON")
        parser.add_argument("--xlsx", metavar="PATH", help="write the results as a spreadsheet")
        parser.add_argument("--backtest", action="store_true",
                            help="also fit on three years and forecast the next, against what happened "
                                 "(with --json, written as its 'backtest' object)")

    def handle(self, *args, **options):
        if options["draws"] < 1:
            raise CommandError("--draws must be at least 1")
        if options["years"] is not None and not 1 <= options["years"] <= 25:
            raise CommandError("--years must be from 1 to 25")
        try:
            scenario = load_scenario(options["scenario"])
            source = self._source(options["from_903"], options["la"])
            for note in source.notes:
                self.stderr.write(f"note: {note}")
            result = api.run_forecast(
                source.episodes, source.service_spells, scenario, years=options["years"],
                draws=options["draws"], seed=options["seed"], as_of=source.as_of,
                observed_from=source.observed_from,
            )
        except (ScenarioError, InputError, ValueError) as error:
            raise CommandError(str(error)) from None
        checked = None
        if options["backtest"]:
            try:
                checked = api.backtest(
                    source.episodes, source.service_spells, scenario, draws=options["draws"],
                    seed=options["seed"], observed_from=source.observed_from, as_of=source.as_of,
                )
            except (InputError, ValueError) as error:
                raise CommandError(f"back-test: {error}") from None
        self.stdout.write(report.summary_text(result))
        if options["json"]:
            report.write_json(result, options["json"], backtest=checked)
            self.stdout.write(f"Wrote {options['json']}")
        if options["xlsx"]:
            report.write_xlsx(result, options["xlsx"])
            self.stdout.write(f"Wrote {options['xlsx']}")
        if checked is not None:
            self.stdout.write("")
            self.stdout.write(report.backtest_text(checked))

    def _source(self, folder: str | None, la: str | None = None):
        if folder:
            return from_903.load(folder, la=la)
        if la:
            raise CommandError("--la picks a council from SSDA903 files: use it with --from-903")
        return from_database.load()
