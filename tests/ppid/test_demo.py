"""``manage.py demo`` (run by ``make run``): the demo data, idempotent."""

from django.core.management import call_command

from aduan.models import Aduan
from sop.models import Task


def test_the_demo_has_one_complaint_taken_to_the_archive_and_running_it_again_adds_nothing(db):
    call_command("demo")
    call_command("demo")
    assert Aduan.objects.count() == 3
    closed = Aduan.objects.get(state=Aduan.State.ARCHIVED)
    tasks = Task.objects.of_case(closed)
    assert not tasks.open().exists()
    assert list(tasks.order_by("started_at", "id").values_list("transition", flat=True)) == [
        "dibuat", "accept_complaint", "verify_opd", "dispatch_to_opd", "submit_answer", "post_answer",
        "confirm_final", "archive"]
