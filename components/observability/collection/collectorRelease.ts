/**
 * issue #13: one cluster's collection stack as pinned Helm charts (model/versions.ts CHARTS): the telemetry namespace
 * (in the ambient mesh), kube-state-metrics, node-exporter (its own privileged namespace: it needs the host's network,
 * PID namespace and /proc), and the OpenTelemetry collector with the config model/collection.ts generates.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import {
    COLLECTOR_HEALTH_PORT,
    COLLECTOR_NAME,
    CollectorSite,
    KUBE_STATE_METRICS,
    NODE_EXPORTER,
    NODE_EXPORTER_NAMESPACE,
    OTLP_GRPC_PORT,
    TELEMETRY_NAMESPACE,
    collectorConfig,
} from "../../../model/collection";
import { AMBIENT_LABEL } from "../../../model/mesh";
import { RESTRICTED_CONTAINER_SECURITY, RESTRICTED_NAMESPACE_LABELS } from "../../../model/workloads";
import { CHARTS, OTEL_COLLECTOR_IMAGE } from "../../../model/versions";

export interface CollectorReleaseArgs {
    /** The site's settings (an Output: the cluster name and the workspace endpoint are the engine's). */
    readonly site: pulumi.Output<CollectorSite>;
    readonly provider: k8s.Provider;
    /** Node groups, add-ons and the mesh: the pods are enrolled in the mesh and need ztunnel first. @default none */
    readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
    /** The collector's service account annotations (IRSA's role ARN on EKS). @default none */
    readonly serviceAccountAnnotations?: Record<string, pulumi.Input<string>>;
    /** On-prem: the Roles Anywhere signing helper sidecar, its certificate volume and the host aliases of the endpoints. @default none */
    readonly sidecar?: {
        readonly containers: pulumi.Input<Record<string, unknown>>[];
        readonly volumes: Record<string, unknown>[];
        readonly env: Record<string, unknown>[];
        readonly hostAliases: { ip: string; hostnames: string[] }[];
    };
}

/** The collector's read access: discovery of pods, endpoints and nodes, and the kubelet's metrics (not nodes/proxy: that is exec). */
export const COLLECTOR_RULES = [
    { apiGroups: [""], resources: ["pods", "nodes", "endpoints", "services", "namespaces"], verbs: ["get", "list", "watch"] },
    { apiGroups: ["discovery.k8s.io"], resources: ["endpointslices"], verbs: ["get", "list", "watch"] },
    { apiGroups: [""], resources: ["nodes/metrics"], verbs: ["get"] },
    { nonResourceURLs: ["/metrics", "/metrics/cadvisor"], verbs: ["get"] },
];

const CONTAINER_SECURITY = RESTRICTED_CONTAINER_SECURITY;

export function createCollectorRelease(parent: pulumi.ComponentResource, name: string, args: CollectorReleaseArgs): { collector: k8s.helm.v3.Release } {
    const opts = { parent, provider: args.provider };
    const ns = new k8s.core.v1.Namespace(
        `${name}-ns`,
        { metadata: { name: TELEMETRY_NAMESPACE, labels: { ...RESTRICTED_NAMESPACE_LABELS, ...AMBIENT_LABEL } } },
        opts,
    );
    // node-exporter reads the host: the one namespace that admits it is its own (never the collector's, never the portal's).
    const nodeNs = new k8s.core.v1.Namespace(
        `${name}-node-ns`,
        {
            metadata: {
                name: NODE_EXPORTER_NAMESPACE,
                labels: { "pod-security.kubernetes.io/enforce": "privileged", "pod-security.kubernetes.io/warn": "baseline" },
            },
        },
        opts,
    );
    const release = (key: "otelCollector" | "kubeStateMetrics" | "nodeExporter", release: string, namespace: k8s.core.v1.Namespace, values: pulumi.Inputs) =>
        new k8s.helm.v3.Release(
            `${name}-${release}`,
            {
                name: release,
                chart: CHARTS[key].chart,
                version: CHARTS[key].version,
                repositoryOpts: { repo: CHARTS[key].repo },
                namespace: namespace.metadata.name,
                atomic: true,
                cleanupOnFail: true,
                values: { fullnameOverride: release, ...values },
            },
            { ...opts, dependsOn: [namespace, ...((args.dependsOn ?? []) as pulumi.Resource[])] },
        );
    release("kubeStateMetrics", KUBE_STATE_METRICS, ns, { replicas: 1, containerSecurityContext: CONTAINER_SECURITY });
    release("nodeExporter", NODE_EXPORTER, nodeNs, {});
    const config = args.site.apply(collectorConfig);
    const collector = release("otelCollector", COLLECTOR_NAME, ns, {
        mode: "deployment",
        // Two replicas, both scraping: AMP keeps one sample per (cluster, __replica__) pair (collectorConfig's external labels).
        replicaCount: 2,
        image: { repository: OTEL_COLLECTOR_IMAGE.repository, tag: OTEL_COLLECTOR_IMAGE.tag },
        command: { name: "otelcol-contrib" },
        serviceAccount: { create: true, name: COLLECTOR_NAME, annotations: args.serviceAccountAnnotations ?? {} },
        clusterRole: { create: true, rules: COLLECTOR_RULES },
        // The chart merges `config` into its defaults: null removes the receivers and the logs pipeline this config does not use.
        config: config.apply((c) => ({
            ...c,
            receivers: { ...c.receivers, jaeger: null, zipkin: null },
            exporters: { ...c.exporters, debug: null },
            service: { ...c.service, pipelines: { ...c.service.pipelines, logs: null } },
        })),
        ports: {
            otlp: { enabled: true, containerPort: OTLP_GRPC_PORT, servicePort: OTLP_GRPC_PORT, protocol: "TCP" },
            "otlp-http": { enabled: false },
            "jaeger-compact": { enabled: false },
            "jaeger-thrift": { enabled: false },
            "jaeger-grpc": { enabled: false },
            zipkin: { enabled: false },
        },
        livenessProbe: { httpGet: { port: COLLECTOR_HEALTH_PORT } },
        readinessProbe: { httpGet: { port: COLLECTOR_HEALTH_PORT } },
        podSecurityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
        securityContext: CONTAINER_SECURITY,
        resources: { requests: { cpu: "250m", memory: "512Mi" }, limits: { cpu: "1", memory: "512Mi" } },
        extraEnvs: [{ name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } }, ...(args.sidecar?.env ?? [])],
        ...(args.sidecar ? { extraContainers: args.sidecar.containers, extraVolumes: args.sidecar.volumes, hostAliases: args.sidecar.hostAliases } : {}),
    });
    return { collector };
}
