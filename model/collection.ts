/**
 * issue #13: the monitoring collectors of both clusters, pure (docs/monitoring-collection.md). One OpenTelemetry
 * collector per cluster scrapes the Prometheus endpoints (the workloads', kube-state-metrics', node-exporter's, the
 * kubelet's and cAdvisor's) and remote-writes them, SigV4-signed, to the one Amazon Managed Service for Prometheus
 * workspace; it receives the workloads' traces over OTLP/gRPC and exports them to X-Ray. The config is generated here
 * and rendered to the YAML the collector reads; tests check that every pipeline names defined components.
 * @see https://docs.aws.amazon.com/prometheus/latest/userguide/AMP-onboard-ingest-metrics-OpenTelemetry.html
 * @see https://github.com/open-telemetry/opentelemetry-collector-contrib/tree/main/exporter/prometheusremotewriteexporter
 * @see https://github.com/open-telemetry/opentelemetry-collector-contrib/tree/main/extension/sigv4authextension
 * @see https://github.com/open-telemetry/opentelemetry-collector-contrib/tree/main/exporter/awsxrayexporter
 */
import { stringify } from "yaml";
import { endpointAddress } from "./endpointAddresses";
import { INTERFACE_ENDPOINTS } from "./network";
import { APP_NAMESPACE } from "./ports";
import { METRICS_ENDPOINTS } from "./workloadTelemetry";
import type { Site, WorkloadName } from "./workloads";

/** Namespace of the collector, kube-state-metrics and node-exporter on both clusters. */
export const TELEMETRY_NAMESPACE = "telemetry";
/** The collector's name: its Helm release, Deployment, Service and service account (IRSA binds the role to it). */
export const COLLECTOR_NAME = "otel-collector";
/** Labels of the collector's pods (the chart's, fixed by fullnameOverride): what NetworkPolicies select it by. */
export const COLLECTOR_POD_LABELS = { "app.kubernetes.io/name": "opentelemetry-collector", "app.kubernetes.io/instance": COLLECTOR_NAME } as const;
/** OTLP over gRPC: the only port the workloads send traces to. */
export const OTLP_GRPC_PORT = 4317;
/** The collector's health_check extension (its probes). */
export const COLLECTOR_HEALTH_PORT = 13133;
/** node-exporter's namespace: it needs hostNetwork, hostPID and hostPath (the "privileged" Pod Security level). */
export const NODE_EXPORTER_NAMESPACE = "telemetry-node";
/** kube-state-metrics' and node-exporter's Helm release names (also their Services' app.kubernetes.io/name). */
export const KUBE_STATE_METRICS = "kube-state-metrics";
export const NODE_EXPORTER = "prometheus-node-exporter";
/** The kubelet's authenticated HTTPS port (metrics and cAdvisor). */
export const KUBELET_PORT = 10250;
/** In-cluster service account credentials the kubelet scrape jobs present (the chart mounts the token). */
const SA_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

/** The collector's OTLP endpoint, as the workloads' OTEL_EXPORTER_OTLP_ENDPOINT. */
export const collectorOtlpEndpoint = (): string => `http://${COLLECTOR_NAME}.${TELEMETRY_NAMESPACE}.svc.cluster.local:${OTLP_GRPC_PORT}`;

/**
 * The workloads' OpenTelemetry SDK settings: OTLP/gRPC to the collector, every span sent (parent-based always-on). The
 * sampling ratio (observability.collection.traceSampling) is applied once, in the collector, by trace ID: every span of a
 * trace hashes alike, so a trace is kept or dropped whole across django-web, fastapi-api and celery-worker, and the ratio
 * changes without restarting the workloads.
 * @see https://opentelemetry.io/docs/languages/sdk-configuration/general/#otel_traces_sampler
 * @see https://github.com/open-telemetry/opentelemetry-collector-contrib/tree/main/processor/probabilisticsamplerprocessor
 */
export function collectorEnvironment(): { name: string; value: string }[] {
    return [
        { name: "OTEL_EXPORTER_OTLP_ENDPOINT", value: collectorOtlpEndpoint() },
        { name: "OTEL_EXPORTER_OTLP_PROTOCOL", value: "grpc" },
        { name: "OTEL_TRACES_SAMPLER", value: "parentbased_always_on" },
        { name: "OTEL_METRICS_EXPORTER", value: "none" },
        { name: "OTEL_LOGS_EXPORTER", value: "none" },
    ];
}

