"""Placeholder; replaced by the practitioner application."""

from django.http import HttpResponse


def home(request):
    return HttpResponse("nwd")
