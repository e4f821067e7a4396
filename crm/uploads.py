"""Refuse oversized uploads while they stream in, not after they are stored.

Django would otherwise write a multi-gigabyte upload to a temporary file before
any view could look at its size. This handler, first in FILE_UPLOAD_HANDLERS,
passes a file's chunks on to the usual handlers until it grows past
IMPORT_MAX_BYTES (the only uploads Rapport takes are imports); from then on it
counts and drops the rest, and hands the view an empty stand-in whose `size` is
the real size. The views' own size checks then answer 413 with a clear message.
"""

import io
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import InMemoryUploadedFile, UploadedFile
from django.core.files.uploadhandler import FileUploadHandler


class OversizedUploadHandler(FileUploadHandler):
    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0
        self.oversized = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.received > settings.IMPORT_MAX_BYTES:
            self.oversized = True
        # None stops the chunk here; the handlers after this one never see it.
        return None if self.oversized else raw_data

    def file_complete(self, file_size: int) -> UploadedFile | None:
        if not self.oversized:
            return None  # the next handler (memory or temporary file) has the whole file
        return InMemoryUploadedFile(
            io.BytesIO(b""),
            self.field_name,
            self.file_name,
            self.content_type,
            self.received,
            self.charset,
            self.content_type_extra,
        )