export interface CollectorSite {
    readonly site: Site;
    /** Region of the workspace and of X-Ray (SigV4 signs for it). */
    readonly region: string;
    /** The workspace's prometheusEndpoint (".../workspaces/ws-.../"), remote_write appended. */
    readonly prometheusEndpoint: string;
    /** The `cluster` label every series carries (both sites write to one workspace). */
    readonly clusterLabel: string;
    /** Seconds between scrapes. */
    readonly scrapeIntervalSeconds: number;
    /** Share of traces kept, 0 to 1 (observability.collection.traceSampling). */
    readonly traceSampling: number;
}

/** AMP's remote-write URL for a workspace's prometheusEndpoint. */
export const remoteWriteUrl = (prometheusEndpoint: string): string => `${prometheusEndpoint.replace(/\/?$/, "/")}api/v1/remote_write`;

/** `$` in the collector's config expands environment variables: Prometheus relabel references must be `$$1`. */
const ref = (n: number) => `$$${n}`;

const kubeletJob = (job: string, metricsPath: string) => ({
    job_name: job,
    scheme: "https",
    metrics_path: metricsPath,
    // The cluster CA signs the kubelets' serving certificates (EKS approves their CSRs); the token is checked by the kubelet (nodes/metrics).
    tls_config: { ca_file: `${SA_DIR}/ca.crt` },
    authorization: { credentials_file: `${SA_DIR}/token` },
    kubernetes_sd_configs: [{ role: "node" }],
    relabel_configs: [
        { source_labels: ["__meta_kubernetes_node_address_InternalIP"], target_label: "__address__", replacement: `${ref(1)}:${KUBELET_PORT}` },
        { source_labels: ["__meta_kubernetes_node_name"], target_label: "node" },
    ],
});

/** A Service of the telemetry namespace scraped through its endpoints, by the chart's app.kubernetes.io/name. */
const serviceJob = (job: string, appName: string, namespace = TELEMETRY_NAMESPACE) => ({
    job_name: job,
    kubernetes_sd_configs: [{ role: "endpoints", namespaces: { names: [namespace] } }],
    relabel_configs: [
        { source_labels: ["__meta_kubernetes_service_label_app_kubernetes_io_name"], regex: appName, action: "keep" },
        { source_labels: ["__meta_kubernetes_endpoint_port_name"], regex: "http|metrics", action: "keep" },
        { source_labels: ["__meta_kubernetes_pod_node_name"], target_label: "node" },
    ],
});

/**
 * The scrape jobs: the portal's pods by their prometheus.io annotations (model/workloadTelemetry.ts), kube-state-metrics,
 * node-exporter, the kubelet and cAdvisor. Jobs, not ServiceMonitors: no Prometheus operator CRDs on either cluster.
 */
export function scrapeJobs(): Record<string, unknown>[] {
    return [
        {
            job_name: "portal-pods",
            kubernetes_sd_configs: [{ role: "pod", namespaces: { names: [APP_NAMESPACE] } }],
            relabel_configs: [
                { source_labels: ["__meta_kubernetes_pod_annotation_prometheus_io_scrape"], regex: "true", action: "keep" },
                { source_labels: ["__meta_kubernetes_pod_annotation_prometheus_io_path"], target_label: "__metrics_path__", regex: "(.+)" },
                {
                    source_labels: ["__meta_kubernetes_pod_ip", "__meta_kubernetes_pod_annotation_prometheus_io_port"],
                    regex: "(.+);(\\d+)",
                    target_label: "__address__",
                    replacement: `${ref(1)}:${ref(2)}`,
                },
                { source_labels: ["__meta_kubernetes_pod_label_app"], target_label: "service" },
                { source_labels: ["__meta_kubernetes_pod_label_track"], target_label: "track" },
                { source_labels: ["__meta_kubernetes_namespace"], target_label: "namespace" },
                { source_labels: ["__meta_kubernetes_pod_name"], target_label: "pod" },
            ],
        },
        serviceJob("kube-state-metrics", KUBE_STATE_METRICS),
        serviceJob("node-exporter", NODE_EXPORTER, NODE_EXPORTER_NAMESPACE),
        kubeletJob("kubelet", "/metrics"),
        kubeletJob("cadvisor", "/metrics/cadvisor"),
    ];
}

/** The workloads the `portal-pods` job finds (those with a metrics endpoint). */
export const scrapedWorkloads = (): WorkloadName[] => Object.keys(METRICS_ENDPOINTS) as WorkloadName[];

