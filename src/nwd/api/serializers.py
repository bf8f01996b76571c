"""What each record looks like in the API: only the columns its page shows the same reader, and no
free text beyond the referral the client can already read (notes and summaries stay on the pages)."""

from __future__ import annotations

from rest_framework import serializers

from nwd.care.models import CareEpisode
from nwd.casework.choices import SourceAgency, Urgency
from nwd.casework.models import Involvement, KeyWorkerAllocation, Referral, YoungPerson
from nwd.events.models import ExploitationConcern, HealthEvent, MissingEpisode, PoliceContact
from nwd.hubs.models import Stay


class YoungPersonOut(serializers.ModelSerializer):
    class Meta:
        model = YoungPerson
        fields = ["id", "child_id", "given_name", "family_name", "preferred_name", "date_of_birth", "sex", "gender",
                  "ethnicity", "upn", "nhs_number", "home_postcode", "date_of_death", "created_at"]


class ReferralOut(serializers.ModelSerializer):
    young_person = serializers.SerializerMethodField(
        help_text="The young person's id, when the client may read the young person's record; else null.")

    class Meta:
        model = Referral
        fields = ["id", "young_person", "received", "source_agency", "referrer_name", "referrer_organisation",
                  "urgency", "reason", "status", "decision", "decision_date", "handover_service", "created_at"]

    def get_young_person(self, referral) -> int | None:
        return referral.young_person_id if getattr(referral, "person_visible", False) else None


class ReferralIn(serializers.Serializer):
    """A referral with the young person's details. A partner's agency and organisation come from its
    account (and the date received is today); staff name the agency and the date received."""

    given_name = serializers.CharField(max_length=60)
    family_name = serializers.CharField(max_length=60)
    preferred_name = serializers.CharField(max_length=60, required=False, allow_blank=True)
    date_of_birth = serializers.DateField()
    sex = serializers.ChoiceField(choices=YoungPerson._meta.get_field("sex").choices)
    gender = serializers.ChoiceField(choices=YoungPerson._meta.get_field("gender").choices, required=False)
    home_postcode = serializers.CharField(max_length=8, required=False, allow_blank=True)
    upn = serializers.CharField(max_length=13, required=False, allow_blank=True)
    nhs_number = serializers.CharField(max_length=12, required=False, allow_blank=True)
    referrer_contact = serializers.CharField(max_length=120, help_text="A phone number or email to reach the referrer.")
    reason = serializers.CharField(max_length=10_000, help_text="What is happening for the young person.")
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.ROUTINE)
    source_agency = serializers.ChoiceField(choices=SourceAgency.choices, required=False,
                                            help_text="Staff only (a partner's comes from its account).")
    referrer_name = serializers.CharField(max_length=120, required=False, allow_blank=True, help_text="Staff only.")
    referrer_organisation = serializers.CharField(max_length=120, required=False, allow_blank=True,
                                                  help_text="Staff only.")
    received = serializers.DateField(required=False, help_text="Staff only: the date the referral was received.")

    def validate(self, attrs):
        for name, value in attrs.items():
            if isinstance(value, str) and "\x00" in value:
                raise serializers.ValidationError({name: "Remove the null character."})
        return attrs


class InvolvementOut(serializers.ModelSerializer):
    class Meta:
        model = Involvement
        fields = ["id", "young_person", "referral", "hub", "support_type", "start", "end", "end_reason", "created_at"]


class KeyWorkerOut(serializers.ModelSerializer):
    young_person = serializers.IntegerField(source="involvement.young_person_id", read_only=True)
    key_worker_name = serializers.SerializerMethodField()

    class Meta:
        model = KeyWorkerAllocation
        fields = ["id", "involvement", "young_person", "key_worker", "key_worker_name", "start", "end", "reason",
                  "created_at"]

    def get_key_worker_name(self, allocation) -> str:
        return allocation.key_worker.get_full_name() or allocation.key_worker.username


class StayOut(serializers.ModelSerializer):
    hub = serializers.IntegerField(source="bed.hub_id", read_only=True)

    class Meta:
        model = Stay
        fields = ["id", "young_person", "involvement", "hub", "bed", "admitted", "planned_discharge", "discharged",
                  "destination", "planned", "created_at"]


class CareEpisodeOut(serializers.ModelSerializer):
    class Meta:
        model = CareEpisode
        fields = ["id", "young_person", "period", "decom", "dec", "rne", "ls", "cin", "place", "place_provider", "rec",
                  "reason_place_change", "urn", "in_area", "regulated", "stay", "created_at"]


class MissingEpisodeOut(serializers.ModelSerializer):
    class Meta:
        model = MissingEpisode
        fields = ["id", "young_person", "involvement", "kind", "started_at", "ended_at", "reported_to_police",
                  "return_interview_offered", "return_interview_accepted", "created_at"]


class PoliceContactOut(serializers.ModelSerializer):
    class Meta:
        model = PoliceContact
        fields = ["id", "young_person", "involvement", "occurred_on", "kind", "created_at"]


class ExploitationConcernOut(serializers.ModelSerializer):
    class Meta:
        model = ExploitationConcern
        fields = ["id", "young_person", "involvement", "raised_on", "kind", "closed_on", "created_at"]


class HealthEventOut(serializers.ModelSerializer):
    class Meta:
        model = HealthEvent
        fields = ["id", "young_person", "involvement", "occurred_on", "kind", "created_at"]
