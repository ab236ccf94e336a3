"""Helpers for the import/export tests: they drive the real admin URLs (export form, import
preview, confirmation) with Django's test client, as an admin user would."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

CSV, XLSX = "0", "1"  # the admin's format choices, in the order sop.admin lists them


def _url(model, view):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}")


def ekspor(client, model, fmt=CSV, **extra):
    """POST the admin's export form with every column ticked; returns the response."""
    page = client.get(_url(model, "export"))
    assert page.status_code == 200, page.status_code
    form = page.context["form"]
    data = {"format": fmt, "resource": "0", **extra}
    for name, field in form.fields.items():
        if getattr(field, "is_selectable_field", False):
            data[name] = "on"
    return client.post(_url(model, "export"), data)


def baca_csv(response):
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def tulis_csv(rows, headers=None):
    headers = headers or list(rows[0])
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=headers)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def pratinjau(client, model, content, name="data.csv", fmt=CSV):
    """Upload a file to the admin's import page: the preview (a dry run)."""
    upload = SimpleUploadedFile(name, content)
    return client.post(_url(model, "import"), {"resource": "0", "format": fmt, "import_file": upload})


def konfirmasi(client, model, preview):
    """Post the preview's confirmation form, as the 'Confirm import' button does."""
    form = preview.context["confirm_form"]
    assert form is not None, "the preview offered no confirmation"
    data = {name: form.initial.get(name, "") for name in form.fields}
    return client.post(_url(model, "process_import"), data)


def impor(client, model, content, name="data.csv", fmt=CSV):
    preview = pratinjau(client, model, content, name, fmt)
    assert preview.status_code == 200
    result = preview.context["result"]
    assert not result.has_errors() and not result.has_validation_errors(), galat_baris(preview)
    return konfirmasi(client, model, preview)


def galat_baris(preview):
    """{row number: [messages]} from the preview's validation and row errors."""
    result = preview.context["result"]
    out = {}
    for row in result.invalid_rows:
        for messages in row.error_dict.values():
            out.setdefault(row.number, []).extend(str(m) for m in messages)
    for number, errors in result.row_errors():
        out.setdefault(number, []).extend(str(e.error) for e in errors)
    return out
