"""Officers change their own password on a staff page, under the project's password rules."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(sops):
    return UserFactory(username="kasi_sandi", lanes=("CRB-OPINI", "kasi_pop"))


def test_an_officer_changes_their_password_and_stays_signed_in(client, officer):
    client.force_login(officer)
    response = client.post(reverse("staf:sandi"), {
        "old_password": "sandi-rahasia-123", "new_password1": "Kerja-Bakti-Bintoro-77",
        "new_password2": "Kerja-Bakti-Bintoro-77",
    })
    assert response.status_code == 302 and response["Location"] == reverse("staf:sandi_selesai")
    officer.refresh_from_db()
    assert officer.check_password("Kerja-Bakti-Bintoro-77")
    assert client.get(reverse("sop:antrian")).status_code == 200


@pytest.mark.parametrize("new, reason", [
    ("12345678901", "seluruhnya terdiri dari angka"),
    ("pendek1", "terlalu pendek"),
    ("password123", "terlalu umum"),
])
def test_a_weak_password_is_refused_in_indonesian_and_the_old_one_still_works(client, officer, new, reason):
    client.force_login(officer)
    response = client.post(reverse("staf:sandi"), {
        "old_password": "sandi-rahasia-123", "new_password1": new, "new_password2": new,
    })
    assert response.status_code == 400
    assert reason in response.content.decode()
    officer.refresh_from_db()
    assert officer.check_password("sandi-rahasia-123")


def test_a_wrong_old_password_is_refused(client, officer):
    client.force_login(officer)
    response = client.post(reverse("staf:sandi"), {
        "old_password": "salah", "new_password1": "Kerja-Bakti-Bintoro-77", "new_password2": "Kerja-Bakti-Bintoro-77",
    })
    assert response.status_code == 400
    officer.refresh_from_db()
    assert officer.check_password("sandi-rahasia-123")
