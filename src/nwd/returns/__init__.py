"""SSDA903, the DfE looked-after children return: code lists, reading, checking and writing.

The modules here other than ``importer`` and ``exporter`` are pure Python and import nothing from
Django, so the forecast engine and command-line tools can use them without a database.
"""
