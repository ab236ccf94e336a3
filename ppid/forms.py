"""Staff login form with its messages in Bahasa Indonesia."""

from django.contrib.auth.forms import AuthenticationForm


class MasukForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Nama pengguna atau kata sandi salah. Periksa kembali lalu coba lagi.",
        "inactive": "Akun ini tidak aktif. Hubungi admin PPID.",
    }
