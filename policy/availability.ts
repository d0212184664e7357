/**
 * No single point of failure (seed 2, 9): Multi-AZ data stores, every tier across the
 * stack's minimum AZ count, a NAT gateway per AZ, and production workloads that survive
 * a node or AZ loss.
 */
import { PolicyResource } from "@pulumi/policy";
import { Graph, Guardrail, T, UNKNOWN, asArray, isSet, label, peek, resourceGuardrail, stackGuardrail } from "./lib";
import { NaclEntry, naclAllows } from "../model/flows";
import { MetricQueryLike, unfilledSparseMetrics } from "../model/metricMath";
import { contains, isIpv4Address, parseCidr } from "../model/cidr";
import { nameIsUnder } from "../model/network";
import { DNS_PORT } from "../model/ports";

const minAzConfig = {
    minAzCount: {
        type: "integer" as const,
        minimum: 1,
        default: 3,
        description: "Availability zones every tier and node group must span (seed 2: at least three).",
    },
};
const minAz = (config: Record<string, any>): number => Number(config.minAzCount ?? 3);

export const rdsMultiAz = resourceGuardrail({
    name: "rds-multi-az",
    description: "Primary RDS instances run Multi-AZ (a synchronous standby in another AZ).",
    remediation: "Set multiAz: true on the primary instance (read replicas in the DR region are exempt).",
    concern: "availability",
    seed: "1.3, 2",
    why: "The seed requires RDS Multi-AZ with automatic failover within seconds; a single-AZ primary is a single point of failure.",
    types: [T.rds],
    check: ({ props }, report) => {
        if (isSet(props, "replicateSourceDb")) return;
        if (props.multiAz !== true) report("multiAz is not true");
    },
});

export const redisFailover = resourceGuardrail({
    name: "redis-multi-az-failover",
    description: "Redis replication groups have automatic failover, Multi-AZ and at least one replica per shard.",
    remediation: "Set automaticFailoverEnabled: true, multiAzEnabled: true and numCacheClusters >= 2 (or replicasPerNodeGroup >= 1 in cluster mode).",
    concern: "availability",
    seed: "2",
    why: "The seed: ElastiCache primary and replica nodes across AZs with automated failover; Celery's broker must survive a node loss.",
    types: [T.redis],
    check: ({ props }, report) => {
        if (props.automaticFailoverEnabled !== true) report("automaticFailoverEnabled is not true");
        if (props.multiAzEnabled !== true) report("multiAzEnabled is not true");
        const replicas = peek(() => props.replicasPerNodeGroup);
        const clusters = peek(() => props.numCacheClusters);
        const ok =
            (typeof replicas === "number" && replicas >= 1) || (typeof clusters === "number" && clusters >= 2) || replicas === UNKNOWN || clusters === UNKNOWN;
        if (!ok) report(`no replica: numCacheClusters ${clusters ?? "(unset)"}, replicasPerNodeGroup ${replicas ?? "(unset)"}`);
    },
});

/** Distinct AZs of some subnets (reading their AZ: known in preview, it comes from config or an invoke). */
function zonesOf(graph: Graph, subnets: PolicyResource[]): Set<string> {
    return new Set(subnets.map((s) => graph.azOf(s)).filter((z): z is string => typeof z === "string"));
}

export const tiersSpanAzs = stackGuardrail({
    name: "tier-subnets-span-azs",
    description: "Each network tier (hybrid:tier tag) and each data subnet group spans the stack's minimum number of AZs.",
    remediation: "Create one subnet per tier in each AZ (network.azCount >= 3), and give subnet groups one subnet per AZ.",
    concern: "availability",
    seed: "2",
    why: "Seed 2: resources are distributed across at least three AZs so that an AZ failure does not impact service.",
    types: [T.subnet, T.rdsSubnets, T.cacheSubnets],
    config: minAzConfig,
    check: ({ graph, config }, report) => {
        const need = minAz(config);
        const tiers = new Map<string, PolicyResource[]>();
        for (const s of graph.ofType(T.subnet)) {
            const tier = graph.tierOf(s);
            if (!tier) continue;
            const list = tiers.get(tier);
            if (list) list.push(s);
            else tiers.set(tier, [s]);
        }
        for (const [tier, subnets] of tiers) {
            const zones = zonesOf(graph, subnets);
            if (zones.size < need) report(`the ${tier} tier spans ${zones.size} AZ(s) (${[...zones].join(", ")}); at least ${need} required`, subnets[0].urn);
        }
        for (const group of graph.ofType(T.rdsSubnets, T.cacheSubnets)) {
            const zones = zonesOf(graph, graph.refs(group, "subnetIds", T.subnet));
            if (zones.size < need) report(`${label(group)} spans ${zones.size} AZ(s); at least ${need} required`, group.urn);
        }
    },
});

