from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "nwd.evaluation"
    label = "evaluation"
    verbose_name = "Evidence and outcomes"
