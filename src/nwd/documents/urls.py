"""Documents and the chronology, beside the young person's page (namespace ``documents``)."""

from django.urls import path

from nwd.documents import views

app_name = "documents"

urlpatterns = [
    path("young-people/<int:young_person_id>/documents/", views.index, name="index"),
    path("young-people/<int:young_person_id>/documents/attach/", views.attach, name="attach"),
    path("documents/<int:document_id>/download/", views.download, name="download"),
    path("young-people/<int:young_person_id>/chronology/", views.chronology, name="chronology"),
    path("young-people/<int:young_person_id>/chronology.csv", views.chronology_csv, name="chronology_csv"),
    path("young-people/<int:young_person_id>/chronology.pdf", views.chronology_pdf, name="chronology_pdf"),
]
