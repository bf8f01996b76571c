"""``nwd synth``: writes a county, refuses to write over one unless told, and says what it wrote.

These write small counties (scale 0.2) inside each test's transaction, which is rolled back; with
``--replace`` they also delete whatever county the session loaded, and that comes back with the
rollback too.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

from nwd.access.models import User
from nwd.care.models import CareEpisode
from nwd.casework.models import Referral, YoungPerson
from nwd.hubs.models import Hub
from nwd.synth import generate
from nwd.synth.county import CountyExists

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2025, 10, 31)


def natural_rows():
    """Rows as values that do not depend on primary keys, to compare two writes of a county."""
    return (
        sorted(YoungPerson.objects.values_list("child_id", "given_name", "family_name", "date_of_birth", "sex")),
        sorted(Referral.objects.values_list("young_person__child_id", "received", "source_agency", "decision",
                                            "decision_date", "handover_service")),
        sorted(CareEpisode.objects.values_list("young_person__child_id", "decom", "dec", "rne", "ls", "place",
                                               "place_provider", "rec", "weekly_cost")),
        sorted(User.objects.values_list("username", "role", "is_active")),
    )


def test_the_command_writes_a_county_and_prints_what_it_wrote():
    out = io.StringIO()
    call_command("synth", scale=0.2, seed=3, as_of=AS_OF, replace=True, stdout=out)
    text = out.getvalue()
    assert "Synthetic county: scale 0.2, seed 3, as at 31/10/2025" in text
    assert "casework.Referral" in text and "rows written" in text
    assert Hub.objects.count() == 1
    assert YoungPerson.objects.count() > 200


def test_it_refuses_to_write_over_a_county_without_replace():
    generate(scale=0.2, seed=3, as_of=AS_OF, progress=False, replace=True)
    with pytest.raises(CommandError, match="--replace"):
        call_command("synth", scale=0.2, seed=4, as_of=AS_OF, stdout=io.StringIO())
    with pytest.raises(CountyExists):
        generate(scale=0.2, seed=4, as_of=AS_OF, progress=False)


def test_replace_gives_the_same_rows_for_the_same_seed_and_others_for_another():
    generate(scale=0.2, seed=3, as_of=AS_OF, progress=False, replace=True)
    first = natural_rows()
    summary = generate(scale=0.2, seed=3, as_of=AS_OF, progress=False, replace=True)
    assert natural_rows() == first
    assert summary.counts["casework.YoungPerson"] == len(first[0])
    generate(scale=0.2, seed=4, as_of=AS_OF, progress=False, replace=True)
    assert natural_rows() != first


def test_an_as_of_in_the_future_or_a_bad_scale_is_refused():
    tomorrow = dt.date.today() + dt.timedelta(days=2)
    with pytest.raises(CommandError, match="in the future"):
        call_command("synth", scale=0.2, as_of=tomorrow, stdout=io.StringIO())
    with pytest.raises(CommandError, match="more than 0"):
        call_command("synth", scale=0, stdout=io.StringIO())
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("synth", "--as-of", "31/10/2025", stdout=io.StringIO())


def test_quiet_prints_nothing():
    out = io.StringIO()
    call_command("synth", "--scale", "0.2", "--seed", "5", "--as-of", "2025-10-31", "--replace", "--quiet", stdout=out)
    assert out.getvalue() == ""
    assert Referral.objects.exists()


def test_replace_stops_when_the_audit_log_names_the_countys_staff():
    """The audit log is append-only: a county whose staff have signed in cannot be deleted."""
    from nwd.access.models import Action, AuditEvent

    generate(scale=0.2, seed=3, as_of=AS_OF, progress=False, replace=True)
    member = User.objects.filter(role="key_worker").order_by("username").first()
    AuditEvent.objects.create(user=member, username=member.username, action=Action.LOGIN_SUCCESS)
    with pytest.raises(CommandError, match="fresh database"):
        call_command("synth", scale=0.2, seed=4, as_of=AS_OF, replace=True, stdout=io.StringIO())
    assert User.objects.filter(pk=member.pk).exists()
