"""What the database cannot hold as the return has it: reported as problems before anything is written.

The checks of ``nwd.returns.checks`` are the DfE's rules; these are the project's own limits, so a
return the DfE would accept can still need a decision here:

- SEX U (not known) is a valid code from 2024-25, but a young person's record keeps sex as male or
  female only (``nwd.casework.choices.Sex``): the child is refused with a message saying so, until
  the record can hold it (NWD-SEX-UNKNOWN).
- A CHILD id or an Ofsted URN longer than the field that keeps it (NWD-TOO-LONG).
- HOME_POST and PL_POST longer than the field (the database keeps postcode districts): kept as
  the district, the part before the space, with a notice; nothing is refused.

The limits are read from the model fields, so widening a field changes what is accepted here.
"""

from __future__ import annotations

import polars as pl

from nwd.care.models import CareEpisode
from nwd.casework.models import YoungPerson
from nwd.returns.problems import Problem, problem
from nwd.returns.schema import FILE_COL, ROW_COL


def _max_length(model, name: str) -> int:
    return model._meta.get_field(name).max_length


def fit_problems(tables: dict[str, pl.DataFrame]) -> list[Problem]:
    """Problems with values the database cannot keep as they are."""
    found: list[Problem] = []
    header = tables.get("Header")
    if header is not None and header.height:
        for file, row, child, sex in header.filter(pl.col("SEX") == "U").select(
                FILE_COL, ROW_COL, "CHILD", "SEX").iter_rows():
            found.append(problem(
                "NWD-SEX-UNKNOWN",
                "the return says the child's sex is not known (U), but a young person's record here holds "
                "male (1 or M) or female (2 or F) only, so this child cannot be imported yet: correct SEX if "
                "it is known, or ask the system's administrator how unknown sex is to be recorded",
                file=file, row=row, column="SEX", value=sex, table="Header", child=child))
    limits = {"CHILD": _max_length(YoungPerson, "child_id")}
    for table, frame in tables.items():
        if "CHILD" not in frame.columns or frame.height == 0:
            continue
        longest = limits["CHILD"]
        for file, row, child in frame.filter(pl.col("CHILD").str.len_chars() > longest).select(
                FILE_COL, ROW_COL, "CHILD").iter_rows():
            found.append(problem(
                "NWD-TOO-LONG", f"a child's id (CHILD) here can be at most {longest} characters long",
                file=file, row=row, column="CHILD", value=child, table=table, child=child))
    episodes = tables.get("Episodes")
    if episodes is not None and episodes.height:
        longest = _max_length(CareEpisode, "urn")
        for file, row, child, urn in episodes.filter(pl.col("URN").str.len_chars() > longest).select(
                FILE_COL, ROW_COL, "CHILD", "URN").iter_rows():
            found.append(problem(
                "NWD-TOO-LONG", f"an Ofsted URN is at most {longest} characters long (or XXXXXXX)",
                file=file, row=row, column="URN", value=urn, table="Episodes", child=child))
        for column, name in (("HOME_POST", "home_post"), ("PL_POST", "pl_post")):
            longest = _max_length(CareEpisode, name)
            bad = episodes.filter(district(column).str.len_chars() > longest)
            for file, row, child, value in bad.select(FILE_COL, ROW_COL, "CHILD", column).iter_rows():
                found.append(problem(
                    "NWD-TOO-LONG", f"not a postcode the database can keep: it keeps the postcode district "
                    f"(such as NR1), at most {longest} characters",
                    file=file, row=row, column=column, value=value, table="Episodes", child=child))
    return found


def district(column: str) -> pl.Expr:
    """A postcode's district (outward code): the part before the space, or all but the last three
    characters of a postcode written without one ("NR11AA" -> "NR1")."""
    value = pl.col(column).str.strip_chars()
    first = value.str.split(" ").list.first()
    return (
        pl.when(value.str.contains(" ")).then(first)
        .when(value.str.len_chars() > 4).then(value.str.slice(0, value.str.len_chars() - 3))
        .otherwise(value)
    )


def fit_postcodes(episodes: pl.DataFrame) -> tuple[pl.DataFrame, str | None]:
    """Episodes with postcodes longer than the database keeps cut to their district, and a notice."""
    episodes, changed = fit_postcodes_counted(episodes)
    return episodes, postcodes_notice(changed)


def fit_postcodes_counted(episodes: pl.DataFrame) -> tuple[pl.DataFrame, int]:
    """``fit_postcodes`` with how many postcodes were cut, for an import in blocks to add up."""
    changed = 0
    for column, name in (("HOME_POST", "home_post"), ("PL_POST", "pl_post")):
        longest = _max_length(CareEpisode, name)
        too_long = pl.col(column).str.len_chars() > longest
        changed += episodes.select(too_long.fill_null(False).sum()).item()
        episodes = episodes.with_columns(pl.when(too_long).then(district(column)).otherwise(pl.col(column))
                                         .alias(column))
    return episodes, changed


def postcodes_notice(changed: int) -> str | None:
    if not changed:
        return None
    return (
        f"Episodes: {changed} postcode{'s' if changed != 1 else ''} (HOME_POST, PL_POST) were kept as the postcode "
        "district (for example NR1 1AA as NR1), which is all the database keeps"
    )
