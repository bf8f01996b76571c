"""The service's date formats (Django's FORMAT_MODULE_PATH): one way of writing a date on every page."""
