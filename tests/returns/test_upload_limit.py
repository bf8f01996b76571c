"""Issue 11 #5: an upload over the limit (NWD_UPLOAD_MAX_MB) is refused before it is read, with a
message that says the limit; files are copied a chunk at a time; the CSRF check still runs."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from nwd.access.roles import Role
from nwd.access.testing import sign_in
from nwd.config import DEFAULT_UPLOAD_MAX_MB, ConfigurationError, from_environment
from nwd.core import files
from nwd.returns import uploads
from tests.factories import UserFactory
from tests.returns.conftest import EPISODES, HEADER, through_job

pytestmark = pytest.mark.django_db
MB = 1024 * 1024
BOUNDARY = "limitboundary"


@pytest.fixture(autouse=True)
def upload_folder(tmp_path, settings):
    """An empty data folder and an empty shared-files storage, so what a test finds kept is its own."""
    settings.NWD_DATA_DIR = tmp_path / "data"
    settings.NWD_FILES_DIR = tmp_path / "files"
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path / "files"}}}
    settings.NWD_UPLOAD_MAX_BYTES = 1 * MB


class Unreadable(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = readinto = read


def analyst(**kwargs) -> tuple[Client, object]:
    user = UserFactory(role=Role.ANALYST)
    client = Client(**kwargs)
    sign_in(client, user)
    return client, user


def post_unread(client, url: str, size: int):
    """POST a multipart body that declares ``size`` bytes and cannot be read."""
    return client.generic("POST", url, b"x", content_type=f"multipart/form-data; boundary={BOUNDARY}",
                          **{"CONTENT_LENGTH": str(size), "wsgi.input": Unreadable()})


def kept_uploads() -> list:
    return list(files.walk(uploads.ROOT))


def test_the_limit_comes_from_the_environment():
    base = {"SECRET_KEY": "k" * 50}
    assert from_environment(base).upload_max_mb == DEFAULT_UPLOAD_MAX_MB == 100
    assert from_environment({**base, "NWD_UPLOAD_MAX_MB": " 250 "}).upload_max_mb == 250
    for wrong in ("0", "-5", "1.5", "lots", "10001"):
        with pytest.raises(ConfigurationError, match="NWD_UPLOAD_MAX_MB"):
            from_environment({**base, "NWD_UPLOAD_MAX_MB": wrong})


def test_the_settings_stream_files_to_disk_and_refuse_large_bodies(settings):
    from nwd import settings as project

    assert project.CONFIG.upload_max_mb * MB == project.NWD_UPLOAD_MAX_BYTES
    assert project.FILE_UPLOAD_HANDLERS[0] == "nwd.core.uploads.SizeLimitHandler"
    assert project.FILE_UPLOAD_HANDLERS[-1].endswith("TemporaryFileUploadHandler")
    assert project.FILE_UPLOAD_MAX_MEMORY_SIZE <= 5 * MB


def test_an_upload_declared_over_the_limit_is_refused_before_it_is_read():
    client, _ = analyst()
    page = post_unread(client, "/returns/import/", 198 * MB)
    assert page.status_code == 413
    html = page.content.decode()
    assert "The files come to 198 MB: the most that can be uploaded at once is 1 MB. Upload fewer" in html
    assert 'class="govuk-error-summary"' in html and "govuk-file-upload--error" in html
    assert kept_uploads() == []


def test_the_form_says_the_limit_before_anything_is_sent(settings):
    settings.NWD_UPLOAD_MAX_BYTES = 100 * MB
    client, _ = analyst()
    assert "At most 100 MB at a time." in client.get("/returns/import/").content.decode()


def test_the_message_names_the_configured_limit(settings):
    settings.NWD_UPLOAD_MAX_BYTES = 100 * MB
    client, _ = analyst()
    html = post_unread(client, "/returns/import/", 198 * MB).content.decode()
    assert "The files come to 198 MB: the most that can be uploaded at once is 100 MB." in html


def test_any_other_page_refuses_a_large_body_unread():
    """The CSRF check is what reads a body first (the test client skips it unless asked)."""
    client, _ = analyst(enforce_csrf_checks=True)
    client.cookies["csrftoken"] = "b" * 32  # a CSRF cookie, so the check goes on to read the token
    assert post_unread(client, "/search/", 198 * MB).status_code == 400
    assert post_unread(client, "/referrals/new/", 198 * MB).status_code == 400


def test_the_csrf_check_still_runs_on_the_import_page():
    client, _ = analyst(enforce_csrf_checks=True)
    page = client.post("/returns/import/", {"files": [SimpleUploadedFile("Header_2025-26.csv", HEADER.encode())]})
    assert page.status_code == 403
    assert kept_uploads() == []


def test_files_larger_than_the_limit_are_refused_as_received():
    """A body just under the declared limit (with its allowance for the form) whose files are over it."""
    client, _ = analyst()
    big = SimpleUploadedFile("Episodes_2025-26.csv", (EPISODES + "A9,01/05/2024\n" * 110_000).encode())
    assert 1 * MB < big.size < 2 * MB
    page = client.post("/returns/import/", {"files": [big]})
    assert page.status_code == 422
    assert "The files come to 1.5 MB: the most that can be uploaded at once is 1 MB" in page.content.decode()
    assert kept_uploads() == []


def test_a_zip_that_unpacks_to_more_than_the_limit_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("2025-26/Header.csv", HEADER)
        archive.writestr("2025-26/Episodes.csv", EPISODES + "\n" * (2 * MB))
    assert len(buffer.getvalue()) < MB
    client, _ = analyst()
    page = client.post("/returns/import/", {"files": [SimpleUploadedFile("return.zip", buffer.getvalue())]})
    assert page.status_code == 422
    assert "Unpacked, the ZIP file&#x27;s contents come to 2 MB: the most that can be uploaded at once is 1 MB" \
        in page.content.decode()
    assert kept_uploads() == []


def test_a_return_under_the_limit_is_still_checked():
    client, _ = analyst()
    files = [SimpleUploadedFile(f"{name}_2025-26.csv", text.encode()) for name, text in
             (("Header", HEADER), ("Episodes", EPISODES))]
    page = through_job(client, "/returns/import/", {"files": files})
    assert page.status_code == 200
    assert "SSDA903 return checked" in page.content.decode()


def test_files_are_copied_a_chunk_at_a_time():
    """``keep`` never asks an uploaded file for all of itself: only for chunks of at most a megabyte."""

    class Received:
        """An uploaded file as Django's TemporaryUploadedFile gives it: a name, a size, chunks."""

        name, data, asked = "Header_2025-26.csv", HEADER.encode() * 2000, []
        size = len(data)

        def chunks(self, chunk_size=None):
            self.asked.append(chunk_size)
            for start in range(0, self.size, chunk_size):
                yield self.data[start:start + chunk_size]

        def read(self, *args):
            raise AssertionError("read whole")

    kept = uploads.keep(UserFactory(role=Role.ANALYST), [Received()])
    assert Received.asked == [uploads.CHUNK] and uploads.CHUNK <= MB
    assert files.read(kept.files[0]) == Received.data
