"""Forms the engine offers every workflow.

Staff: :class:`CatatanForm`, the form every staff action starts from. Citizens: the pieces
every public intake form needs: files judged by their content (:class:`UploadField`,
:class:`MultipleFileField`), the bot trap (:class:`BotTrapForm`), and the tracking-code
form (:class:`KodeLacakForm`). Every message is in Bahasa Indonesia.
"""

import re
import time

import filetype
from django import forms
from django.conf import settings
from django.core import signing
from django.core.files.uploadedfile import UploadedFile


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


# --- uploads ---------------------------------------------------------------------------------

def sniff(upload):
    """An upload's real MIME type, read from its first bytes (its name proves nothing)."""
    upload.seek(0)
    head = upload.read(262)
    upload.seek(0)
    kind = filetype.guess(head)
    return kind.mime if kind else None


# The kinds of file the portal accepts, in the order they are named to people: MIME type ->
# (name said in messages, extensions offered by the browser's file picker).
FILE_KINDS = {
    "application/pdf": ("PDF", (".pdf",)),
    "image/jpeg": ("JPG", (".jpg", ".jpeg")),
    "image/png": ("PNG", (".png",)),
}
DOCUMENT_TYPES = frozenset(FILE_KINDS)
IMAGE_TYPES = frozenset({"image/jpeg", "image/png"})


def describe_types(types):
    """The accepted kinds in words: "PDF, JPG atau PNG"."""
    names = [name for mime, (name, _) in FILE_KINDS.items() if mime in types]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} atau {names[-1]}"


