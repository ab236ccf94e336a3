"""Two officers act on the same case at the same moment, each on their own database connection."""

import threading

import pytest
from django.db import connection

from aduan.models import Aduan
from sop import services as engine
from sop.models import Task
from tests.factories import AduanFactory, UserFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_two_officers_accepting_the_same_complaint_at_once_one_succeeds_the_other_is_told_why(aduan_sop):
    officers = [UserFactory(lanes=("DMK-ADUAN", "admin_koordinator")) for _ in range(2)]
    aduan = engine.start(AduanFactory(email=""))
    barrier = threading.Barrier(2)
    outcomes = {}

    def officer(i):
        try:
            # Each officer has the page as it was: the case in "submitted", as the view posts it.
            seen = Aduan.objects.get(pk=aduan.pk)
            barrier.wait(timeout=10)
            engine.advance(seen, "accept_complaint", officers[i], expected_state=seen.state)
            outcomes[i] = "ok"
        except engine.TindakanDitolak as refusal:
            outcomes[i] = refusal
        except Exception as exc:  # anything else is a failure the assertion below shows
            outcomes[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=officer, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads)

    winners = [i for i, outcome in outcomes.items() if outcome == "ok"]
    refused = [outcome for outcome in outcomes.values() if isinstance(outcome, engine.TindakanDitolak)]
    assert len(winners) == 1 and len(refused) == 1, outcomes
    refusal = refused[0]
    assert refusal.status == 409
    assert "sudah diproses" in str(refusal) and "Aduan diterima" in str(refusal)
    assert officers[winners[0]].username in str(refusal)  # says who did it

    assert Aduan.objects.get(pk=aduan.pk).state == Aduan.State.ACCEPTED
    step2 = Task.objects.of_case(aduan).filter(step__nomor="2")
    assert step2.count() == 1
    assert step2.get().finished_at is not None
    assert step2.get().finished_by == officers[winners[0]]
    assert list(Task.objects.of_case(aduan).open().values_list("step__nomor", flat=True)) == ["3"]
