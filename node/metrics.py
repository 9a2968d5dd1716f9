"""A tiny Prometheus registry (text exposition format 0.0.4) and its HTTP endpoint on trio.

Counters, gauges and histograms, each optionally labelled; `Registry.expose()` renders them, and
`serve_metrics` answers `GET /metrics` (404 for anything else) as Substrate's `substrate-prometheus-endpoint`
does on port 9615. `NodeMetrics` declares the standard Substrate series the service updates:
`substrate_block_height{status="best"|"finalized"}`, `substrate_ready_transactions_number`,
`substrate_rpc_calls_total{method}`, `substrate_rpc_calls_time{method}` (a histogram: _sum/_count per
method), `substrate_build_info`, `substrate_number_leaves`, `substrate_sub_libp2p_peers_count`,
`substrate_process_start_time_seconds`. Every series carries the registry's constant labels
(Substrate adds `chain="<id>"`).
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import trio

CONTENT_TYPE = "text/plain; version=0.0.4"
DEFAULT_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
RPC_TIME_BUCKETS = (0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 10.0, 60.0)
_MAX_REQUEST = 8192


class MetricError(ValueError):
    """A metric declared twice, or used with the wrong label names."""


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _fmt(value: float) -> str:
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    if math.isnan(value):
        return "NaN"
    return str(int(value)) if float(value).is_integer() and abs(value) < 2**53 else repr(float(value))


def _labels(pairs: Sequence[tuple[str, str]]) -> str:
    return "{" + ",".join(f'{k}="{_escape(v)}"' for k, v in pairs) + "}" if pairs else ""


class _Metric:
    kind = "untyped"

    def __init__(self, name: str, help_text: str, label_names: Sequence[str]) -> None:
        self.name = name
        self.help = help_text
        self.label_names = tuple(label_names)
        self._lock = threading.Lock()

    def _key(self, labels: Mapping[str, str]) -> tuple[str, ...]:
        if set(labels) != set(self.label_names):
            raise MetricError(f"{self.name}: labels {sorted(labels)} != declared {list(self.label_names)}")
        return tuple(str(labels[n]) for n in self.label_names)

    def samples(self, const: Sequence[tuple[str, str]]) -> list[str]:
        """Exposition lines for this metric's samples."""
        raise NotImplementedError

    def render(self, const: Sequence[tuple[str, str]]) -> str:
        """HELP, TYPE and sample lines."""
        head = [f"# HELP {self.name} {self.help.replace(chr(92), chr(92) * 2).replace(chr(10), ' ')}",
                f"# TYPE {self.name} {self.kind}"]
        return "\n".join(head + self.samples(const))


class _Scalar(_Metric):
    def __init__(self, name: str, help_text: str, label_names: Sequence[str]) -> None:
        super().__init__(name, help_text, label_names)
        self._values: dict[tuple[str, ...], float] = {} if label_names else {(): 0.0}

    def get(self, **labels: str) -> float:
        """The current value (0 when never set)."""
        return self._values.get(self._key(labels), 0.0)

    def samples(self, const: Sequence[tuple[str, str]]) -> list[str]:
        """One line per label set."""
        with self._lock:
            items = sorted(self._values.items())
        return [f"{self.name}{_labels(list(const) + list(zip(self.label_names, key, strict=True)))} {_fmt(v)}"
                for key, v in items]


class Counter(_Scalar):
    """A monotonically increasing value."""

    kind = "counter"

    def inc(self, amount: float = 1, **labels: str) -> None:
        """Add `amount` (>= 0)."""
        if amount < 0:
            raise MetricError(f"{self.name}: counters only go up (got {amount})")
        key = self._key(labels)
        with self._lock:
            self._values[key] = self._values.get(key, 0.0) + amount


class Gauge(_Scalar):
    """A value that goes up and down."""

    kind = "gauge"

    def set(self, value: float, **labels: str) -> None:
        """Set the value."""
        key = self._key(labels)
        with self._lock:
            self._values[key] = value

    def inc(self, amount: float = 1, **labels: str) -> None:
        """Add `amount` (may be negative)."""
        key = self._key(labels)
        with self._lock:
            self._values[key] = self._values.get(key, 0.0) + amount


@dataclass
class _HistogramState:
    buckets: list[int]
    total: float = 0.0
    count: int = 0


class Histogram(_Metric):
    """Observations in cumulative buckets, with _sum and _count."""

    kind = "histogram"

    def __init__(self, name: str, help_text: str, label_names: Sequence[str],
                 buckets: Sequence[float] = DEFAULT_BUCKETS) -> None:
        super().__init__(name, help_text, label_names)
        self.bounds = tuple(sorted(buckets))
        self._states: dict[tuple[str, ...], _HistogramState] = {}

    def observe(self, value: float, **labels: str) -> None:
        """Record one observation (seconds, for timings)."""
        key = self._key(labels)
        with self._lock:
            state = self._states.setdefault(key, _HistogramState([0] * len(self.bounds)))
            for i, bound in enumerate(self.bounds):
                if value <= bound:
                    state.buckets[i] += 1
            state.total += value
            state.count += 1

    def count(self, **labels: str) -> int:
        """Number of observations for a label set."""
        state = self._states.get(self._key(labels))
        return 0 if state is None else state.count

    def samples(self, const: Sequence[tuple[str, str]]) -> list[str]:
        """_bucket lines (le=...), then _sum and _count, per label set."""
        lines: list[str] = []
        with self._lock:
            items = sorted((k, _HistogramState(list(s.buckets), s.total, s.count)) for k, s in self._states.items())
        for key, state in items:
            base = list(const) + list(zip(self.label_names, key, strict=True))
            for bound, n in zip(self.bounds, state.buckets, strict=True):
                lines.append(f"{self.name}_bucket{_labels(base + [('le', _fmt(bound))])} {n}")
            lines.append(f"{self.name}_bucket{_labels(base + [('le', '+Inf')])} {state.count}")
            lines.append(f"{self.name}_sum{_labels(base)} {_fmt(state.total)}")
            lines.append(f"{self.name}_count{_labels(base)} {state.count}")
        return lines


