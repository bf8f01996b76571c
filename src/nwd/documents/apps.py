from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "nwd.documents"
    label = "documents"
    verbose_name = "Documents and the chronology"

    def ready(self) -> None:
        # Inside ready (Django's app loading): the relations read the documents' model, loaded by now.
        from nwd.documents import relations

        relations.register()
