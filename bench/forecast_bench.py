"""Benchmark of the forecast engine (issue 5). Prints figures; it is not a test.

    .venv/bin/python bench/forecast_bench.py                 # the issue's figures
    .venv/bin/python bench/forecast_bench.py --draws 2000    # a quicker look

On a synthetic county about Norfolk's size (about 1,200 children looked after, 450 entries a year):

1. the Monte Carlo: 10,000 draws x every state x 4 years of weekly steps, with and without the
   service, split across the machine's cores (one process each; target: within 5 s on 2 cores);
2. one expected-value projection of 4 years at a daily step (target: within 50 ms);
3. the straightforward reference (one draw at a time, one step at a time; ``nwd.forecast.reference``)
   on a sample of the same draws, scaled to all of them, and the ratio;
4. a whole ``run_forecast`` (reading, fitting, both projections, summaries) at 10,000 draws; and the
   page's run (1,000 draws, one process) without and with the savings by lever and the sensitivity
   chart (their expected-value projections), to show what they add;
5. the peak resident memory of this process (target: under 4 GB).

Each timing is the best of a few repeats (the median is printed too), in wall-clock seconds; the
CPU time of the process and its worker processes is beside it, since on a shared machine other work
inflates the wall clock.
The machine and its load are printed first: compare figures only with the load in mind.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import time


def machine() -> list[str]:
    try:
        lscpu = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout
        model = next((line.split(":", 1)[1].strip() for line in lscpu.splitlines() if line.startswith("Model name")), "?")
    except OSError:
        model = platform.processor() or "?"
    import numpy as np

    blas = np.show_config(mode="dicts").get("Build Dependencies", {}).get("blas", {})
    return [
        f"machine: {os.cpu_count()} cores, {model}",
        f"python {platform.python_version()}, numpy {np.__version__} ({blas.get('name', '?')} {blas.get('version', '')})",
        "load average at start (1, 5, 15 min): " + ", ".join(f"{x:.2f}" for x in os.getloadavg()),
    ]


def call_overhead_us() -> float:
    """CPU microseconds of one numpy call on a tiny array: how busy the machine is right now."""
    import numpy as np

    a, b = np.zeros(8), np.ones(8)
    start = time.process_time()
    for _ in range(200_000):
        np.add(a, b, out=a)
    return (time.process_time() - start) / 200_000 * 1e6


def cpu_seconds() -> float:
    """CPU seconds of this process and of its finished worker processes."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def timed(function, repeats: int) -> tuple[float, float, float, object]:
    """Best and median wall-clock seconds, CPU seconds of the best run, and the last result."""
    walls, cpus, result = [], [], None
    for _ in range(repeats):
        cpu, wall = cpu_seconds(), time.perf_counter()
        result = function()
        walls.append(time.perf_counter() - wall)
        cpus.append(cpu_seconds() - cpu)
    best = min(range(repeats), key=walls.__getitem__)
    return walls[best], statistics.median(walls), cpus[best], result


