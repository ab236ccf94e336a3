from django.apps import AppConfig
from django.urls import reverse

from sop.registry import CaseLink, MenuEntry, registry


def case_pdf_link(case):
    """The case page's link to the case's archive PDF (sop.registry case link)."""
    url = reverse("arsip:kasus_pdf", args=[case.SOP_KODE, case.kode])
    return CaseLink("Unduh arsip kasus (PDF)", url, html_id="unduh-arsip-kasus", download=True)


class ArsipConfig(AppConfig):
    """Archives of cases: the PDF link in every case header and the bulk archive's staff menu
    entry (for admin-site staff allowed to make one), through sop.registry."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "arsip"
    verbose_name = "Arsip"

    def ready(self):
        registry.register(
            self,
            staff_menu=[MenuEntry("Arsip massal", "arsip:massal", permission="arsip.buat_arsip_massal",
                                  admin_staff=True)],
            case_links=[case_pdf_link],
        )
