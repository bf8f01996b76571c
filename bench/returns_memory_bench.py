"""How much memory and time checking a very large SSDA903 upload takes: prints the figures.

    .venv/bin/python bench/returns_memory_bench.py [--megabytes 200] [--errors] [--keep DIR] [--only cli|page]

1. A return of about ``--megabytes`` MB is written: a synthetic year (2025-26) of a few thousand
   children (``nwd.returns.synthetic``), repeated with new CHILD ids until the files come to the
   size asked, so nearly every row is valid (Header.csv and Episodes.csv hold nearly all of it).
   ``--errors`` writes a return whose every closed episode starts in 2030, after it ended (and
   after the child's missing episodes): well over a million errors, to show what a file full of
   errors costs.
2. ``nwd import-903 FOLDER --dry-run`` checks it, in its own process, against a fresh SQLite
   database: wall seconds, CPU seconds and peak resident memory (``os.wait4``); and
   ``nwd forecast --from-903 FOLDER`` forecasts from it (``--draws``, default 100), the same way.
3. The same files go through the import page (``/returns/import/``), in another process:
   a real WSGI request (Django's ``WSGIHandler``, every middleware, the multipart parser, the upload
   handlers) whose body is read from a file on disk, as a web server hands it over, signed in as an
   analyst. It runs once with the upload limit raised above the file (the check's cost) and once
   at the default limit (the refusal's cost). Figures: status, seconds, the process's peak
   resident memory (``VmHWM``) before the request (after one GET of the page, which imports every
   view) and at its peak, and the resident memory after it.

The target (issue 11 #5): under 1 GB for a 200 MB file. Nothing here is a timed test.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NWD = [sys.executable, "-m", "nwd"]
YEAR = "2025-26"
BLOCK_CHILDREN = 4000


def environment(data_dir: Path, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "NWD_DEMO", "DEBUG")}
    env.update(NWD_DATA_DIR=str(data_dir), SECRET_KEY=env.get("SECRET_KEY", "bench-" + "x" * 50),
               DJANGO_SETTINGS_MODULE="nwd.settings", ALLOWED_HOSTS="testserver", **extra)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT / "src"), env.get("PYTHONPATH", "")) if p)
    return env


def write_return(folder: Path, megabytes: float, errors: bool = False) -> dict[str, int]:
    """A year's return of about ``megabytes`` MB in ``folder``: one synthetic block, repeated.

    Each copy of the block gets its own CHILD ids (a three-digit copy number in front), so the
    children do not collide; what is left (UPNs and URNs repeated between copies) is what the
    checks allow. Returns the rows per file.
    """
    sys.path.insert(0, str(ROOT / "src"))
    import polars as pl

    from nwd.returns.synthetic import history
    from nwd.returns.writer import tables_for_year, write_tables

    block = folder.parent / "block"
    made = history(BLOCK_CHILDREN, last_year=YEAR, years=1, seed=11)
    write_tables(tables_for_year(made.episodes, made.header, made.missing, made.uasc, YEAR), YEAR, block)
    texts: dict[str, tuple[str, list[str]]] = {}
    for path in sorted(block.glob("*.csv")):
        head, *rows = path.read_text().splitlines()
        if errors and path.name == "Episodes.csv":
            # DECOM after DEC on every closed episode: every row an error (rule 1009 and others).
            frame = pl.read_csv(path, infer_schema=False)
            frame = frame.with_columns(pl.when(pl.col("DEC").is_not_null()).then(pl.lit("01/01/2030"))
                                       .otherwise(pl.col("DECOM")).alias("DECOM"))
            rows = frame.write_csv(null_value="").splitlines()[1:]
        texts[path.name] = (head, rows)
    block_bytes = sum(len("\n".join(rows)) + 1 for _, rows in texts.values())
    copies = max(1, min(999, round(megabytes * 1024 * 1024 / block_bytes)))
    folder.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    for name, (head, rows) in texts.items():
        with (folder / name).open("w") as out:
            out.write(head + "\n")
            for copy in range(copies):
                prefix = f"{copy:03d}"
                out.write("\n".join(prefix + row for row in rows) + "\n")
        counts[name] = copies * len(rows)
    shutil.rmtree(block)
    return counts


def folder_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1024 / 1024


def command_line(folder: Path, work: Path) -> None:
    data = work / "cli-data"
    env = environment(data)
    subprocess.run([*NWD, "migrate", "-v0"], env=env, cwd=ROOT, check=True)
    subprocess.run([*NWD, "shell", "-c", "from nwd.access.models import User; User.objects.create_user("
                    "'bench_cli', password='a long bench password 1', role='analyst')"],
                   env=env, cwd=ROOT, check=True)  # the importer (import-903 --as, required)
    with tempfile.TemporaryFile("w+") as out:
        started = time.perf_counter()
        process = subprocess.Popen([*NWD, "import-903", str(folder), "--dry-run", "--year", YEAR,
                                    "--as", "bench_cli"], env=env,
                                   cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, text=True)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        out.seek(0)
        lines = out.read().splitlines()
    print(f"nwd import-903 --dry-run: exit {os.waitstatus_to_exitcode(status)}, {wall:.1f} s wall, "
          f"{usage.ru_utime + usage.ru_stime:.1f} s CPU, peak RSS {usage.ru_maxrss / 1024:.0f} MB, "
          f"{len(lines)} lines printed")
    for line in [*lines[:3], "...", *lines[-4:]] if len(lines) > 8 else lines:
        print(f"    {line[:160]}")


def forecast(folder: Path, work: Path, draws: int) -> None:
    data = work / "forecast-data"
    env = environment(data)
    subprocess.run([*NWD, "migrate", "-v0"], env=env, cwd=ROOT, check=True)
    with tempfile.TemporaryFile("w+") as out:
        started = time.perf_counter()
        process = subprocess.Popen([*NWD, "forecast", "--from-903", str(folder), "--draws", str(draws), "--seed", "1"],
                                   env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, text=True)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        out.seek(0)
        lines = out.read().splitlines()
    print(f"nwd forecast --from-903 --draws {draws}: exit {os.waitstatus_to_exitcode(status)}, {wall:.1f} s wall, "
          f"{usage.ru_utime + usage.ru_stime:.1f} s CPU, peak RSS {usage.ru_maxrss / 1024:.0f} MB, "
          f"{len(lines)} lines printed")
    for line in [*lines[:3], "...", *lines[-3:]] if len(lines) > 6 else lines:
        print(f"    {line[:160]}")


PAGE_SCRIPT = textwrap.dedent("""
    import os, sys, time, django
    django.setup()
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.management import call_command
    from django.test import Client
    from nwd.access.roles import Role
    from nwd.access.testing import sign_in
    from django.contrib.auth import get_user_model

    def peak():
        for line in open("/proc/self/status"):
            if line.startswith(("VmHWM", "VmRSS")):
                yield line.split()[1]

    call_command("migrate", verbosity=0)
    user = get_user_model().objects.create_user("bench_analyst", password="a long bench password 1",
                                                role=Role.ANALYST)
    client = Client()
    sign_in(client, user)
    cookies = "; ".join(f"{k}={v.value}" for k, v in client.cookies.items())
    secret = "b" * 32
    body_path, boundary = sys.argv[1], sys.argv[2]
    size = os.path.getsize(body_path)
    handler = WSGIHandler()
    warm = client.get("/returns/import/", secure=True)  # the first request imports every view: not the upload's cost
    assert warm.status_code == 200, warm.status_code
    before = list(peak())
    answer = {}
    started = time.perf_counter()
    with open(body_path, "rb") as body:
        environ = {
            "REQUEST_METHOD": "POST", "PATH_INFO": "/returns/import/", "SCRIPT_NAME": "", "QUERY_STRING": "",
            "SERVER_NAME": "testserver", "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "testserver", "HTTP_X_FORWARDED_PROTO": "https", "wsgi.url_scheme": "https",
            "wsgi.input": body, "wsgi.errors": sys.stderr, "wsgi.multithread": False,
            "wsgi.multiprocess": False, "wsgi.run_once": False, "wsgi.version": (1, 0),
            "CONTENT_TYPE": f"multipart/form-data; boundary={boundary}", "CONTENT_LENGTH": str(size),
            "HTTP_COOKIE": cookies + f"; csrftoken={secret}", "HTTP_REFERER": "https://testserver/returns/import/",
        }
        chunks = handler(environ, lambda status, headers: answer.update(status=status))
        content = b"".join(chunks)
    seconds = time.perf_counter() - started
    after = list(peak())
    text = content.decode(errors="replace")
    import re
    message = re.search(r'govuk-error-message">.*?</span>\\s*(.*?)</p>', text, re.S)
    outcome = re.search(r'<h1[^>]*>(.*?)</h1>', text, re.S)
    print(answer["status"], f"{seconds:.1f}", before[0], after[0], after[1],
          (message.group(1) if message else (outcome.group(1) if outcome else "")).strip()[:200], sep="|")