def peak_mb() -> float:
    """The largest resident memory of this process or any one of its worker processes."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, workers) / 1024  # kilobytes on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--reference-draws", type=int, default=20, help="draws timed one at a time")
    args = parser.parse_args()

    for line in machine():
        print(line)
    print(f"numpy call overhead now: {call_overhead_us():.2f} us a call (higher when the machine is shared)")

    import numpy as np

    from nwd.forecast import reference
    from nwd.forecast.api import forecast_from, prepare, run_forecast
    from nwd.forecast.parameters import expected_inputs, sampled_inputs
    from nwd.forecast.projection import PARALLEL_DRAWS, project
    from nwd.forecast.scenario import load_scenario
    from nwd.forecast.synthetic import county
    from nwd.forecast.wording import chance

    place = county(entries_per_year=450, years=8, seed=1)
    scenario = load_scenario()
    weekly = prepare(place.episodes, None, scenario)
    plan = weekly.plan
    states = int(weekly.start.stock.size)
    print(f"input: {place.episodes.height:,} episodes, {weekly.children:,} children, "
          f"{weekly.counts.stock[:, :10].sum():,.0f} looked after at the jump-off; "
          f"{states} states (ages 0-17 x 10 placement groups and 'at home') x 2 scenarios")
    print(f"plan: {plan.years} years of {plan.steps_per_year:.0f} steps ({plan.step_days:.3f} days) = {plan.steps} steps")
    print()

    inputs = sampled_inputs(weekly.posterior, scenario, np.random.default_rng(1), args.draws)
    project(inputs.take(slice(0, 512)), plan, weekly.start, np.float32)  # warm up

    best, median, cpu, _ = timed(lambda: project(inputs, plan, weekly.start, np.float32), args.repeats)
    workers = os.cpu_count() if args.draws >= PARALLEL_DRAWS else 1
    print(f"1. Monte Carlo, {args.draws:,} draws x {states} states x 2 scenarios x {plan.steps} weekly steps "
          f"({workers} processes): best {best:.2f} s, median {median:.2f} s, CPU {cpu:.2f} s  [target 5 s]")
    monte_carlo, monte_carlo_cpu = best, cpu

    daily = prepare(place.episodes, None, scenario, step_days=1)
    mean = expected_inputs(daily.posterior, scenario)
    best, median, cpu, _ = timed(lambda: reference.simulate(mean, daily.plan, daily.start), max(5, args.repeats))
    print(f"2. expected value, 4 years x {daily.plan.steps} daily steps: best {best * 1000:.0f} ms, "
          f"median {median * 1000:.0f} ms, CPU {cpu * 1000:.0f} ms  [target 50 ms]")

    sample = inputs.take(slice(0, args.reference_draws))
    best, median, cpu, _ = timed(lambda: reference.simulate(sample, plan, weekly.start), 1)
    per_draw, per_draw_cpu = best / args.reference_draws, cpu / args.reference_draws
    whole, whole_cpu = per_draw * args.draws, per_draw_cpu * args.draws
    print(f"3. reference, one draw at a time: {per_draw * 1000:.1f} ms a draw (CPU {per_draw_cpu * 1000:.1f} ms), "
          f"so {whole:.0f} s for {args.draws:,} draws (timed on {args.reference_draws}): the batched Monte "
          f"Carlo is {whole / monte_carlo:.0f} times faster ({whole_cpu / monte_carlo_cpu:.0f} times in CPU time)")

    best, median, cpu, result = timed(
        lambda: run_forecast(place.episodes, None, scenario, draws=args.draws, seed=1), 1)
    print(f"4. whole run_forecast at {args.draws:,} draws (read, fit, both projections, summaries): "
          f"{best:.2f} s, CPU {cpu:.2f} s")
    page_draws = 1000
    timings = {}
    for drivers in (False, True):
        timings[drivers] = timed(lambda drivers=drivers: forecast_from(
            weekly, scenario, page_draws, 1, workers=1, drivers=drivers), max(3, args.repeats))
    extra, extra_cpu = timings[True][0] - timings[False][0], timings[True][2] - timings[False][2]
    print(f"4b. the page's run ({page_draws:,} draws, one process, rates learnt): {timings[False][0]:.2f} s "
          f"(CPU {timings[False][2]:.2f} s) without the savings by lever and the sensitivity chart, "
          f"{timings[True][0]:.2f} s (CPU {timings[True][2]:.2f} s) with them (best of {max(3, args.repeats)}): "
          f"they add {extra * 1000:.0f} ms, {extra / timings[False][0]:.0%} (CPU {extra_cpu * 1000:.0f} ms, "
          f"{extra_cpu / timings[False][2]:.0%})")
    print(f"5. peak resident memory (of this process or one worker): {peak_mb():,.0f} MB  [target 4,096 MB]")
    print()
    target = result.target
    print(f"(the run: P(net savings >= £{target['amount'] / 1e6:.1f}m by year {target['year']}) "
          f"{chance(target['probability_cumulative'])} cumulative, {chance(target['probability_year'])} in year "
          f"{target['year']} alone; unit costs x {result.calibration['factor']:.3f} to the stated spend)")
    print("load average at end (1, 5, 15 min): " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))
    print(f"numpy call overhead at end: {call_overhead_us():.2f} us a call")


if __name__ == "__main__":
    main()
