"""The ``pyflink-go`` command line: Flink's ``flink`` CLI for jobs that run on pyflink_go.

::

    pyflink-go list      [-m host:port] [-r] [-s] [-a]
    pyflink-go savepoint [-m host:port] <jobId> [targetDirectory]
    pyflink-go stop      [-m host:port] [-p|--savepointPath dir] [-d|--drain] <jobId>
    pyflink-go cancel    [-m host:port] <jobId>
    pyflink-go [run] script.py [args ...]      (the script runner, as ``python -m pyflink_go``)

Like Flink's CLI it talks to the REST API of the process that runs the job: a pyflink_go job
runs inside the Python process that called ``execute()``/``execute_async()``, and that process
serves Flink's REST API when the job's configuration sets ``rest.port`` (engine/rest). The
address comes from ``-m/--jobmanager``, else ``$PYFLINK_GO_JOBMANAGER``, else 127.0.0.1:8081.

The output lines and options are Flink's (flink-clients' CliFrontend). A failure prints the
reason under Flink's "The program finished with the following exception" banner and exits 1.
Only the standard library is used, so the command starts fast and needs no engine.
"""

import argparse
import datetime
import json
import os
import re
import sys
import time
import urllib.error
import urllib.request
from typing import Any, Dict, List, Optional, Tuple

__all__ = ["main", "CliError"]

DEFAULT_JOBMANAGER = "127.0.0.1:8081"
JOBMANAGER_ENV = "PYFLINK_GO_JOBMANAGER"
REQUEST_TIMEOUT_S = 30.0
POLL_FIRST_S = 0.01  # a savepoint of an idle job takes milliseconds: ask again soon,
POLL_MAX_S = 0.2     # then back off to this interval
SAVEPOINT_TIMEOUT_S = 600.0  # the engine gives a savepoint 10 minutes, too

COMMANDS = ("list", "savepoint", "stop", "cancel")
RULE = "-" * 62
JOB_ID = re.compile(r"^[0-9a-fA-F]{32}$")

USAGE = """usage: pyflink-go <command> [options] [arguments]

Commands:
  list       [-m host:port] [-r] [-s] [-a]          list running (and, with -a, ended) jobs
  savepoint  [-m host:port] <jobId> [targetDir]      trigger a savepoint of a running job
  stop       [-m host:port] [-p dir] [-d] <jobId>    stop a job with a savepoint
  cancel     [-m host:port] <jobId>                  cancel a running job
  run        script.py [args ...]                    run a PyFlink program (also without `run`)

-m/--jobmanager is the REST address of the Python process running the job (its rest.port);
it defaults to $PYFLINK_GO_JOBMANAGER, else 127.0.0.1:8081.
"""


class CliError(Exception):
    """A failure to report to the user: the message says what went wrong and what to do."""


# ---- REST client ----

class RestClient(object):
    """A tiny client of Flink's REST API at ``host:port``."""

    def __init__(self, address: str):
        address = address.strip()
        if not address:
            raise CliError("the JobManager address is empty; pass -m host:port")
        if "://" not in address:
            address = "http://" + address
        self.base = address.rstrip("/")
        self.address = self.base.split("://", 1)[1]

    def call(self, method: str, path: str, body: Optional[Dict[str, Any]] = None) -> Tuple[int, Any]:
        """Send one request; return the status code and the decoded JSON body."""
        data = None if body is None else json.dumps(body).encode("utf-8")
        req = urllib.request.Request(self.base + path, data=data, method=method)
        if data is not None:
            req.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(req, timeout=REQUEST_TIMEOUT_S) as resp:
                return resp.status, _decode(resp.read())
        except urllib.error.HTTPError as e:
            return e.code, _decode(e.read())
        except (urllib.error.URLError, OSError) as e:
            reason = getattr(e, "reason", e)
            raise CliError(
                "Could not connect to the JobManager at %s (%s). The REST endpoint is served by "
                "the Python process running the job, when the job's configuration sets rest.port "
                "(for example config.set_string('rest.port', '8081')); check that the job is "
                "running and that -m or $%s names its address." % (self.address, reason, JOBMANAGER_ENV)
            ) from None

    def expect(self, status: int, method: str, path: str,
               body: Optional[Dict[str, Any]] = None) -> Any:
        """Send a request and return its body; any other status than ``status`` is a CliError
        carrying the server's error message."""
        code, payload = self.call(method, path, body)
        if code != status:
            raise CliError(_errors(payload) or "HTTP %d from %s%s" % (code, self.address, path))
        return payload


