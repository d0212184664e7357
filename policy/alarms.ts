/**
 * Alarms on every tier (issue #13, seed 6): each database, cache, NAT gateway, VPN connection, load balancer, target
 * group, search domain and web ACL of the plan carries the alarms of the catalogue (model/alarms.ts), on the metric
 * and the dimension set AWS publishes, each notifying an encrypted topic. Alarms are found through their dimensions'
 * dependencies (URNs), so the check works in preview, when every dimension value is unknown.
 */
import { PolicyResource } from "@pulumi/policy";
import { AlarmTier, CatalogueAlarm, defaultCatalogue } from "../model/alarms";
import { Graph, Guardrail, T, UNKNOWN, asArray, isSet, label, peek, stackGuardrail } from "./lib";

const METRIC_ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const TARGET_GROUP = "aws:lb/targetGroup:TargetGroup";

/** The resource type each tier's alarms watch. */
export const TIER_TYPES: Record<AlarmTier, string> = {
    database: T.rds,
    cache: T.redis,
    nat: T.nat,
    vpnTunnel: T.vpn,
    vpn: T.vpn,
    loadBalancer: T.lb,
    targetGroup: TARGET_GROUP,
    search: T.opensearch,
    waf: T.webAcl,
};

/** The metric names and dimension keys an alarm reads (its own metric, or each of its metric-math queries). */
function metricsOf(alarm: PolicyResource): { metricName: unknown; keys: string[] | undefined }[] {
    const keysOf = (dims: unknown) => (dims === UNKNOWN || dims === undefined || dims === null ? undefined : Object.keys(dims as object).sort());
    const queries = peek(() => alarm.props.metricQueries);
    if (queries !== UNKNOWN && asArray(queries as unknown[]).length > 0)
        return asArray(queries as Record<string, any>[])
            .filter((q) => q?.metric)
            .map((q) => ({ metricName: peek(() => q.metric.metricName), keys: keysOf(peek(() => q.metric.dimensions)) }));
    return [{ metricName: peek(() => alarm.props.metricName), keys: keysOf(peek(() => alarm.props.dimensions)) }];
}

/** The alarms that read `entry`'s metric under its dimension set and depend on `target`. */
function alarmsFor(graph: Graph, target: PolicyResource, entry: CatalogueAlarm): PolicyResource[] {
    const wanted = [...entry.dimensionKeys].sort().join();
    const candidates = graph.inOrder([...graph.referrers(target, [METRIC_ALARM], "dimensions"), ...graph.referrers(target, [METRIC_ALARM], "metricQueries")]);
    return candidates.filter((a) =>
        metricsOf(a).some((m) => (m.metricName === entry.metricName || m.metricName === UNKNOWN) && (m.keys === undefined || m.keys.join() === wanted)),
    );
}

/** How many alarms of an entry a resource needs: a cache alarm per node, a tunnel alarm per tunnel, one otherwise. */
function needed(target: PolicyResource, entry: CatalogueAlarm): number | undefined {
    if (entry.tier === "vpnTunnel") return 2;
    if (entry.tier !== "cache") return 1;
    const shards = peek(() => target.props.numNodeGroups);
    const replicas = peek(() => target.props.replicasPerNodeGroup);
    if (typeof shards === "number" && typeof replicas === "number") return shards * (1 + replicas);
    const clusters = peek(() => target.props.numCacheClusters);
    return typeof clusters === "number" ? clusters : undefined;
}

/** Why an alarm's notification would go nowhere safe, if it would. */
function actionProblem(graph: Graph, alarm: PolicyResource): string | undefined {
    const actions = peek(() => alarm.props.alarmActions);
    if (actions === UNKNOWN) return undefined;
    if (asArray(actions as unknown[]).length === 0) return "has no alarm action: it changes state and tells no one";
    const topics = graph.refs(alarm, "alarmActions", T.topic);
    if (topics.length === 0) return "notifies no SNS topic of this stack";
    const plain = topics.find((t) => !isSet(t.props, "kmsMasterKeyId"));
    return plain ? `notifies ${label(plain)}, which is not encrypted with a CMK` : undefined;
}

export const alarmsCoverEveryTier: Guardrail = stackGuardrail({
    name: "alarms-cover-every-tier",
    description:
        "Every database, cache, NAT gateway, VPN connection, load balancer, target group, OpenSearch domain and web ACL has the catalogue's CloudWatch alarms (model/alarms.ts), each notifying a CMK-encrypted topic.",
    remediation:
        "Pass the resource to the alarms (components/observability/observabilityArgs.ts AlarmTargets: prod through Observability `targets`, dr through TierAlarms); " +
        "give every alarm an alarmActions entry to an AlertTopic (components/observability/alerting.ts: page or ticket topic).",
    concern: "availability",
    seed: "6",
    why:
        "A tier without alarms fails silently: the issue found the database and cache with none, and an alarm on a dimension set AWS does not publish " +
        "(ElastiCache by ReplicationGroupId, a VPN tunnel by VpnId and TunnelIpAddress together) never sees a datapoint " +
        "(https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_concepts.html#Dimension).",
    types: [METRIC_ALARM, T.topic, ...new Set(Object.values(TIER_TYPES))],
    check: ({ graph, environment }, report) => {
        // Mandatory in production; elsewhere shown, not blocking.
        const level = environment === "production" ? undefined : "advisory";
        const catalogue = defaultCatalogue();
        const checked = new Set<PolicyResource>();
        for (const [tier, type] of Object.entries(TIER_TYPES) as [AlarmTier, string][]) {
            for (const target of graph.ofType(type)) {
                for (const entry of catalogue.filter((e) => e.tier === tier)) {
                    if (entry.replicaOnly) {
                        const source = peek(() => target.props.replicateSourceDb);
                        if (source !== UNKNOWN && !isSet(target.props, "replicateSourceDb")) continue;
                    }
                    const alarms = alarmsFor(graph, target, entry);
                    const count = needed(target, entry);
                    if (alarms.length === 0 || (count !== undefined && alarms.length < count)) {
                        const per =
                            count !== undefined && count > 1
                                ? ` (${alarms.length} of the ${count} it needs, one per ${tier === "cache" ? "node" : "tunnel"})`
                                : "";
                        report(
                            `${label(target)} has no ${entry.key} alarm${per}: ${entry.namespace} ${entry.metricName} by ${entry.dimensionKeys.join(", ")} (${entry.see})`,
                            target.urn,
                            level,
                        );
                    }
                    for (const alarm of alarms) {
                        if (checked.has(alarm)) continue;
                        checked.add(alarm);
                        const problem = actionProblem(graph, alarm);
                        if (problem) report(`alarm ${alarm.name} on ${label(target)} ${problem}`, alarm.urn, level);
                    }
                }
            }
        }
    },
});

export const alarmPolicies: Guardrail[] = [alarmsCoverEveryTier];
