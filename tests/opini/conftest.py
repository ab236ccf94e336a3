"""The lanes of opinion monitoring, one user each, and two units."""

import pytest

from tests.factories import UnitFactory, UserFactory


@pytest.fixture
def people(sops):
    dinas, lain = UnitFactory(nama="Dinas Pekerjaan Umum"), UnitFactory(nama="Dinas Kesehatan")
    return {
        "unit": dinas,
        "pemantau": UserFactory(username="pemantau", lanes=("CRB-OPINI", "pemantau")),
        "kasi": UserFactory(username="kasi", lanes=("CRB-OPINI", "kasi_pop")),
        "kabid": UserFactory(username="kabid", lanes=("CRB-OPINI", "kabid_pip")),
        "pd": UserFactory(username="pd_pu", lanes=("CRB-OPINI", "perangkat_daerah"), units=[dinas]),
        "pd_lain": UserFactory(username="pd_kes", lanes=("CRB-OPINI", "perangkat_daerah"), units=[lain]),
        "admin_aduan": UserFactory(username="admin_k", lanes=("DMK-ADUAN", "admin_koordinator")),
    }
