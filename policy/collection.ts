/**
 * issue #13: monitoring that sees the system (seed 6). A stack that stores metrics (an AMP workspace) runs a collector on
 * every Kubernetes cluster it deploys workloads to, which remote-writes SigV4-signed and exports traces to X-Ray: without
 * it the workspace's alert rules evaluate against nothing and no alarm ever fires.
 */
import { PolicyResource } from "@pulumi/policy";
import { Guardrail, T, UNKNOWN, peek, stackGuardrail } from "./lib";

const HELM_RELEASE = "kubernetes:helm.sh/v3:Release";
const AMP_WORKSPACE = "aws:amp/workspace:Workspace";
const COLLECTOR_CHART = "opentelemetry-collector";

/** What a collector's config lacks for metrics into AMP and traces into X-Ray; [] when it is complete or unknown (preview). */
export function collectorConfigGaps(config: unknown): string[] {
    if (config === UNKNOWN || config === undefined || config === null || typeof config !== "object") return config === UNKNOWN ? [] : ["no config"];
    const c = config as Record<string, any>;
    const gaps: string[] = [];
    const pipelines = c.service?.pipelines ?? {};
    const metrics = pipelines.metrics?.exporters ?? [];
    if (!metrics.includes("prometheusremotewrite")) gaps.push("its metrics pipeline does not remote-write (exporter prometheusremotewrite)");
    else {
        const auth = c.exporters?.prometheusremotewrite?.auth?.authenticator;
        if (auth === undefined || !(c.service?.extensions ?? []).includes(auth) || !String(auth).startsWith("sigv4auth"))
            gaps.push("its remote write is not signed by an enabled sigv4auth extension (AMP refuses unsigned writes)");
    }
    if (!(pipelines.traces?.exporters ?? []).includes("awsxray")) gaps.push("its traces pipeline does not export to X-Ray (exporter awsxray)");
    return gaps;
}

export const metricsCollectionPresent = stackGuardrail({
    name: "metrics-collection-present",
    description:
        "A stack with a Prometheus workspace runs an OpenTelemetry collector on every Kubernetes cluster it deploys workloads to, remote-writing SigV4-signed metrics and exporting traces to X-Ray.",
    remediation:
        "Compose components/observability/collection ClusterTelemetry with the stack's AppCluster.clusters and the workspace; keep the collector config of model/collection.ts (prometheusremotewrite + sigv4auth, awsxray).",
    concern: "availability",
    seed: "6",
    why: "Seed 6 asks for unified monitoring across both sites and paging on CPU and error rate: AMP evaluates its rules only over what is written to it, and remote write without SigV4 is refused (https://docs.aws.amazon.com/prometheus/latest/userguide/AMP-onboard-ingest-metrics-remote-write.html), so a cluster without a signed collector is invisible and its alerts never fire.",
    types: [AMP_WORKSPACE, T.deployment, HELM_RELEASE],
    check: ({ graph }, report) => {
        if (graph.ofType(AMP_WORKSPACE).length === 0) return;
        const clusterOf = (r: PolicyResource) => r.provider?.urn ?? "(default provider)";
        const collectors = graph.ofType(HELM_RELEASE).filter((r) => peek(() => r.props.chart) === COLLECTOR_CHART);
        const clusters = new Map<string, PolicyResource>();
        for (const d of graph.ofType(T.deployment)) if (!clusters.has(clusterOf(d))) clusters.set(clusterOf(d), d);
        for (const [cluster, first] of clusters) {
            const here = collectors.filter((c) => clusterOf(c) === cluster);
            if (here.length === 0) {
                report(
                    `the cluster of provider ${cluster.split("::").pop()} runs workloads but no ${COLLECTOR_CHART} release: nothing reaches the workspace`,
                    first.urn,
                );
                continue;
            }
            for (const c of here) for (const gap of collectorConfigGaps(peek(() => (c.props.values as any)?.config))) report(`${c.name}: ${gap}`, c.urn);
        }
    },
});

export const collectionPolicies: Guardrail[] = [metricsCollectionPresent];
