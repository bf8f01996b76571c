from django.apps import AppConfig


class SynthConfig(AppConfig):
    name = "nwd.synth"
    label = "synth"
    verbose_name = "Synthetic county"