export const natPerAz = stackGuardrail({
    name: "nat-gateway-per-az",
    description: "Every private subnet's default route goes to a NAT gateway in its own AZ (reports the network.singleNatGateway opt-out).",
    remediation:
        "Keep network.singleNatGateway false (one NAT gateway and private route table per AZ), or waive this policy for the stack with a waiverReason.",
    concern: "availability",
    seed: "2, 9",
    why: "With a shared NAT gateway, losing its AZ cuts egress (image pulls, AWS APIs without endpoints, on-prem callbacks) in every AZ.",
    types: [T.subnet, T.nat, T.route, T.routeTable],
    check: ({ graph }, report) => {
        for (const subnet of graph.ofType(T.subnet)) {
            if (graph.tierOf(subnet) !== "private") continue;
            for (const rt of graph.routeTablesOf(subnet)) {
                for (const route of graph.routesOf(rt)) {
                    if (route.destination !== "0.0.0.0/0" || route.target.kind !== "nat" || !route.target.gateway) continue;
                    const natSubnet = graph.refs(route.target.gateway, "subnetId", T.subnet)[0];
                    const natAz = natSubnet ? graph.azOf(natSubnet) : undefined;
                    const az = graph.azOf(subnet);
                    if (natAz !== az)
                        report(
                            `private subnet ${subnet.name} (${az}) egresses through NAT gateway ${route.target.gateway.name} in ${natAz ?? "an unknown AZ"}`,
                            subnet.urn,
                        );
                }
            }
        }
    },
});

export const privateSubnetsNotPublic = stackGuardrail({
    name: "private-tier-no-internet-route",
    description: "Private-tier subnets reach the internet only through a NAT gateway, never an internet gateway.",
    remediation: "Route 0.0.0.0/0 of private route tables to the AZ's NAT gateway; only public route tables target the internet gateway.",
    concern: "network-exposure",
    seed: "1.1",
    why: "A private subnet with an internet gateway route becomes public: nodes with a public IP would be reachable.",
    types: [T.subnet, T.route, T.routeTable],
    check: ({ graph }, report) => {
        for (const subnet of graph.ofType(T.subnet)) {
            if (graph.tierOf(subnet) !== "private") continue;
            for (const rt of graph.routeTablesOf(subnet)) {
                for (const route of graph.routesOf(rt)) {
                    if (route.target.kind === "internet")
                        report(`private subnet ${subnet.name}: route table ${rt.name} routes ${route.destination} to an internet gateway`, subnet.urn);
                }
            }
        }
    },
});

// ------------------------------------------------------------------ Kubernetes workloads

export function podTemplate(r: PolicyResource | { type: string; props: Record<string, any> }): Record<string, any> | undefined {
    const spec = r.props.spec;
    if (!spec) return undefined;
    if (r.type === T.pod) return { metadata: r.props.metadata, spec };
    if (r.type === T.cronJob) return spec.jobTemplate?.spec?.template;
    return spec.template;
}

const namespaceOf = (r: PolicyResource): string => (peek(() => r.props.metadata?.namespace) as string | undefined) ?? "default";

function selectorMatches(selector: Record<string, any> | undefined, labels: Record<string, string>): boolean {
    const matchLabels = (selector?.matchLabels ?? {}) as Record<string, string>;
    const keys = Object.keys(matchLabels);
    return keys.length > 0 && keys.every((k) => labels[k] === matchLabels[k]);
}

/** Appends to the list under `key` (Map keys compare as the `===` of the scans these indexes replace). */
function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
    const list = map.get(key);
    if (list) list.push(value);
    else map.set(key, [value]);
}

/**
 * The HPA scaling a Deployment: the first HPA, in graph order, whose spec references it or whose
 * scaleTargetRef names it in its namespace. Looked up in two indexes rather than a scan of the HPAs.
 */
function hpaFinder(graph: Graph): (d: PolicyResource, name: unknown) => PolicyResource | undefined {
    const byTarget = new Map<unknown, Map<unknown, PolicyResource[]>>();
    for (const h of graph.ofType(T.hpa)) {
        const ns = namespaceOf(h);
        if (!byTarget.has(ns)) byTarget.set(ns, new Map());
        push(
            byTarget.get(ns)!,
            peek(() => h.props.spec?.scaleTargetRef?.name),
            h,
        );
    }
    return (d, name) => graph.inOrder([...graph.referrers(d, [T.hpa], "spec"), ...(byTarget.get(namespaceOf(d))?.get(name) ?? [])])[0];
}

