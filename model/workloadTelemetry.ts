/**
 * issue #13: what the portal's workloads expose to the monitoring collectors (docs/monitoring-collection.md): a metrics
 * endpoint each, the annotations the collectors discover it by, and the OpenTelemetry SDK's environment. Pure; read by
 * model/workloads.ts (the pods), model/collection.ts (the scrape jobs), model/networkPolicies.ts and model/mesh.ts.
 */
import type { Site, Track, WorkloadName } from "./workloads";

/** A workload's Prometheus endpoint: plain HTTP inside the pod, never behind the ALB (the mesh's mTLS wraps the scrape). */
export interface MetricsEndpoint {
    readonly port: number;
    readonly path: string;
}
/**
 * Where each workload serves its metrics, on a port of its own so that /metrics is never reachable through the edge's
 * served port (the ALB forwards every path of that port). django-web: django-prometheus's exporter thread
 * (PROMETHEUS_METRICS_EXPORT_PORT); fastapi-api: prometheus_client's start_http_server; celery-worker: the worker's own
 * endpoint (prometheus_client in multiprocess mode over the prefork children, task signals; queue depth read by the worker
 * with the broker credentials it already holds) rather than a celery-exporter sidecar, which would be one more image
 * outside the ECR scan and a second holder of the Redis AUTH token. celery-beat serves none: its liveness is its schedule file.
 * @see https://github.com/korfuri/django-prometheus/blob/master/documentation/exports.md
 * @see https://prometheus.github.io/client_python/multiprocess/
 */
export const METRICS_ENDPOINTS: Partial<Record<WorkloadName, MetricsEndpoint>> = {
    "django-web": { port: 9102, path: "/metrics" },
    "fastapi-api": { port: 9102, path: "/metrics" },
    "celery-worker": { port: 9102, path: "/metrics" },
};
/** Pod annotations the collectors' `kubernetes-pods` scrape job discovers (model/collection.ts): no ServiceMonitor CRD needed. */
export const metricsAnnotations = (m: MetricsEndpoint) => ({
    "prometheus.io/scrape": "true",
    "prometheus.io/port": String(m.port),
    "prometheus.io/path": m.path,
});
/** The environment that makes a workload's metrics endpoint and OpenTelemetry SDK work (the collector's OTLP address comes from PodContext). */
export function telemetryEnvironment(w: WorkloadName, m: MetricsEndpoint | undefined, t: Track, site: Site) {
    return [
        ...(m ? [{ name: "PROMETHEUS_METRICS_EXPORT_PORT", value: String(m.port) }] : []),
        ...(w.startsWith("celery") ? [{ name: "PROMETHEUS_MULTIPROC_DIR", value: "/tmp/prometheus" }] : []),
        { name: "OTEL_SERVICE_NAME", value: w },
        { name: "OTEL_RESOURCE_ATTRIBUTES", value: `service.namespace=citizen-portal,deployment.environment=${site},release.track=${t}` },
    ];
}
