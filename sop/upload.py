"""Where a case's attachments are stored.

:func:`lampiran_path` is the ``upload_to`` of an attachment model: a model with a foreign
key to a case (a subclass of :class:`sop.models.Case`) and ``jenis``, the MIME type sniffed
from the file (``upload.sniffed_type`` of :class:`sop.forms.UploadField`). The file goes to
``lampiran/<the case's kode>/<16 random hex digits><extension>``: one folder per case, and
a name that says nothing of what the citizen called the file (that name is kept in the row).
"""

import secrets

from .forms import FILE_KINDS


def case_of(attachment):
    """The case an attachment belongs to: the object of its foreign key to a Case."""
    from .models import Case

    for field in attachment._meta.concrete_fields:
        if field.many_to_one and issubclass(field.related_model, Case):
            return getattr(attachment, field.name)
    raise TypeError(f"{type(attachment).__name__} has no foreign key to a Case")


def lampiran_path(instance, filename):
    """``upload_to`` of an attachment: see the module's docstring. ``filename`` is ignored."""
    extension = FILE_KINDS.get(instance.jenis, (None, ("",)))[1][0]
    return f"lampiran/{case_of(instance).kode}/{secrets.token_hex(8)}{extension}"
