"""The practitioner pages, under the ``web`` namespace (mounted by ``nwd.web.urls``)."""

from django.urls import path

from nwd.web.pages import (
    beds,
    data_protection,
    hub,
    people,
    recording,
    referrals,
    search,
    support,
    young_people,
)

app_name = "web"

urlpatterns = [
    path("search/", search.search, name="search"),
    path("young-people/<int:young_person_id>/", young_people.young_person, name="young_person"),
    path("young-people/<int:young_person_id>/shared-with-police/", young_people.shared_with_police, name="shared_with_police"),
    path("young-people/<int:young_person_id>/plan.pdf", young_people.plan_pdf, name="plan_pdf"),
    path("young-people/<int:young_person_id>/data-protection/", data_protection.data_protection, name="data_protection"),
    path("young-people/<int:young_person_id>/identity/", data_protection.identity, name="identity"),
    path("young-people/<int:young_person_id>/restriction/", data_protection.restriction, name="restriction"),
    *[
        path(f"young-people/<int:young_person_id>/record/{key}/", view, name=f"record_{key}")
        for key, view in recording.VIEWS.items()
    ],
    path("missing-episodes/<int:episode_id>/return/", recording.record_return, name="record_return"),
    path("contacts/<int:contact_id>/correct/", recording.correct_contact, name="correct_contact"),
    path("exploitation-concerns/<int:concern_id>/close/", recording.close_concern, name="close_concern"),
    # The people around the young person, corrections and withdrawals, duplicates (issue 16).
    path("young-people/<int:young_person_id>/network/", people.network, name="network"),
    path("young-people/<int:young_person_id>/network/add/", people.add_to_network, name="network_add"),
    path("network/<int:significant_person_id>/change/", people.change_in_network, name="network_change"),
    *[path(f"records/{key}/<int:record_id>/correct/", view, name=f"correct_{key}")
      for key, view in people.CORRECTION_VIEWS.items()],
    *[path(f"records/{key}/<int:record_id>/withdraw/", view, name=f"withdraw_{key}")
      for key, view in people.WITHDRAWAL_VIEWS.items()],
    path("duplicates/", people.duplicates, name="duplicates"),
    path("duplicates/<int:first_id>/<int:second_id>/merge/", people.merge, name="merge"),
    path("referrals/", referrals.referral_queue, name="referral_queue"),
    path("referrals/new/", referrals.new_referral, name="referral_new"),
    path("referrals/mine/", referrals.my_referrals, name="referrals_mine"),
    path("referrals/<int:referral_id>/", referrals.referral_detail, name="referral"),
    path("referrals/<int:referral_id>/sent/", referrals.referral_sent, name="referral_sent"),
    path("referrals/<int:referral_id>/triage/", referrals.start_triage, name="referral_triage"),
    path("referrals/<int:referral_id>/link/", referrals.link_to_record, name="referral_link"),
    path("referrals/<int:referral_id>/decide/", referrals.decide, name="referral_decide"),
    path("referrals/<int:referral_id>/support/", referrals.start_support, name="referral_support"),
    path("involvements/<int:involvement_id>/admit/", support.admit, name="admit"),
    path("involvements/<int:involvement_id>/key-worker/", support.reallocate, name="reallocate"),
    path("involvements/<int:involvement_id>/close/", support.close, name="close_involvement"),
    path("stays/<int:stay_id>/discharge/", support.discharge, name="discharge"),
    path("specialists/<int:specialist_involvement_id>/end/", support.end_specialist, name="end_specialist"),
    path("beds/", beds.bed_board, name="bed_board"),
    path("hub/young-people/", hub.young_people, name="hub_young_people"),
]