""")


def page_body(folder: Path, work: Path) -> tuple[Path, str]:
    """The multipart body a browser would send: each CSV file as it is, and an empty year."""
    boundary = "nwdbenchboundary7MA4YWxkTrZu0gW"
    body = work / "body.bin"
    with body.open("wb") as out:
        out.write(f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrfmiddlewaretoken\"\r\n\r\n"
                  f"{'b' * 32}\r\n".encode())
        out.write(f"--{boundary}\r\nContent-Disposition: form-data; name=\"year\"\r\n\r\n{YEAR}\r\n".encode())
        for path in sorted(folder.glob("*.csv")):
            out.write(f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; "
                      f"filename=\"{path.name}\"\r\nContent-Type: text/csv\r\n\r\n".encode())
            with path.open("rb") as source:
                shutil.copyfileobj(source, out, 1024 * 1024)
            out.write(b"\r\n")
        out.write(f"--{boundary}--\r\n".encode())
    return body, boundary


def through_the_page(folder: Path, work: Path, limit_mb: int | None) -> None:
    body, boundary = page_body(folder, work)
    data = work / f"page-data-{limit_mb}"
    env = environment(data, **({"NWD_UPLOAD_MAX_MB": str(limit_mb)} if limit_mb else {}))
    done = subprocess.run([sys.executable, "-c", PAGE_SCRIPT, str(body), boundary], env=env, cwd=ROOT,
                          capture_output=True, text=True)
    if done.returncode != 0:
        print(f"the page run failed:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}")
        return
    status, seconds, hwm_before, hwm_after, rss_after, said = done.stdout.strip().splitlines()[-1].split("|")
    label = f"limit {limit_mb} MB" if limit_mb else "default limit"
    print(f"/returns/import/ ({label}, a body of {body.stat().st_size / 1024 / 1024:.0f} MB): {status}, {float(seconds):.1f} s, peak RSS {int(hwm_before) / 1024:.0f} MB "
          f"before the request, {int(hwm_after) / 1024:.0f} MB at its peak, {int(rss_after) / 1024:.0f} MB after")
    print(f"    the page says: {said}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--megabytes", type=float, default=200)
    parser.add_argument("--errors", action="store_true", help="Every episode row with an error.")
    parser.add_argument("--keep", type=Path, help="Write the return here and keep it.")
    parser.add_argument("--only", choices=("cli", "forecast", "page"), help="Run only one of the measurements.")
    parser.add_argument("--draws", type=int, default=100, help="Monte Carlo draws of the forecast (default 100).")
    options = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="nwd-903-memory-"))
    print(f"Machine: {platform.system()} {platform.release()}, Python {platform.python_version()}, "
          f"{os.cpu_count()} CPUs, load {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    try:
        folder = options.keep or work / "return"
        started = time.perf_counter()
        if not (folder / "Episodes.csv").exists():
            counts = write_return(folder, options.megabytes, options.errors)
            print(f"Wrote {folder_mb(folder):.0f} MB in {time.perf_counter() - started:.0f} s: "
                  + ", ".join(f"{name} {rows:,} rows" for name, rows in counts.items()))
        if options.only in (None, "cli"):
            command_line(folder, work)
        if options.only in (None, "forecast"):
            forecast(folder, work, options.draws)
        if options.only in (None, "page"):
            through_the_page(folder, work, limit_mb=int(folder_mb(folder)) + 50)
            through_the_page(folder, work, limit_mb=None)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
