package dev.recourse.server;

import dev.recourse.api.PolicyService;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.function.DoubleSupplier;

/**
 * The server's Prometheus metrics, in a registry of its own (two servers in one JVM, as in tests, do
 * not share counts): decisions, outcomes, errors by kind, request latency by endpoint, and the
 * service's own counters (pending, expired, evicted), model version, arms and snapshot age read at
 * scrape time.
 */
final class ServerMetrics {

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
  final Counter decisions;
  final Counter outcomes;
  final Counter errors;
  final Histogram latency;

  ServerMetrics(PolicyService service, DoubleSupplier snapshotAgeSeconds) {
    decisions = Counter.builder().name("recourse_decisions").help("Decisions served").register(registry);
    outcomes = Counter.builder().name("recourse_outcomes").help("Outcomes applied").register(registry);
    errors = Counter.builder().name("recourse_errors").help("Requests refused or failed, by kind")
        .labelNames("kind").register(registry);
    latency = Histogram.builder().name("recourse_request_duration_seconds")
        .help("Time from reading a request to its response being written, by endpoint")
        .labelNames("endpoint")
        .classicOnly()
        .classicUpperBounds(25e-6, 50e-6, 100e-6, 250e-6, 500e-6, 1e-3, 2.5e-3, 5e-3, 10e-3, 25e-3, 50e-3, 100e-3,
            250e-3, 1.0)
        .register(registry);
    GaugeWithCallback.builder().name("recourse_pending_decisions")
        .help("Decisions awaiting an outcome").callback(cb -> cb.call(service.stats().pending())).register(registry);
    CounterWithCallback.builder().name("recourse_expired_decisions")
        .help("Pending decisions dropped after they expired, when a new decision took their slot")
        .callback(cb -> cb.call(service.stats().expired())).register(registry);
    CounterWithCallback.builder().name("recourse_evicted_decisions")
        .help("Pending decisions dropped, oldest first, when the pending capacity was full")
        .callback(cb -> cb.call(service.stats().evicted())).register(registry);
    GaugeWithCallback.builder().name("recourse_model_version")
        .help("The published model version").callback(cb -> cb.call(service.version())).register(registry);
    GaugeWithCallback.builder().name("recourse_active_arms")
        .help("Arms offered (arm slots in use less the retired ones)")
        .callback(cb -> cb.call(Endpoints.offeredArms(service))).register(registry);
    GaugeWithCallback.builder().name("recourse_snapshot_age_seconds")
        .help("Seconds since the last snapshot was written").callback(cb -> cb.call(snapshotAgeSeconds.getAsDouble()))
        .register(registry);
  }

  void error(String kind) {
    errors.labelValues(kind).inc();
  }

  String contentType() {
    return writer.getContentType();
  }

  byte[] scrape() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
    writer.write(out, registry.scrape());
    return out.toByteArray();
  }
}
