"""Placements: the providers the council buys places from, their quality, unlawful and unsuitable
placements, and sufficiency (where children are placed now, what it costs, and the places needed).

The placements themselves are care's (``nwd.care.models.CareEpisode``, with ``Provider``); this app
adds what commissioning needs around them and reads the rest.
"""