/** Whether a PDB covers a Deployment (same namespace; its spec references it or its selector matches the pod labels). */
const pdbCovers = (graph: Graph, p: PolicyResource, d: PolicyResource, labels: Record<string, string>): boolean =>
    namespaceOf(p) === namespaceOf(d) && (graph.refs(p, "spec").includes(d) || selectorMatches(p.props.spec?.selector, labels));

/**
 * Whether some PDB covers a Deployment, with the verdict (and any unknown-value error) of
 * `pdbs.some(pdbCovers)` in graph order, without trying every PDB: per namespace, PDBs whose
 * selector reads without error are indexed by their first matchLabels entry (a PDB whose first
 * label differs cannot match); the candidates, the PDBs referencing the Deployment and those whose
 * selector cannot be read are then tried in graph order, as the scan would.
 */
function pdbCoverage(graph: Graph): (d: PolicyResource, labels: Record<string, string>) => boolean {
    interface Namespace {
        readonly all: PolicyResource[];
        readonly unreadable: PolicyResource[];
        readonly byFirstLabel: Map<string, Map<unknown, PolicyResource[]>>;
    }
    const namespaces = new Map<unknown, Namespace>();
    for (const p of graph.ofType(T.pdb)) {
        const ns = namespaceOf(p);
        if (!namespaces.has(ns)) namespaces.set(ns, { all: [], unreadable: [], byFirstLabel: new Map() });
        const entry = namespaces.get(ns)!;
        entry.all.push(p);
        let first: [string, unknown] | undefined;
        try {
            const matchLabels = (p.props.spec?.selector?.matchLabels ?? {}) as Record<string, unknown>;
            const keys = Object.keys(matchLabels);
            for (const k of keys) void matchLabels[k];
            if (keys.length > 0) first = [keys[0], matchLabels[keys[0]]];
        } catch {
            entry.unreadable.push(p);
            continue;
        }
        // An object label value is a fresh proxy at every read: never === a pod label, as in the scan.
        if (first && (typeof first[1] !== "object" || first[1] === null)) {
            if (!entry.byFirstLabel.has(first[0])) entry.byFirstLabel.set(first[0], new Map());
            push(entry.byFirstLabel.get(first[0])!, first[1], p);
        }
    }
    return (d, labels) => {
        const entry = namespaces.get(namespaceOf(d));
        if (!entry) return false;
        let readable = typeof labels === "object" && labels !== null;
        try {
            if (readable) for (const k of Object.keys(labels)) void labels[k];
        } catch {
            readable = false;
        }
        // Pod labels that cannot all be read: try the namespace's PDBs in order, exactly as the scan did.
        const candidates = readable
            ? graph.inOrder([
                  ...graph.referrers(d, [T.pdb], "spec"),
                  ...entry.unreadable,
                  ...[...entry.byFirstLabel].flatMap(([k, byValue]) => byValue.get(labels[k]) ?? []),
              ])
            : entry.all;
        return candidates.some((p) => pdbCovers(graph, p, d, labels));
    };
}

/** Opt-out for a workload that must run exactly once (e.g. Celery beat): the annotation's value is the reason. */
export const SINGLETON_ANNOTATION = "hybrid-platform/singleton";

export const workloadAvailability = stackGuardrail({
    name: "prod-workload-availability",
    description: "In production, every Deployment runs >= 2 replicas, has a PodDisruptionBudget and spreads its pods across zones.",
    remediation:
        "Set replicas (or the HPA's minReplicas) >= 2 (a must-run-once scheduler: replicas 1 and annotation hybrid-platform/singleton: <reason>, reported as advisory), add a policy/v1 PodDisruptionBudget selecting the pods, and a topologySpreadConstraint on topology.kubernetes.io/zone.",
    concern: "availability",
    seed: "2, 1.2",
    why: "Stateless Django/FastAPI/Celery pods must survive node drains and an AZ loss for the 99.9% SLA.",
    types: [T.deployment, T.pdb, T.hpa],
    check: ({ graph, environment }, report) => {
        if (environment !== "production") return;
        const hpaOf = hpaFinder(graph);
        const coveredByPdb = pdbCoverage(graph);
        for (const d of graph.ofType(T.deployment)) {
            const name = (peek(() => d.props.metadata?.name) as string | undefined) ?? d.name;
            const hpa = hpaOf(d, name);
            const replicas = peek(() => (hpa ? hpa.props.spec?.minReplicas : d.props.spec?.replicas));
            const singleton = peek(() => d.props.metadata?.annotations?.[SINGLETON_ANNOTATION]);
            if (replicas !== UNKNOWN && !(typeof replicas === "number" && replicas >= 2)) {
                const what = `deployment ${d.name}: ${hpa ? "HPA minReplicas" : "replicas"} is ${replicas ?? "unset (1)"}`;
                if (typeof singleton === "string" && singleton.trim().length >= 15 && replicas === 1)
                    report(`${what}: declared singleton (${singleton.trim()})`, d.urn, "advisory");
                else report(`${what}; at least 2 (a scheduler that must run once declares the ${SINGLETON_ANNOTATION} annotation with its reason)`, d.urn);
            }
            const labels = (peek(() => podTemplate(d)?.metadata?.labels) ?? {}) as Record<string, string>;
            if (!coveredByPdb(d, labels)) report(`deployment ${d.name} has no PodDisruptionBudget selecting its pods`, d.urn);
            const spec = podTemplate(d)?.spec ?? {};
            const spread = asArray(spec.topologySpreadConstraints as Record<string, any>[]).some((c) => c.topologyKey === "topology.kubernetes.io/zone");
            const antiAffinity = JSON.stringify(spec.affinity?.podAntiAffinity ?? {}).includes("topology.kubernetes.io/zone");
            if (!spread && !antiAffinity)
                report(`deployment ${d.name} does not spread its pods across zones (topologySpreadConstraints on topology.kubernetes.io/zone)`, d.urn);
        }
    },
});

