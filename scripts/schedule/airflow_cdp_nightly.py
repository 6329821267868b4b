"""Airflow DAG running the CDP nightly pipeline, one task per job, for the run's logical date.

Each task calls the cdp command line for Airflow's data interval start ({{ ds }}), so a
cleared task or a backfill (`airflow dags backfill cdp_nightly -s 2024-04-01 -e 2024-04-30`)
reprocesses exactly that day; the jobs are idempotent, so a retry never duplicates data.
The tasks go through scripts/cdp-submit to the cluster that SPARK_SUBMIT_OPTS_CDP names (see
README, "Running on a cluster"); for a single machine, use scripts/cdp with the local
conf/application.conf instead. Model training is not a task: scoring trains a model when no
champion exists or when cdp.ml.training.retrain-every-days says it is due.
"""
from datetime import datetime, timedelta

from airflow import DAG
from airflow.operators.bash import BashOperator

CDP_HOME = "/opt/cdp"
CDP = f"cd {CDP_HOME} && scripts/cdp-submit"
# the order of `cdp nightly` (CdpMain.PIPELINE)
JOBS = ["ingest", "identity", "privacy", "score", "profile", "segment", "export"]
ENV = {
    "CDP_CONF_FILE": f"{CDP_HOME}/conf/production.conf",
    "SPARK_HOME": "/opt/spark",
    "SPARK_SUBMIT_OPTS_CDP": "--master yarn --deploy-mode client",
}

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
            env=ENV,
            append_env=True,
        )
        if previous is not None:
            previous >> task
        previous = task
