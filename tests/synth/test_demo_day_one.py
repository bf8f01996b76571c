"""Issue 12 #18: the demo's partner referrers include a school and a health referrer, and the police
liaison officer's home shows a young person missing now from the first day."""

import pytest
from django.urls import reverse

from nwd.access import scopes
from nwd.access.models import User
from nwd.access.testing import sign_in
from nwd.casework import queries
from nwd.demo.logins import demo_logins, mark_demo_database

pytestmark = pytest.mark.django_db


def test_demo_logins_offer_a_school_a_health_and_a_police_referrer(county):
    mark_demo_database()
    partners = [login for login in demo_logins() if login.role == "partner_referrer"]
    assert [login.role_label for login in partners] == [
        "Partner-agency referrer (police)",
        "Partner-agency referrer (school or college)",
        "Partner-agency referrer (health)",
    ]
    agencies = [User.objects.get(username=login.username).agency for login in partners]
    assert agencies == ["police", "school", "health"]


def test_the_police_liaison_officer_has_someone_missing_now_on_day_one(county, client):
    mark_demo_database()
    officer = User.objects.get(username=next(lg.username for lg in demo_logins() if lg.role == "police_liaison"))
    shared = "events.view_police_shared"
    missing = queries.search_missing_now(scopes.young_people(officer, shared), viewer=officer, within=shared)
    assert missing
    sign_in(client, officer)
    home = client.get(reverse("home")).content.decode()
    assert missing[0].full_name in home and "Missing now" in home