class Registry:
    """Named metrics plus constant labels added to every sample."""

    def __init__(self, const_labels: Mapping[str, str] | None = None) -> None:
        self.const_labels = tuple(sorted((const_labels or {}).items()))
        self._metrics: dict[str, _Metric] = {}

    def _add(self, metric: _Metric) -> None:
        if metric.name in self._metrics:
            raise MetricError(f"metric {metric.name} registered twice")
        self._metrics[metric.name] = metric

    def counter(self, name: str, help_text: str, labels: Sequence[str] = ()) -> Counter:
        """Declare a counter."""
        metric = Counter(name, help_text, labels)
        self._add(metric)
        return metric

    def gauge(self, name: str, help_text: str, labels: Sequence[str] = ()) -> Gauge:
        """Declare a gauge."""
        metric = Gauge(name, help_text, labels)
        self._add(metric)
        return metric

    def histogram(self, name: str, help_text: str, labels: Sequence[str] = (),
                  buckets: Sequence[float] = DEFAULT_BUCKETS) -> Histogram:
        """Declare a histogram."""
        metric = Histogram(name, help_text, labels, buckets)
        self._add(metric)
        return metric

    def expose(self) -> str:
        """The whole registry in Prometheus text format (metrics sorted by name)."""
        return "".join(self._metrics[n].render(self.const_labels) + "\n" for n in sorted(self._metrics))


@dataclass
class NodeMetrics:
    """The standard Substrate series the service keeps up to date."""

    registry: Registry
    block_height: Gauge
    ready_transactions: Gauge
    rpc_calls_total: Counter
    rpc_calls_time: Histogram
    build_info: Gauge
    number_leaves: Gauge
    peers_count: Gauge
    start_time: Gauge

    @staticmethod
    def create(chain_id: str, node_name: str = "", version: str = "") -> NodeMetrics:
        """A registry with `chain="<id>"` on every sample and the standard series declared."""
        reg = Registry({"chain": chain_id})
        metrics = NodeMetrics(
            registry=reg,
            block_height=reg.gauge("substrate_block_height", "Block height info of the chain", ["status"]),
            ready_transactions=reg.gauge("substrate_ready_transactions_number",
                                         "Number of transactions in the ready queue"),
            rpc_calls_total=reg.counter("substrate_rpc_calls_total", "Number of RPC calls received", ["method"]),
            rpc_calls_time=reg.histogram("substrate_rpc_calls_time", "Total time [s] to process an RPC call",
                                         ["method"], RPC_TIME_BUCKETS),
            build_info=reg.gauge("substrate_build_info",
                                 "A metric with a constant '1' value labeled by name, version",
                                 ["name", "version"]),
            number_leaves=reg.gauge("substrate_number_leaves", "Number of known chain leaves (aka forks)"),
            peers_count=reg.gauge("substrate_sub_libp2p_peers_count", "Number of connected peers"),
            start_time=reg.gauge("substrate_process_start_time_seconds",
                                 "Number of seconds between the UNIX epoch and the moment the process started"),
        )
        metrics.build_info.set(1, name=node_name, version=version)
        metrics.start_time.set(int(time.time()))
        metrics.block_height.set(0, status="best")
        metrics.block_height.set(0, status="finalized")
        return metrics


def _response(status: str, body: bytes, content_type: str) -> bytes:
    head = (f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n"
            "Connection: close\r\n\r\n")
    return head.encode() + body


async def _handle(stream: trio.SocketStream, registry: Registry) -> None:
    data = b""
    with trio.move_on_after(10):
        while b"\r\n\r\n" not in data and len(data) < _MAX_REQUEST:
            chunk = await stream.receive_some(4096)
            if not chunk:
                break
            data += chunk
    request_line = data.split(b"\r\n", 1)[0].decode("latin-1").split()
    if b"\r\n\r\n" not in data or len(request_line) != 3:
        reply = _response("400 Bad Request", b"Bad request.", "text/plain")
    elif request_line[0] != "GET" or request_line[1].split("?", 1)[0] != "/metrics":
        reply = _response("404 Not Found", b"Not found.", "text/plain")
    else:
        reply = _response("200 OK", registry.expose().encode(), CONTENT_TYPE)
    try:
        await stream.send_all(reply)
    except (trio.BrokenResourceError, trio.ClosedResourceError):
        pass
    finally:
        await stream.aclose()


async def serve_metrics(registry: Registry, host: str, port: int, *,
                        task_status: trio.TaskStatus[int] = trio.TASK_STATUS_IGNORED) -> None:
    """Serve `GET /metrics` on host:port until cancelled; `task_status.started(bound_port)`."""

    async def handler(stream: trio.SocketStream) -> None:
        await _handle(stream, registry)

    listeners = await trio.open_tcp_listeners(port, host=host)
    bound = listeners[0].socket.getsockname()[1]
    async with trio.open_nursery() as nursery:
        nursery.start_soon(trio.serve_listeners, handler, listeners)
        task_status.started(bound)
