"""The deadline sweep's record moves out of the Task: each reminder and escalation
becomes a Peringatan row, and the sweep's span is kept in Sapuan. The reminders and
escalations already recorded on Tasks are copied over as delivered (the old sweep wrote their
outbox rows when it claimed them), so none is raised twice. No Sapuan row is written: the
first sweep after this looks from the beginning, and the constraint skips what was copied."""

import django.db.models.deletion
from django.db import migrations, models


def copy_claims(apps, schema_editor):
    task = apps.get_model("sop", "Task")._meta.db_table
    peringatan = apps.get_model("sop", "Peringatan")._meta.db_table
    qn = schema_editor.quote_name
    insert = f"INSERT INTO {qn(peringatan)} (task_id, jenis, dibuat, not_before, diuraikan) "
    # An escalation set reminded_at too when the step had not been reminded: only an earlier
    # reminded_at was a reminder of its own.
    schema_editor.execute(
        insert + f"SELECT id, 'eskalasi', escalated_at, escalated_at, escalated_at FROM {qn(task)} "
        "WHERE escalated_at IS NOT NULL"
    )
    schema_editor.execute(
        insert + f"SELECT id, 'pengingat', reminded_at, reminded_at, reminded_at FROM {qn(task)} "
        "WHERE reminded_at IS NOT NULL AND (escalated_at IS NULL OR reminded_at < escalated_at)"
    )


class Migration(migrations.Migration):

    dependencies = [
        ('sop', '0006_task_indeks_antrian'),
    ]

    operations = [
        migrations.CreateModel(
            name='Peringatan',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('task', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='peringatan', to='sop.task')),
                ('jenis', models.CharField(choices=[('pengingat', 'pengingat'), ('eskalasi', 'eskalasi')], max_length=20)),
                ('dibuat', models.DateTimeField()),
                ('not_before', models.DateTimeField(verbose_name='kirim setelah')),
                ('diuraikan', models.DateTimeField(blank=True, null=True, verbose_name='diteruskan ke penerima')),
            ],
            options={
                'verbose_name': 'peringatan tenggat',
                'verbose_name_plural': 'peringatan tenggat',
                'ordering': ['dibuat', 'id'],
                'constraints': [models.UniqueConstraint(fields=('task', 'jenis'), name='peringatan_satu_per_task')],
                'indexes': [models.Index(condition=models.Q(('diuraikan__isnull', True)), fields=['not_before'], name='peringatan_menunggu')],
            },
        ),
        migrations.CreateModel(
            name='Sapuan',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('dari', models.DateTimeField(blank=True, null=True)),
                ('sampai', models.DateTimeField()),
            ],
            options={
                'verbose_name': 'sapuan tenggat',
                'verbose_name_plural': 'sapuan tenggat',
            },
        ),
        migrations.RunPython(copy_claims, migrations.RunPython.noop, elidable=True),
        migrations.RemoveIndex(model_name='task', name='task_open_remind'),
        migrations.RemoveIndex(model_name='task', name='task_open_escalate'),
        migrations.RemoveIndex(model_name='task', name='task_sweep_claim'),
        migrations.RemoveField(model_name='task', name='escalated_at'),
        migrations.RemoveField(model_name='task', name='reminded_at'),
        migrations.RemoveField(model_name='task', name='sweep_claim'),
        migrations.AddIndex(
            model_name='task',
            index=models.Index(condition=models.Q(('finished_at__isnull', True)), fields=['due_at'], name='task_open_due'),
        ),
        migrations.AddIndex(
            model_name='task',
            index=models.Index(condition=models.Q(('finished_at__isnull', True)), fields=['remind_at'], name='task_open_ingat'),
        ),
    ]
