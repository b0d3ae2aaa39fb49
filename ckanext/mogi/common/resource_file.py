"""A local path to a resource's file, for the jobs that read one (the
validation, the DataStore loader, the OCDS import): CKAN's stored upload, or
a download written to a temporary file that is removed afterwards."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any
from urllib.parse import urlparse

from ckan.lib import uploader

from .i18n import N_, TranslatableError

#: Why a resource with neither an upload nor an http(s) link cannot be read.
NO_LINK = N_("The resource has neither an uploaded file nor an http(s) link.")


@contextlib.contextmanager
def local_path(resource: Mapping[str, Any], download: Callable[[str], Iterable[bytes]], *,
               error: type[TranslatableError], prefix: str, suffix: str = "",
               no_link: str = NO_LINK) -> Iterator[str]:
    """The path of ``resource``'s stored upload, or of a temporary file holding
    what ``download(url)`` yields (the caller's capped, checked download).
    ``error`` (with a msgid) when the upload is missing or there is no
    http(s) link (``no_link``)."""
    if resource.get("url_type") == "upload":
        path = str(uploader.get_resource_uploader(dict(resource)).get_path(resource["id"]))
        if not os.path.isfile(path):
            raise error(N_("The uploaded file was not found in the portal's storage."))
        yield path
        return
    url = str(resource.get("url") or "")
    if urlparse(url).scheme not in ("http", "https"):
        raise error(no_link)
    handle, path = tempfile.mkstemp(prefix=prefix, suffix=suffix)
    try:
        with os.fdopen(handle, "wb") as out:
            for chunk in download(url):
                out.write(chunk)
        yield path
    finally:
        os.unlink(path)