def clean_filename(name):
    """The name a person gave a file, fit to keep and show: no path, no control characters
    (a NUL breaks PostgreSQL), at most 200 characters (the columns' length)."""
    name = re.sub(r"[\x00-\x1f\x7f]", "", (name or "").replace("\\", "/").rsplit("/", 1)[-1])
    return name.strip()[-200:] or "lampiran"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class UploadField(forms.FileField):
    """One file, judged by its content: its first bytes must be one of ``types`` (MIME types
    of :data:`FILE_KINDS`) and it may be at most ``PPID_ATTACHMENT_MAX_BYTES``. A valid
    upload leaves the field with its name cleaned (:func:`clean_filename`) and its real type
    in ``upload.sniffed_type``, for the model that stores it.

    The messages can be changed with ``error_messages`` (keys ``type`` and ``size``; they may
    use ``%(name)s``, ``%(types)s`` and ``%(mb)s``)."""

    default_error_messages = {
        "type": "Berkas \u201c%(name)s\u201d bukan %(types)s (isi berkas diperiksa, bukan namanya).",
        "size": "Berkas \u201c%(name)s\u201d lebih besar dari %(mb)s MB.",
    }

    def __init__(self, *args, types=DOCUMENT_TYPES, **kwargs):
        self.types = frozenset(types)
        kwargs.setdefault("widget", self.widget(attrs={"accept": self.accept()}))
        super().__init__(*args, **kwargs)

    def accept(self):
        """The file picker's ``accept`` attribute: the accepted kinds' extensions."""
        return ",".join(ext for mime, (_, exts) in FILE_KINDS.items() if mime in self.types for ext in exts)

    def check(self, upload):
        """Refuse ``upload`` unless it is small enough and of an accepted kind by content."""
        upload.name = clean_filename(upload.name)
        limit = settings.PPID_ATTACHMENT_MAX_BYTES
        params = {"name": upload.name, "types": describe_types(self.types), "mb": limit // (1024 * 1024)}
        if upload.size > limit:
            raise forms.ValidationError(self.error_messages["size"], code="size", params=params)
        mime = sniff(upload)
        if mime not in self.types:
            raise forms.ValidationError(self.error_messages["type"], code="type", params=params)
        upload.sniffed_type = mime

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if isinstance(upload, UploadedFile):  # not the stored file kept, nor a cleared one
            self.check(upload)
        return upload


class MultipleFileField(UploadField):
    """Several files in one input, each judged as :class:`UploadField` judges one; at most
    ``PPID_ATTACHMENT_MAX_COUNT`` of them. Cleans to a list (empty when none was sent).
    ``noun`` names the files in the count's message ("Paling banyak 3 lampiran")."""

    widget = MultipleFileInput
    default_error_messages = {
        "count": "Paling banyak %(max)s %(noun)s; Anda memilih %(count)s.",
    }

    def __init__(self, *args, noun="berkas", **kwargs):
        self.noun = noun
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if not data:
            files = []
        else:
            files = data if isinstance(data, (list, tuple)) else [data]
            files = [forms.FileField.clean(self, f, initial) for f in files]
        if not files and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        limit = settings.PPID_ATTACHMENT_MAX_COUNT
        if len(files) > limit:
            raise forms.ValidationError(self.error_messages["count"], code="count",
                                        params={"max": limit, "noun": self.noun, "count": len(files)})
        for upload in files:
            self.check(upload)
        return files


# --- the bot trap ----------------------------------------------------------------------------

class BotTrapForm(forms.Form):
    """Refuses what a bot sends, for a public form: mix it in first, as in
    ``class AduanForm(BotTrapForm, forms.ModelForm)``.

    Two fields, rendered by hand in the template (``sop/_jebakan_bot.html``) and never with
    the posted value: ``situs_web``, which people do not see and screen readers skip, must
    stay empty; ``dimulai`` carries the signed moment the form was served, and a submission
    without it, or sooner than :meth:`min_seconds` after it, is refused. Each refusal is a
    non-field error with code ``bot`` and a message that tells a person caught by mistake
    what to do; the view answers 400 and keeps what was typed.

    ``bot_trap_salt`` separates each form's signatures; the messages are class attributes
    a form may reword (``submit_label`` names its button)."""

    bot_trap_salt = "sop.formulir.dimulai"
    submit_label = "Kirim"
    too_fast_message = (
        "Formulir terkirim terlalu cepat setelah dibuka, sehingga tampak seperti kiriman otomatis. "
        "Isian Anda masih ada di bawah: periksa kembali, lalu tekan \u201c{button}\u201d lagi."
    )
    tampered_message = (
        "Formulir ini tidak lengkap atau sudah diubah, sehingga tampak seperti kiriman otomatis. "
        "Isian Anda masih ada di bawah: periksa kembali, lalu tekan \u201c{button}\u201d lagi."
    )
    trap_message = (
        "Kolom \u201cJangan diisi\u201d harus dikosongkan; kolom itu untuk menyaring kiriman otomatis. "
        "Kosongkan lalu kirim kembali."
    )

    situs_web = forms.CharField(label="Jangan diisi", required=False)
    dimulai = forms.CharField(required=False, widget=forms.HiddenInput)

    @classmethod
    def sign_start(cls, moment=None):
        """A ``dimulai`` value: ``moment`` (seconds since the epoch, default now), signed."""
        return signing.dumps(time.time() if moment is None else moment, salt=cls.bot_trap_salt)

    @classmethod
    def started_at(cls, token):
        """The moment a ``dimulai`` value was signed, or None if it is not a valid one."""
        try:
            started = signing.loads(token or "", salt=cls.bot_trap_salt)
        except signing.BadSignature:
            return None
        return started if isinstance(started, (int, float)) else None

    def min_seconds(self):
        """How long a person takes at least to fill the form in; 0 switches the check off.
        The portal's setting ``PPID_ADUAN_MIN_DETIK``, named after the first form that had it."""
        return settings.PPID_ADUAN_MIN_DETIK

    @property
    def start_token(self):
        """The ``dimulai`` value to render: the posted one while it is valid (the person's
        start time survives a re-render), else a fresh one."""
        posted = self.data.get("dimulai") if self.is_bound else None
        return posted if self.started_at(posted) is not None else self.sign_start()

    def check_bot(self):
        """Raise ValidationError (code ``bot``) if what was posted looks like a bot's."""
        if self.cleaned_data.get("situs_web"):
            raise forms.ValidationError(self.trap_message.format(button=self.submit_label), code="bot")
        minimum = self.min_seconds()
        if not minimum:
            return
        started = self.started_at(self.cleaned_data.get("dimulai"))
        if started is None:
            raise forms.ValidationError(self.tampered_message.format(button=self.submit_label), code="bot")
        if time.time() - started < minimum:
            raise forms.ValidationError(self.too_fast_message.format(button=self.submit_label), code="bot")

    def clean(self):
        data = super().clean()
        self.check_bot()
        return data


# --- tracking codes --------------------------------------------------------------------------

class KodeLacakForm(forms.Form):
    """The tracking-code form of one case model (``model``, a subclass of
    :class:`~sop.models.Case`): accepts a code typed in any case, with spaces or dashes
    anywhere, and cleans it to the stored form ``PFX-XXXX-XXXX-XXXX`` (``PFX`` the model's
    ``KODE_PREFIX``). A value that cannot be such a code is an error, never looked up.

    A subclass sets ``model`` and may reword ``empty_message`` (no code typed)."""

    model = None
    empty_message = "Masukkan kode lacak yang Anda terima."

    kode = forms.CharField(label="Kode lacak", max_length=40,
                           widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["kode"]
        field.error_messages["required"] = self.empty_message
        field.widget.attrs["placeholder"] = f"{self.model.KODE_PREFIX}-XXXX-XXXX-XXXX"

    def clean_kode(self):
        prefix = self.model.KODE_PREFIX.upper()
        code = re.sub(r"[^A-Za-z0-9]", "", self.cleaned_data["kode"]).upper()
        if len(code) != len(prefix) + 12 or not code.startswith(prefix):
            raise forms.ValidationError(
                f"Format kode lacak tidak dikenali. Contoh: {prefix}-7K3M-9QXD-2PHW.", code="format")
        body = code[len(prefix):]
        return f"{prefix}-{body[0:4]}-{body[4:8]}-{body[8:12]}"
