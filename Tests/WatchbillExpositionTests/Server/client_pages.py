#!/usr/bin/python3
"""Pages written by the Prometheus project's Python client (Debian's
python3-prometheus-client), in OpenMetrics (.om) and in the text format (.txt): every
metric type the client has, label values that need escaping, NaN and infinities, exemplars.
Nothing here is Watchbill's: the bytes are the client library's own.

Usage: client_pages.py DIRECTORY
"""
import math, os, sys
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, Summary, Info, Enum, generate_latest
from prometheus_client.core import GaugeHistogramMetricFamily, CounterMetricFamily
from prometheus_client.openmetrics.exposition import generate_latest as generate_openmetrics

out = sys.argv[1]


def write(name, registry):
    open(os.path.join(out, f"client-{name}.om"), "wb").write(generate_openmetrics(registry))
    open(os.path.join(out, f"client-{name}.txt"), "wb").write(generate_latest(registry))


r = CollectorRegistry()
c = Counter("http_requests", "Requests served.", ["method", "path"], registry=r)
c.labels("GET", "/").inc(1027)
c.labels("POST", '/a "quoted" \\ path\nwith a newline').inc(3)
g = Gauge("queue_depth_bytes", "Bytes waiting, with a \\ backslash and\na newline in the help.", ["queue"], unit="bytes", registry=r)
g.labels("mail").set(12345.5)
g.labels("nan").set(math.nan)
g.labels("inf").set(math.inf)
g.labels("neg-inf").set(-math.inf)
g.labels("tiny").set(1e-300)
g.labels("huge").set(1.7e308)
write("basic", r)

r = CollectorRegistry()
h = Histogram("request_latency_seconds", "Latency.", ["service"], buckets=(0.005, 0.1, 0.5, 1, 2.5), registry=r)
for v in (0.001, 0.02, 0.3, 0.3, 0.7, 3.0):
    h.labels("api").observe(v)
h.labels("api").observe(0.05, exemplar={"trace_id": "4bf92f3577b34da6"})
s = Summary("payload_size_bytes", "Payload sizes.", registry=r)
for v in (100, 2000, 30):
    s.observe(v)
write("histogram-summary", r)

r = CollectorRegistry()
Info("build", "Build information.", registry=r).info({"version": "1.2.3", "revision": "abc123", "branch": "main"})
e = Enum("service_state", "The service's state.", states=["starting", "running", "stopped"], registry=r)
e.state("running")


class Custom:
    def collect(self):
        gh = GaugeHistogramMetricFamily("queue_wait_seconds", "Time in the queue now.", buckets=[("1.0", 4), ("+Inf", 5)], gsum_value=7.5)
        yield gh
        cm = CounterMetricFamily("jobs_done", "Jobs done.", labels=["kind"])
        cm.add_metric(["batch"], 42, timestamp=None)
        yield cm


r.register(Custom())
write("info-enum-gaugehistogram", r)
