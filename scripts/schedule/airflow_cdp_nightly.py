"""Airflow DAG running the CDP nightly pipeline, one task per job, for the run's logical date.

Each task calls the cdp command line for Airflow's data interval start ({{ ds }}), so a
cleared task or a backfill (`airflow dags backfill cdp_nightly -s 2024-04-01 -e 2024-04-30`)
reprocesses exactly that day; the jobs are idempotent, so a retry never duplicates data.
On a cluster, replace scripts/cdp with scripts/cdp-submit (see README, "Running on a cluster").
"""
from datetime import datetime, timedelta

from airflow import DAG
from airflow.operators.bash import BashOperator

CDP_HOME = "/opt/cdp"
CDP = f"cd {CDP_HOME} && scripts/cdp"
JOBS = ["ingest"]  # later stages (identity, profiles, scores, segments) are appended here

with DAG(
    dag_id="cdp_nightly",
    start_date=datetime(2024, 1, 1),
    schedule="30 2 * * *",
    catchup=False,
    max_active_runs=1,
    default_args={"retries": 2, "retry_delay": timedelta(minutes=10)},
) as dag:
    previous = None
    for job in JOBS:
        task = BashOperator(
            task_id=job,
            bash_command=f"{CDP} run {job} --date {{{{ ds }}}}",
            env={"CDP_CONF": f"{CDP_HOME}/conf/production.conf"},
            append_env=True,
        )
        if previous is not None:
            previous >> task
        previous = task