export const nodeGroupsSpanAzs = stackGuardrail({
    name: "node-groups-span-azs",
    description: "EKS node groups together (and the eks.Cluster's subnets) span the stack's minimum AZ count; each group keeps at least 2 nodes.",
    remediation:
        "Give node groups the private subnets of every AZ (one group spanning them, or one group per AZ) and scalingConfig.minSize >= 2 (seed 7: two m5.large per AZ).",
    concern: "availability",
    seed: "2, 7",
    why: "Pods can only spread across zones where nodes exist.",
    types: [T.nodeGroup, T.eksComponent],
    config: {
        ...minAzConfig,
        minNodesPerGroup: {
            type: "integer" as const,
            minimum: 1,
            default: 2,
            description: "Nodes each group keeps at least. Below 2 only with minNodesPerGroupReason (a pilot-light DR site), reported as advisory.",
        },
        minNodesPerGroupReason: {
            type: "string" as const,
            description:
                "Why this stack may run node groups below 2 nodes (at least 15 characters). Unlike waiverReason, it lowers only the floor: the AZ-span check stays mandatory.",
        },
    },
    check: ({ graph, config }, report) => {
        const need = minAz(config);
        // A lower floor counts only with a written reason; without one the default of 2 stands.
        const given = config.minNodesPerGroupReason;
        const reason = typeof given === "string" && given.trim().length >= 15 ? given.trim() : undefined;
        const floor = reason ? Number(config.minNodesPerGroup ?? 2) : Math.max(2, Number(config.minNodesPerGroup ?? 2));
        const groups = graph.ofType(T.nodeGroup);
        // One group spanning the AZs, or one group per AZ (cluster-autoscaler friendly): together they must cover them.
        const zones = zonesOf(
            graph,
            groups.flatMap((ng) => graph.refs(ng, "subnetIds", T.subnet)),
        );
        if (groups.length > 0 && zones.size < need)
            report(`node groups span ${zones.size} AZ(s) (${[...zones].join(", ")}) of this stack's subnets; at least ${need} required`, groups[0].urn);
        for (const ng of groups) {
            const min = peek(() => ng.props.scalingConfig?.minSize);
            if (min === UNKNOWN) continue;
            if (!(typeof min === "number" && min >= floor)) report(`node group ${ng.name}: scalingConfig.minSize ${min ?? "(unset)"} < ${floor}`, ng.urn);
            else if (min < 2)
                report(`node group ${ng.name}: scalingConfig.minSize ${min}, below 2 by this stack's policy config (${reason})`, ng.urn, "advisory");
        }
        for (const cluster of graph.ofType(T.eksComponent)) {
            const subnets = ["privateSubnetIds", "subnetIds"].flatMap((k) => graph.refs(cluster, k, T.subnet));
            if (subnets.length === 0 && !isSet(cluster.props, "privateSubnetIds") && !isSet(cluster.props, "subnetIds")) {
                report(`eks.Cluster ${cluster.name} sets no subnets: it would use the default VPC's`, cluster.urn);
                continue;
            }
            const zones = zonesOf(graph, subnets);
            if (subnets.length > 0 && zones.size < need)
                report(`eks.Cluster ${cluster.name} spans ${zones.size} AZ(s); at least ${need} required`, cluster.urn);
        }
    },
});

