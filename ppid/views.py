"""Site-wide pages: the public home page and the error pages, all in Bahasa Indonesia."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.shortcuts import render
from django.urls import reverse_lazy

from sop.waktu import retry_in_words


def beranda(request):
    return render(request, "beranda.html")


def _galat(request, status, judul, pesan):
    return render(request, "galat.html", {"judul": judul, "pesan": pesan}, status=status)


def csrf_failure(request, reason=""):
    return _galat(
        request,
        403,
        "Sesi formulir kedaluwarsa",
        "Formulir ini tidak dapat diterima karena sesi Anda telah berakhir atau cookie "
        "dinonaktifkan. Muat ulang halaman, lalu kirim kembali.",
    )


def bad_request(request, exception=None):
    return _galat(request, 400, "Permintaan tidak valid", "Permintaan yang dikirim tidak dapat dibaca.")


def permission_denied(request, exception=None):
    return _galat(request, 403, "Akses ditolak", "Anda tidak memiliki akses ke halaman ini.")


def page_not_found(request, exception=None):
    return _galat(request, 404, "Halaman tidak ditemukan", "Alamat yang Anda buka tidak ada.")


def server_error(request):
    return _galat(
        request, 500, "Terjadi kesalahan", "Terjadi kesalahan pada sistem. Silakan coba beberapa saat lagi."
    )


def terkunci(request, original_response=None, credentials=None):
    """django-axes's lockout page (AXES_LOCKOUT_CALLABLE): too many wrong passwords for one
    user name from one address. The lock runs from this attempt, so its end is known."""
    menit = round(settings.AXES_COOLOFF_TIME * 60)
    return _galat(
        request,
        429,
        "Percobaan masuk dikunci sementara",
        f"Terlalu banyak percobaan masuk yang gagal untuk nama pengguna ini. Demi keamanan akun, "
        f"masuk dikunci sementara. Silakan coba lagi {retry_in_words(menit * 60)}. "
        "Jika lupa kata sandi, hubungi admin PPID.",
    )


class GantiSandi(auth_views.PasswordChangeView):
    """An officer changes their own password (officers are not admin-site staff, so the admin's
    page is not theirs). The password rules are the project's validators; a refused form is a 400."""

    template_name = "staf/sandi.html"
    success_url = reverse_lazy("staf:sandi_selesai")

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


ganti_sandi = GantiSandi.as_view()
sandi_selesai = auth_views.PasswordChangeDoneView.as_view(template_name="staf/sandi_selesai.html")
