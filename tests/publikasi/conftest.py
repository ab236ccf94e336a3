"""The lanes of social-media publishing, one user each."""

import pytest

from tests.factories import UserFactory


@pytest.fixture
def people(sops):
    return {
        "ketua": UserFactory(username="ketua", first_name="Pak Ketua", lanes=("BUNDER-MEDSOS", "ketua_ppid")),
        "seksi": UserFactory(username="seksi", first_name="Bu Seksi", lanes=("BUNDER-MEDSOS", "seksi_pddi")),
        "admin": UserFactory(username="admin_medsos", lanes=("BUNDER-MEDSOS", "admin_medsos")),
        "pemantau": UserFactory(username="pemantau", lanes=("CRB-OPINI", "pemantau")),
    }