// issue #11: metric math over sparse counts
const METRIC_ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";

export const alarmMathFillsCounts = resourceGuardrail({
    name: "alarm-math-fills-sparse-counts",
    description: "A metric-math alarm reads every count it divides or adds (statistic Sum or SampleCount) through FILL(m, 0).",
    remediation: "Write each reference to a Sum/SampleCount query as FILL(id, 0) in the expression (model/metricMath.ts filled()).",
    concern: "availability",
    seed: "6",
    why:
        "CloudWatch publishes counts such as ALB 5XX only when non-zero; without FILL the expression has no value for those minutes and the " +
        "alarm never fires (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html).",
    types: [METRIC_ALARM],
    check: ({ props }, report) => {
        const queries = peek(() => props.metricQueries);
        if (queries === UNKNOWN) return;
        const known = asArray(queries as MetricQueryLike[] | undefined).filter((q) => q && typeof q.id === "string");
        for (const { expressionId, metricId } of unfilledSparseMetrics(known))
            report(`expression ${expressionId} reads the count ${metricId} without FILL(${metricId}, 0): no datapoint, no value, no alarm`);
    },
});

// issue #11: Route53's HTTPS checkers and TLS 1.3-only listeners
const HEALTH_CHECK = "aws:route53/healthCheck:HealthCheck";
/** Listener policies that refuse TLS 1.2 (TLS13-1-3, its FIPS and post-quantum variants). */
const TLS13_ONLY = /^ELBSecurityPolicy-TLS13-1-3-/;

export const route53ChecksNegotiateTls = stackGuardrail({
    name: "route53-https-checks-reach-tls12",
    description: "A Route53 HTTPS health check of a load balancer targets a port with an HTTPS listener whose TLS policy admits TLS 1.2.",
    remediation:
        "Check the ALB's listener for Route53's checkers (port HEALTH_CHECK_PORT in model/ports.ts, sslPolicy ELBSecurityPolicy-TLS13-1-2-2021-06, " +
        "admitted only from the com.amazonaws.<region>.route53-healthchecks prefix list: components/app/edge.ts), never the TLS 1.3-only one.",
    concern: "availability",
    seed: "3.2, 6",
    why:
        "Route53's HTTPS checkers negotiate TLS 1.0 to 1.2 only ('the endpoint must support TLS v1.0, v1.1, or v1.2', " +
        "https://docs.aws.amazon.com/Route53/latest/APIReference/API_HealthCheckConfig.html): against a TLS 1.3-only listener every check " +
        "fails, the uptime alarm fires from day one and DNS failover judges the site down.",
    types: [HEALTH_CHECK, T.lb, T.listener],
    check: ({ graph }, report) => {
        for (const hc of graph.ofType(HEALTH_CHECK)) {
            const type = peek(() => hc.props.type);
            if (type !== "HTTPS" && type !== "HTTPS_STR_MATCH") continue;
            const port = peek(() => hc.props.port) ?? 443;
            if (port === UNKNOWN) continue;
            for (const lb of graph.refs(hc, "fqdn", T.lb)) {
                const listeners = graph.referrers(lb, [T.listener], "loadBalancerArn").filter((l) => [port, UNKNOWN].includes(peek(() => l.props.port)));
                if (listeners.length === 0) report(`health check ${hc.name} probes port ${port} of ${label(lb)}, where it has no listener`, hc.urn);
                for (const listener of listeners) {
                    const protocol = peek(() => listener.props.protocol);
                    const policy = peek(() => listener.props.sslPolicy);
                    if (protocol !== UNKNOWN && protocol !== "HTTPS")
                        report(`health check ${hc.name} speaks HTTPS to ${listener.name}, a ${protocol} listener on port ${port}`, hc.urn);
                    else if (typeof policy === "string" && TLS13_ONLY.test(policy))
                        report(`health check ${hc.name} probes ${listener.name} on port ${port}, whose ${policy} refuses the checkers' TLS 1.2`, hc.urn);
                }
            }
        }
    },
});

// issue #11: NACLs are stateless and drop silently
/** A host of a subnet to test packets with (its tenth address). */
const hostOf = (cidr: string) => cidr.replace(/\.(\d+)\/\d+$/, (_, last: string) => `.${Number(last) + 10}`);
const EPHEMERAL_PROBES = [1024, 32768, 65535];