/** The collector's configuration (the object the chart's `config` value carries). */
export function collectorConfig(s: CollectorSite): Record<string, any> {
    return {
        extensions: {
            health_check: { endpoint: `0.0.0.0:${COLLECTOR_HEALTH_PORT}` },
            // Credentials from the default chain: IRSA's web identity on EKS, the Roles Anywhere signing helper on-prem.
            sigv4auth: { region: s.region, service: "aps" },
        },
        receivers: {
            otlp: { protocols: { grpc: { endpoint: `0.0.0.0:${OTLP_GRPC_PORT}` } } },
            prometheus: { config: { global: { scrape_interval: `${s.scrapeIntervalSeconds}s` }, scrape_configs: scrapeJobs() } },
        },
        processors: {
            memory_limiter: { check_interval: "1s", limit_percentage: 80, spike_limit_percentage: 20 },
            batch: {},
            probabilistic_sampler: { sampling_percentage: Math.round(s.traceSampling * 10000) / 100 },
            resource: { attributes: [{ key: "cloud.region", value: s.region, action: "upsert" }] },
        },
        exporters: {
            prometheusremotewrite: {
                endpoint: remoteWriteUrl(s.prometheusEndpoint),
                auth: { authenticator: "sigv4auth" },
                // AMP's HA deduplication: two replicas scrape alike, AMP keeps one per cluster and __replica__ (the pod name).
                // https://docs.aws.amazon.com/prometheus/latest/userguide/AMP-ingest-dedupe.html
                external_labels: { cluster: s.clusterLabel, __replica__: "${env:POD_NAME}", site: s.site },
                resource_to_telemetry_conversion: { enabled: true },
            },
            awsxray: { region: s.region },
        },
        service: {
            extensions: ["health_check", "sigv4auth"],
            pipelines: {
                metrics: { receivers: ["prometheus"], processors: ["memory_limiter", "batch"], exporters: ["prometheusremotewrite"] },
                traces: { receivers: ["otlp"], processors: ["memory_limiter", "probabilistic_sampler", "resource", "batch"], exporters: ["awsxray"] },
            },
        },
    };
}

/** The collector's configuration as YAML (what `otelcol --config` reads). */
export const collectorConfigYaml = (s: CollectorSite): string => stringify(collectorConfig(s));

/** Problems of a collector config: a pipeline naming a receiver, processor, exporter or extension that is not defined. */
export function collectorConfigProblems(config: Record<string, any>): string[] {
    const problems: string[] = [];
    const defined = (kind: string) => new Set(Object.keys(config[kind] ?? {}));
    for (const ext of config.service?.extensions ?? []) if (!defined("extensions").has(ext)) problems.push(`extension ${ext} is not defined`);
    for (const [name, p] of Object.entries<any>(config.service?.pipelines ?? {})) {
        for (const kind of ["receivers", "processors", "exporters"]) {
            if (kind !== "processors" && (p[kind] ?? []).length === 0) problems.push(`pipeline ${name} has no ${kind}`);
            for (const c of p[kind] ?? []) if (!defined(kind).has(c)) problems.push(`pipeline ${name}: ${kind.slice(0, -1)} ${c} is not defined`);
        }
    }
    const auth = config.exporters?.prometheusremotewrite?.auth?.authenticator;
    if (auth !== undefined && !(config.service?.extensions ?? []).includes(auth)) problems.push(`authenticator ${auth} is not an enabled extension`);
    return problems;
}

/** The AWS APIs the on-prem collector calls, each through its interface endpoint in the VPC over the VPN. */
export const ON_PREM_COLLECTOR_APIS = ["aps-workspaces", "xray", "rolesanywhere"] as const;

/**
 * The on-prem collector's host aliases: each regional API name it calls mapped to the interface endpoint's fixed address
 * in every private subnet (model/endpointAddresses.ts), so the calls take the VPN to the endpoint without the site's DNS
 * knowing the VPC's private zones; TLS still verifies the regional name, which the endpoint serves with private DNS on.
 * One alias per address: the collector's Go resolver returns every address /etc/hosts lists and dials the next if one AZ fails.
 */
export function endpointHostAliases(region: string, privateSubnetCidrs: readonly string[]): { ip: string; hostnames: string[] }[] {
    return privateSubnetCidrs.flatMap((cidr) =>
        ON_PREM_COLLECTOR_APIS.map((api) => ({
            ip: endpointAddress(cidr, INTERFACE_ENDPOINTS.indexOf(api)),
            hostnames: [`${api}.${region}.amazonaws.com`],
        })),
    );
}
