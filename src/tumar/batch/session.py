"""Starting Spark quietly on this machine or a cluster (the other half of the Spark adapter, with :mod:`.spark`).

Local mode binds the driver to 127.0.0.1, turns the web UI off and sends Spark's own log to a file in a temporary
folder removed at exit; the executors run the interpreter Tumar is installed in.
"""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from py4j.protocol import Py4JJavaError
from pyspark import SparkConf, SparkContext
from pyspark.errors import PySparkRuntimeError
from pyspark.java_gateway import launch_gateway
from pyspark.sql import SparkSession

from tumar.errors import InputError, TumarError

__all__ = ["first_line", "start_session"]

_LOG4J = """\
rootLogger.level = warn
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{yy/MM/dd HH:mm:ss} %p %c{1}: %m%n%ex
"""
_SETTINGS = {
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.python.worker.reuse": "true",  # the analyzer is loaded once per worker process
}


def start_session(master: str, app_name: str) -> SparkSession:
    conf = SparkConf().setMaster(master).setAppName(app_name)
    for key, value in _SETTINGS.items():
        conf.set(key, value)
    if master.startswith("local"):
        # Workers run this interpreter (the one Tumar is installed in); nothing listens beyond this machine.
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        conf.set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1")
    # PySpark keeps one JVM per process: launch it (quiet) unless an earlier session already did.
    gateway = _launch(conf) if SparkContext._gateway is None else None
    try:
        context = SparkContext(conf=conf, gateway=gateway)
    except Py4JJavaError as exc:
        raise InputError(f"Spark could not start on {master!r}: {first_line(exc.java_exception)}") from None
    context.setLogLevel("ERROR")
    return SparkSession.builder.getOrCreate()


def _launch(conf: SparkConf) -> Any:
    folder = Path(tempfile.mkdtemp(prefix="tumar-spark-"))
    atexit.register(shutil.rmtree, folder, True)
    settings = folder / "log4j2.properties"
    settings.write_text(_LOG4J, encoding="utf-8")
    options = conf.get("spark.driver.extraJavaOptions") or ""
    conf.set(
        "spark.driver.extraJavaOptions", f"{options} -Dlog4j2.configurationFile={settings.as_uri()}".strip()
    )
    logfile = folder / "spark.log"
    with logfile.open("wb") as sink:
        try:
            return launch_gateway(conf, popen_kwargs={"stdout": sink, "stderr": sink})
        except (PySparkRuntimeError, OSError) as exc:
            lines = logfile.read_text(encoding="utf-8", errors="replace").strip().splitlines()
            reason = lines[-1] if lines else str(exc)
            raise TumarError(f"Spark could not start (it needs Java 17 or newer): {reason}") from None


def first_line(error: object) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else "unknown error"