export const dataTierReachable = stackGuardrail({
    name: "data-tier-reachable-through-nacls",
    description:
        "Every database, cache and search domain is reachable from each private-tier subnet through the NACLs on both sides: its port in, and the reply to the client's ephemeral ports back.",
    remediation: "Declare the service's flow (tier, port, client tiers) in model/flows.ts DATA_TIER_FLOWS: the isolated tier's NACL rules are derived from it.",
    concern: "availability",
    seed: "1.4, 2",
    why:
        "NACLs are stateless and drop without a trace: a data store placed in the isolated tier whose port (or whose reply) no rule admits " +
        "deploys fine and then times out for every client (https://docs.aws.amazon.com/vpc/latest/userguide/nacl-ephemeral-ports.html).",
    types: [T.rds, T.rdsSubnets, T.redis, T.cacheSubnets, T.opensearch, T.subnet, T.nacl, T.naclRule],
    check: ({ graph }, report) => {
        const cidrOf = (s: PolicyResource) => peek(() => s.props.cidrBlock);
        // A subnet's NACL rules; undefined when unknown (or no NACL of ours: the VPC's default one admits everything).
        const rulesMemo = new Map<PolicyResource, NaclEntry[] | undefined>();
        const rulesOf = (subnet: PolicyResource): NaclEntry[] | undefined => {
            if (!rulesMemo.has(subnet)) rulesMemo.set(subnet, subnetRules(subnet));
            return rulesMemo.get(subnet);
        };
        const subnetRules = (subnet: PolicyResource): NaclEntry[] | undefined => {
            const [nacl] = graph.referrers(subnet, [T.nacl], "subnetIds");
            if (!nacl) return undefined;
            const entries = graph.referrers(nacl, [T.naclRule], "networkAclId").map((r) => r.props);
            const known = ["ruleNumber", "egress", "protocol", "cidrBlock", "fromPort", "toPort"];
            return entries.every((e) => known.every((k) => peek(() => e[k]) !== UNKNOWN)) ? (entries as unknown as NaclEntry[]) : undefined;
        };
        const services = [
            ...graph.ofType(T.rds).map((db) => ({
                r: db,
                port: peek(() => db.props.port) ?? 5432,
                subnets: graph.refs(db, "dbSubnetGroupName", T.rdsSubnets).flatMap((g) => graph.refs(g, "subnetIds", T.subnet)),
            })),
            ...graph.ofType(T.redis).map((c) => ({
                r: c,
                port: peek(() => c.props.port) ?? 6379,
                subnets: graph.refs(c, "subnetGroupName", T.cacheSubnets).flatMap((g) => graph.refs(g, "subnetIds", T.subnet)),
            })),
            ...graph.ofType(T.opensearch).map((d) => ({ r: d, port: 443, subnets: graph.refs(d, "vpcOptions", T.subnet) })),
        ];
        // Clients are the private subnets of the server's own VPC (joined by URN, so preview works): linear in the stack's VPCs.
        const vpcOf = (s: PolicyResource) => graph.refs(s, "vpcId", T.vpc)[0];
        const clientsByVpc = new Map<PolicyResource | undefined, PolicyResource[]>();
        for (const s of graph.ofType(T.subnet)) {
            if (graph.tierOf(s) !== "private") continue;
            const vpc = vpcOf(s);
            clientsByVpc.set(vpc, [...(clientsByVpc.get(vpc) ?? []), s]);
        }
        for (const { r, port, subnets } of services) {
            if (typeof port !== "number") continue;
            for (const server of subnets) {
                const [serverCidr, serverRules] = [cidrOf(server), rulesOf(server)];
                if (typeof serverCidr !== "string" || !serverRules) continue;
                for (const client of clientsByVpc.get(vpcOf(server)) ?? []) {
                    const [clientCidr, clientRules] = [cidrOf(client), rulesOf(client)];
                    if (typeof clientCidr !== "string") continue;
                    const [c, s] = [hostOf(clientCidr), hostOf(serverCidr)];
                    const blocked = [
                        !naclAllows(serverRules, { egress: false, peer: c, port }) && `${server.name} admits no ${port} from ${clientCidr}`,
                        EPHEMERAL_PROBES.some((e) => !naclAllows(serverRules, { egress: true, peer: c, port: e })) &&
                            `${server.name} lets no reply out to ${clientCidr}'s ephemeral ports`,
                        clientRules && !naclAllows(clientRules, { egress: true, peer: s, port }) && `${client.name} lets no ${port} out to ${serverCidr}`,
                        clientRules &&
                            EPHEMERAL_PROBES.some((e) => !naclAllows(clientRules, { egress: false, peer: s, port: e })) &&
                            `${client.name} admits no reply from ${serverCidr}`,
                    ].filter((x): x is string => typeof x === "string");
                    for (const why of blocked) report(`${label(r)} on port ${port} is unreachable from the private tier: the NACL of ${why}`, r.urn);
                }
            }
        }
    },
});