def _decode(raw: bytes) -> Any:
    if not raw:
        return {}
    try:
        return json.loads(raw.decode("utf-8"))
    except ValueError:
        return {"errors": [raw.decode("utf-8", "replace").strip()]}


def _errors(payload: Any) -> str:
    """The server's error messages; of a Java stack trace (a Flink cluster's), its first line."""
    if isinstance(payload, dict) and payload.get("errors"):
        return "; ".join(str(e).strip().split("\n", 1)[0] for e in payload["errors"])
    return ""


# ---- commands ----

def _check_job_id(job_id: str) -> str:
    if not JOB_ID.match(job_id):
        raise CliError("The value for the Job ID is not a valid ID: %r (a job id is 32 hexadecimal "
                       "digits; `pyflink-go list` shows them)." % job_id)
    return job_id.lower()


def _format_jobs(jobs: List[Dict[str, Any]]) -> List[str]:
    """Flink's printJobStatusMessages: by start time, 'dd.MM.yyyy HH:mm:ss : id : name (STATE)'."""
    lines = []
    for job in sorted(jobs, key=lambda j: j.get("start-time", 0)):
        start = datetime.datetime.fromtimestamp(max(job.get("start-time", 0), 0) / 1000.0)
        lines.append("%s : %s : %s (%s)" % (start.strftime("%d.%m.%Y %H:%M:%S"), job["jid"],
                                            job.get("name", ""), job.get("state", "")))
    return lines


def cmd_list(client: RestClient, args: argparse.Namespace) -> None:
    show_all = args.all
    show_running = args.running or not (args.scheduled or show_all)
    print("Waiting for response...", flush=True)
    jobs = client.expect(200, "GET", "/jobs/overview").get("jobs", [])
    terminal = ("FINISHED", "FAILED", "CANCELED", "SUSPENDED")
    running = [j for j in jobs if j.get("state") not in terminal + ("CREATED",)]
    scheduled = [j for j in jobs if j.get("state") == "CREATED"]
    ended = [j for j in jobs if j.get("state") in terminal]
    if show_running or show_all:
        if not running:
            print("No running jobs.")
        else:
            print("------------------ Running/Restarting Jobs -------------------")
            print("\n".join(_format_jobs(running)))
            print(RULE)
    if args.scheduled or show_all:
        if not scheduled:
            print("No scheduled jobs.")
        else:
            print("----------------------- Scheduled Jobs -----------------------")
            print("\n".join(_format_jobs(scheduled)))
            print(RULE)
    if show_all and ended:
        print("---------------------- Terminated Jobs -----------------------")
        print("\n".join(_format_jobs(ended)))
        print(RULE)


def _await_savepoint(client: RestClient, job_id: str, request_id: str, what: str) -> str:
    """Poll a savepoint operation until it completes; return its location."""
    path = "/jobs/%s/savepoints/%s" % (job_id, request_id)
    deadline = time.monotonic() + SAVEPOINT_TIMEOUT_S
    interval = POLL_FIRST_S
    while True:
        result = client.expect(200, "GET", path)
        if (result.get("status") or {}).get("id") == "COMPLETED":
            op = result.get("operation") or {}
            if op.get("location"):
                return op["location"]
            cause = op.get("failure-cause") or {}
            raise CliError("%s for the job %s failed: %s" % (
                what, job_id, cause.get("stack-trace") or cause.get("class") or "unknown cause"))
        if time.monotonic() > deadline:
            raise CliError("%s for the job %s did not complete within %d seconds (trigger id %s)" % (
                what, job_id, SAVEPOINT_TIMEOUT_S, request_id))
        time.sleep(interval)
        interval = min(interval * 2, POLL_MAX_S)


def _trigger(client: RestClient, job_id: str, path: str, body: Dict[str, Any], what: str) -> str:
    code, payload = client.call("POST", path, body)
    if code != 202:
        raise CliError("%s for the job %s failed: %s" % (
            what, job_id, _errors(payload) or "HTTP %d" % code))
    return _await_savepoint(client, job_id, payload["request-id"], what)


