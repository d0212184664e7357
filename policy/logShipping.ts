/**
 * Log shipping (issue #13 item 2, seed 6): every cluster that runs the portal's workloads has a log shipper, and the
 * shipper writes only into log groups the stack creates (so with their CMK and retention).
 */
import { APP_NAMESPACE } from "../model/ports";
import { Guardrail, T, UNKNOWN, peek, stackGuardrail } from "./lib";

const HELM_RELEASE = "kubernetes:helm.sh/v3:Release";
/** The charts that ship logs (components/observability/logShipping/ pins fluent-bit). */
export const SHIPPER_CHARTS = ["fluent-bit", "aws-for-fluent-bit"];

export const logShipperPresent = stackGuardrail({
    name: "log-shipper-present",
    description:
        "In production, every Kubernetes cluster (provider) that runs the portal's Deployments also runs a log shipper (the fluent-bit chart), and its CloudWatch Logs outputs never create their own log groups.",
    remediation:
        "Compose LogShipping (components/observability/logShipping/) with the cluster in AppCluster.clusters, on-prem with observability onPremIdentity; keep auto_create_group Off and let Pulumi create the groups (CMK, retention).",
    concern: "audit",
    seed: "6, 4.3",
    why:
        "Seed 6 wants central logs from both sites: a cluster without a shipper leaves its pods' and nodes' logs on the node, gone with it, and OpenSearch empty (issue #13). " +
        "A group the shipper creates (auto_create_group) has no KMS key and never expires, and needs logs:CreateLogGroup on * " +
        "(https://docs.fluentbit.io/manual/pipeline/outputs/cloudwatch, https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html).",
    types: [T.deployment, HELM_RELEASE],
    check: ({ graph, environment }, report) => {
        const shippers = graph.ofType(HELM_RELEASE).filter((r) => SHIPPER_CHARTS.includes(String(peek(() => r.props.chart))));
        for (const shipper of shippers) {
            const outputs = peek(() => (shipper.props.values as { config?: { outputs?: unknown } } | undefined)?.config?.outputs);
            // Unknown in preview (the group names are outputs): judged at update.
            if (outputs === UNKNOWN || typeof outputs !== "string") continue;
            if (/auto_create_group\s+(on|true)\b/i.test(outputs))
                report(`release ${shipper.name}: a cloudwatch_logs output creates its own log groups (auto_create_group)`, shipper.urn);
        }
        if (environment !== "production") return;
        const shipped = new Set(shippers.map((s) => s.provider?.urn));
        const seen = new Set<string | undefined>();
        for (const d of graph.ofType(T.deployment)) {
            const namespace = peek(() => (d.props.metadata as { namespace?: string } | undefined)?.namespace);
            // A namespace taken from the Namespace's output is unknown in preview: the portal's Deployments are the ones joined to it.
            if (namespace !== APP_NAMESPACE && namespace !== UNKNOWN) continue;
            const provider = d.provider?.urn;
            if (seen.has(provider)) continue;
            seen.add(provider);
            if (!shipped.has(provider))
                report(`the cluster of provider ${provider?.split("::").pop() ?? "(default)"} runs ${d.name} but no log shipper (fluent-bit release)`, d.urn);
        }
    },
});

export const logShippingPolicies: Guardrail[] = [logShipperPresent];