export const availabilityPolicies: Guardrail[] = [
    rdsMultiAz,
    redisFailover,
    tiersSpanAzs,
    natPerAz,
    privateSubnetsNotPublic,
    workloadAvailability,
    nodeGroupsSpanAzs,
    alarmMathFillsCounts,
    route53ChecksNegotiateTls,
    dataTierReachable,
];

// ---------------------------------------------------------------------------------------------
// issue #11: on-prem names resolve from the VPC (the MinIO provider of the in-VPC deploy runner)
// ---------------------------------------------------------------------------------------------

const DNS_T = {
    minio: "pulumi:providers:minio",
    endpoint: "aws:route53/resolverEndpoint:ResolverEndpoint",
    rule: "aws:route53/resolverRule:ResolverRule",
    association: "aws:route53/resolverRuleAssociation:ResolverRuleAssociation",
    vgw: "aws:ec2/vpnGateway:VpnGateway",
    sgEgress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
} as const;

/** The on-prem host names the stack calls: the MinIO provider's endpoint (host:port), when a name rather than an address. */
function onPremHosts(graph: Graph): { r: PolicyResource; host: string }[] {
    return graph.ofType(DNS_T.minio).flatMap((r) => {
        const server = peek(() => r.props.minioServer);
        const host = typeof server === "string" ? server.replace(/:\d+$/, "") : undefined;
        return host && !isIpv4Address(host) ? [{ r, host }] : [];
    });
}

const known = (v: unknown): boolean => v !== UNKNOWN && v !== undefined;
/** A list prop's known elements (none while the list itself is unknown). */
const knownList = (v: unknown): Record<string, unknown>[] =>
    v === UNKNOWN ? [] : asArray(v as Record<string, unknown>[] | undefined).filter((e) => e !== null && typeof e === "object");
const inside = (ip: string, cidr: unknown) => {
    const [outer, inner] = [typeof cidr === "string" ? parseCidr(cidr) : undefined, parseCidr(`${ip}/32`)];
    return outer !== undefined && inner !== undefined && contains(outer, inner);
};

/** What stops the endpoint's queries to one target `ip` at the network layers of one endpoint subnet (route, NACL), or []. */
function subnetBlocks(graph: Graph, subnet: PolicyResource, ip: string): string[] {
    const blocked: string[] = [];
    const routes = graph.routeTablesOf(subnet).flatMap((rt) => graph.referrers(rt, [T.route], "routeTableId"));
    const viaVpn = routes.some(
        (r) =>
            inside(
                ip,
                peek(() => r.props.destinationCidrBlock),
            ) && graph.refs(r, "gatewayId", DNS_T.vgw).length > 0,
    );
    if (!viaVpn) blocked.push(`${subnet.name} has no route to ${ip} through the VPN gateway`);
    const [nacl] = graph.referrers(subnet, [T.nacl], "subnetIds");
    const entries = nacl ? graph.referrers(nacl, [T.naclRule], "networkAclId").map((r) => r.props) : [];
    const keys = ["ruleNumber", "egress", "protocol", "cidrBlock", "fromPort", "toPort"];
    if (!nacl || !entries.every((e) => keys.every((k) => known(peek(() => e[k]))))) return blocked;
    const rules = entries as unknown as NaclEntry[];
    for (const protocol of ["udp", "tcp"] as const) {
        if (!naclAllows(rules, { egress: true, peer: ip, port: DNS_PORT, protocol }))
            blocked.push(`the NACL of ${subnet.name} lets no ${protocol} ${DNS_PORT} out to ${ip}`);
        if ([1024, 32768, 65535].some((port) => !naclAllows(rules, { egress: false, peer: ip, port, protocol })))
            blocked.push(`the NACL of ${subnet.name} admits no ${protocol} reply from ${ip}`);
    }
    return blocked;
}

/** Whether one of the endpoint's security groups lets `protocol` DNS out to `ip` (standalone egress rules and inline egress). */
function sgAllowsDns(graph: Graph, endpoint: PolicyResource, ip: string, protocol: "udp" | "tcp"): boolean | undefined {
    const sgs = graph.refs(endpoint, "securityGroupIds", T.sg);
    const rules = sgs.flatMap((sg) => [
        ...graph.referrers(sg, [DNS_T.sgEgress], "securityGroupId").map((r) => ({
            protocol: peek(() => r.props.ipProtocol),
            from: peek(() => r.props.fromPort),
            to: peek(() => r.props.toPort),
            cidrs: [peek(() => r.props.cidrIpv4)],
        })),
        ...knownList(peek(() => sg.props.egress)).map((e) => ({
            protocol: e.protocol,
            from: e.fromPort,
            to: e.toPort,
            cidrs: asArray(e.cidrBlocks as unknown[]),
        })),
    ]);
    if (rules.some((r) => [r.protocol, r.from, r.to, ...r.cidrs].some((v) => v === UNKNOWN))) return undefined;
    return rules.some(
        (r) =>
            (["-1", "all", -1].includes(r.protocol as string) || (r.protocol === protocol && Number(r.from) <= DNS_PORT && Number(r.to) >= DNS_PORT)) &&
            r.cidrs.some((c) => inside(ip, c)),
    );
}