def cmd_savepoint(client: RestClient, args: argparse.Namespace) -> None:
    job_id = _check_job_id(args.jobId)
    print("Triggering savepoint for job %s." % job_id)
    print("Waiting for response...", flush=True)
    body = {"cancel-job": False, "formatType": args.type}
    if args.targetDirectory:
        body["target-directory"] = args.targetDirectory
    location = _trigger(client, job_id, "/jobs/%s/savepoints" % job_id, body, "Triggering a savepoint")
    print("Savepoint completed. Path: %s" % location)
    print("You can resume your program from this savepoint with the run command.")


def cmd_stop(client: RestClient, args: argparse.Namespace) -> None:
    job_id = _check_job_id(args.jobId)
    print('%s job "%s" with a %s savepoint.' % ("Draining" if args.drain else "Suspending", job_id,
                                                  args.type))
    print("Triggering stop-with-savepoint for job %s." % job_id)
    print("Waiting for response...", flush=True)
    body = {"drain": bool(args.drain), "formatType": args.type}
    if args.savepointPath:
        body["targetDirectory"] = args.savepointPath
    location = _trigger(client, job_id, "/jobs/%s/stop" % job_id, body, "Stopping with a savepoint")
    print("Savepoint completed. Path: %s" % location)


def cmd_cancel(client: RestClient, args: argparse.Namespace) -> None:
    job_id = _check_job_id(args.jobId)
    print("Cancelling job %s." % job_id, flush=True)
    code, payload = client.call("PATCH", "/jobs/%s?mode=cancel" % job_id)
    if code != 202:
        raise CliError("Could not cancel job %s: %s" % (job_id, _errors(payload) or "HTTP %d" % code))
    print("Cancelled job %s." % job_id)


# ---- argument parsing ----

def _parser(command: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="pyflink-go " + command)
    p.add_argument("-m", "--jobmanager", default=None, metavar="host:port",
                   help="REST address of the process running the job (default $%s or %s)"
                   % (JOBMANAGER_ENV, DEFAULT_JOBMANAGER))
    if command == "list":
        p.add_argument("-r", "--running", action="store_true", help="show only running jobs")
        p.add_argument("-s", "--scheduled", action="store_true", help="show only scheduled jobs")
        p.add_argument("-a", "--all", action="store_true", help="show all jobs, ended ones too")
    elif command == "savepoint":
        p.add_argument("-t", "-type", "--type", default="CANONICAL", choices=["CANONICAL", "NATIVE"],
                       help="savepoint format (the engine writes one format for both)")
        p.add_argument("jobId")
        p.add_argument("targetDirectory", nargs="?", default=None,
                       help="where the savepoint goes (default: the job's "
                            "execution.checkpointing.savepoint-dir)")
    elif command == "stop":
        p.add_argument("-p", "--savepointPath", default=None, metavar="dir",
                       help="where the savepoint goes (default: the job's "
                            "execution.checkpointing.savepoint-dir)")
        p.add_argument("-d", "--drain", action="store_true",
                       help="advance to the end of event time before stopping: every event-time "
                            "window and timer fires before the savepoint")
        p.add_argument("-t", "-type", "--type", default="CANONICAL", choices=["CANONICAL", "NATIVE"],
                       help="savepoint format (the engine writes one format for both)")
        p.add_argument("jobId")
    elif command == "cancel":
        p.add_argument("jobId")
    return p


HANDLERS = {"list": cmd_list, "savepoint": cmd_savepoint, "stop": cmd_stop, "cancel": cmd_cancel}


def _fail(message: str) -> None:
    sys.stderr.write("\n" + "-" * 60 + "\n The program finished with the following exception:\n\n"
                     + message + "\n")
    raise SystemExit(1)


def main(argv: Optional[List[str]] = None) -> None:
    """Run one command; anything that is not a command runs as a script (``python -m pyflink_go``).

    :param argv: the command and its arguments; ``sys.argv[1:]`` by default.
    """
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help", "help"):
        sys.stderr.write(USAGE)
        raise SystemExit(0 if args else 1)
    if args[0] not in COMMANDS:
        from pyflink_go.__main__ import main as run_script
        run_script(args)
        return
    command = args[0]
    ns = _parser(command).parse_args(args[1:])
    address = ns.jobmanager or os.environ.get(JOBMANAGER_ENV) or DEFAULT_JOBMANAGER
    try:
        HANDLERS[command](RestClient(address), ns)
    except CliError as e:
        _fail(str(e))
    except KeyboardInterrupt:
        raise SystemExit(130)


if __name__ == "__main__":
    main()
