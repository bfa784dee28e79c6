"""Notebook views of a finished job's JobExecutionResult and of an async job's JobClient."""

from pyflink_go._notebook import html as h

__all__ = ['result_html', 'client_html', 'client_text', 'OUTPUT_LINES']

OUTPUT_LINES = 30


def result_html(result) -> str:
    """A small table: job name, id, net runtime and any accumulators."""
    pairs = []
    name = getattr(result, "_job_name", None)
    if name:
        pairs.append(("job", name))
    pairs.append(("job id", str(result.get_job_id())))
    runtime = result.get_net_runtime()
    pairs.append(("net runtime", "%s (%d ms)" % (h.format_ms(runtime), runtime)
                  if runtime >= 1000 else h.format_ms(runtime)))
    for key, value in sorted(result.get_all_accumulator_results().items()):
        pairs.append(("accumulator " + str(key), value))
    return h.key_value_table(pairs, title="JobExecutionResult", css_class="pyflink-go-result")


def _client_facts(client):
    job = client._job
    return job.name, str(client.get_job_id()), client.get_job_status().result().name


def client_text(client) -> str:
    """``JobClient(job='name', job_id=..., status=RUNNING)``."""
    name, job_id, status = _client_facts(client)
    return "JobClient(job=%r, job_id=%s, status=%s)" % (name, job_id, status)


def client_html(client) -> str:
    """The job's name, id and status, and the last lines it printed."""
    name, job_id, status = _client_facts(client)
    table = h.key_value_table((("job", name), ("job id", job_id), ("status", status)),
                              title="JobClient", css_class="pyflink-go-client")
    lines = client.get_output()
    if not lines:
        return table
    tail = lines[-OUTPUT_LINES:]
    note = "" if len(tail) == len(lines) else \
        "last %d of %s lines printed\n" % (
            len(tail), h.format_count(len(lines)))
    return h.box(table, '<pre style="font-size:12px;margin:4px 0">%s%s</pre>'
                 % (h.escape(note), h.escape("\n".join(tail))))
