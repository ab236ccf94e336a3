"""The form every staff action starts from: a note, and the stage the officer saw."""

import filetype
from django import forms


class CatatanForm(forms.Form):
    """A note, required where the transition says ``note_required``. ``tahap`` carries the
    state the page showed, so acting on a stale page is refused instead of misapplied.
    Subclasses add the fields a transition needs and return them from ``data_for_service``."""

    catatan = forms.CharField(label="Catatan", required=False, max_length=4000,
                              widget=forms.Textarea(attrs={"rows": 3}))
    tahap = forms.CharField(widget=forms.HiddenInput, required=False, max_length=60)

    def __init__(self, *args, note_required=False, case=None, **kwargs):
        self.case = case
        super().__init__(*args, **kwargs)
        if note_required:
            self.fields["catatan"].required = True
            self.fields["catatan"].label = "Alasan / catatan"
            self.fields["catatan"].error_messages["required"] = "Tindakan ini wajib disertai alasan atau catatan."

    def data_for_service(self):
        return {}


def sniff(upload):
    """An upload's real MIME type, read from its first bytes (its name proves nothing)."""
    upload.seek(0)
    head = upload.read(262)
    upload.seek(0)
    kind = filetype.guess(head)
    return kind.mime if kind else None