export const onPremNamesResolve = stackGuardrail({
    name: "on-prem-names-resolve",
    description:
        "With an on-prem link, every on-prem host name the stack calls (the MinIO provider's endpoint) is forwarded by a Route 53 Resolver rule associated with the VPC, through an outbound endpoint of two or more addresses whose route, NACL and security group reach the on-prem DNS servers on UDP and TCP 53.",
    remediation:
        "Set network.onPrem.dns (domains covering the host, serverAddresses inside network.onPrem.cidrs): components/network/onPremDns.ts creates the outbound endpoint, the forwarding rule per domain and its association with the VPC, and the private NACL's DNS rules.",
    concern: "availability",
    seed: "1.1, 9",
    why:
        "The VPC's resolver answers AWS and public names only: without a forwarding rule the MinIO provider (phase 2 of pulumi up on the in-VPC runner) and the document-sync pods fail on DNS, " +
        "and Route 53 requires at least two endpoint addresses and TCP and UDP egress to the target servers " +
        "(https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver-forwarding-outbound-queries.html).",
    types: [DNS_T.minio, DNS_T.endpoint, DNS_T.rule, DNS_T.association, T.vpn, T.subnet, T.nacl, T.naclRule, T.sg, DNS_T.sgEgress],
    check: ({ graph }, report) => {
        if (graph.ofType(T.vpn).length === 0) return;
        const rules = graph.ofType(DNS_T.rule).filter((r) => typeof peek(() => r.props.domainName) === "string");
        for (const { r, host } of onPremHosts(graph)) {
            // Resolver applies the most specific matching rule: a SYSTEM rule under a FORWARD one takes the name back.
            const matching = rules.filter((rule) => nameIsUnder(host, String(rule.props.domainName)));
            const [rule] = matching.sort((a, b) => String(b.props.domainName).length - String(a.props.domainName).length);
            if (!rule || peek(() => rule.props.ruleType) !== "FORWARD") {
                report(
                    `${label(r)} calls ${host}, which no Resolver forwarding rule covers${rule ? ` (${label(rule)} is ${String(rule.props.ruleType)})` : ""}`,
                    r.urn,
                );
                continue;
            }
            const associated = graph.referrers(rule, [DNS_T.association], "resolverRuleId").some((a) => graph.refs(a, "vpcId", T.vpc).length > 0);
            if (!associated) report(`${label(rule)} forwarding ${host} is associated with no VPC of the stack: it forwards nothing`, rule.urn);
            const [endpoint] = graph.refs(rule, "resolverEndpointId", DNS_T.endpoint);
            if (!endpoint || peek(() => endpoint.props.direction) !== "OUTBOUND") {
                report(`${label(rule)} forwarding ${host} goes through no outbound Resolver endpoint`, rule.urn);
                continue;
            }
            const addresses = peek(() => endpoint.props.ipAddresses as unknown[]);
            if (addresses !== UNKNOWN && asArray(addresses).length < 2)
                report(`${label(endpoint)} has ${asArray(addresses).length} address(es): Route 53 requires at least two (in two AZs)`, endpoint.urn);
            const targets = knownList(peek(() => rule.props.targetIps))
                .map((t) => peek(() => t.ip))
                .filter((ip): ip is string => typeof ip === "string");
            if (targets.length === 0) report(`${label(rule)} forwarding ${host} names no on-prem DNS server`, rule.urn);
            for (const ip of targets) {
                for (const protocol of ["udp", "tcp"] as const)
                    if (sgAllowsDns(graph, endpoint, ip, protocol) === false)
                        report(`the security groups of ${label(endpoint)} let no ${protocol} ${DNS_PORT} out to ${ip}`, endpoint.urn);
                const subnets = graph.refs(endpoint, "ipAddresses", T.subnet);
                for (const why of [...new Set(subnets.flatMap((s) => subnetBlocks(graph, s, ip)))])
                    report(`${label(endpoint)} cannot reach on-prem DNS server ${ip} for ${host}: ${why}`, endpoint.urn);
            }
        }
    },
});

availabilityPolicies.push(onPremNamesResolve);
