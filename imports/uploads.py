"""An upload handler that stops reading a request's file past the imports' size limit.

``UploadForm`` checks the size too, but only once Django has read the whole body (to memory, or to a
temporary file past 2.5 MB): a client could make the server read and store gigabytes before being told
no. This handler sees each chunk as it arrives and stops the upload at the first byte past the limit,
before it is stored anywhere; the connection is reset rather than the rest of the body being read.
It is installed by the import views only (``imports.views``), the rest of the site keeps Django's.
"""

from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest

from imports.readers import MAX_UPLOAD_BYTES


class CappedUploadHandler(FileUploadHandler):
    """Counts a file's bytes as they arrive; ``exceeded`` tells the view why the file is missing."""

    def __init__(self, request: HttpRequest | None = None, limit: int = MAX_UPLOAD_BYTES) -> None:
        super().__init__(request)
        self.limit = limit
        self.exceeded = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        if start + len(raw_data) > self.limit:
            self.exceeded = True
            raise StopUpload(connection_reset=True)
        return raw_data  # passed on to Django's handlers, which store it

    def file_complete(self, file_size: int) -> None:
        return None  # Django's next handler builds the file
