/**
 * Single points of failure declared by a planned graph (issue #15 item 3): each detector names the
 * resource and why one failure there takes down (part of) the service. Joins go through URN property
 * dependencies, so they hold in preview. Each detector is tested on a small mutated graph.
 */
import type { PlannedResource } from "../offline";
import { PlanIndex, arr, num, obj, str } from "./planGraph";

export interface SinglePointOfFailure {
    urn: string;
    type: string;
    why: string;
}

type Detector = (index: PlanIndex, ctx: { standby: boolean }) => SinglePointOfFailure[];
const spof = (r: PlannedResource, why: string): SinglePointOfFailure => ({ urn: r.urn, type: r.type, why });

/** A NAT gateway that private subnets of several AZs route through: losing its AZ cuts the others' egress. */
const sharedNat: Detector = (index) => {
    const azsOfTable = new Map<string, Set<string>>();
    for (const a of index.of("aws:ec2/routeTableAssociation:RouteTableAssociation")) {
        const table = index.referenced(a, "routeTableId")[0];
        const subnet = index.referenced(a, "subnetId")[0];
        const az = subnet && str(subnet.props.availabilityZone);
        if (table && az) azsOfTable.set(table.urn, (azsOfTable.get(table.urn) ?? new Set()).add(az));
    }
    const azsOfNat = new Map<string, Set<string>>();
    for (const route of index.of("aws:ec2/route:Route")) {
        const nat = index.referenced(route, "natGatewayId")[0];
        const table = index.referenced(route, "routeTableId")[0];
        if (!nat || !table) continue;
        const set = azsOfNat.get(nat.urn) ?? new Set<string>();
        for (const az of azsOfTable.get(table.urn) ?? []) set.add(az);
        azsOfNat.set(nat.urn, set);
    }
    return [...azsOfNat]
        .filter(([, azs]) => azs.size > 1)
        .map(([urn, azs]) =>
            spof(
                index.byUrn.get(urn)!,
                `one NAT gateway carries the egress of ${azs.size} AZs (${[...azs].sort().join(", ")}): losing its AZ cuts the others' egress (one per AZ: network.singleNatGateway false)`,
            ),
        );
};

/** A primary database in one AZ (a standby's replica is judged only once it serves: drMode active). */
const singleAzDatabase: Detector = (index, { standby }) =>
    index
        .of("aws:rds/instance:Instance")
        .filter((db) => db.props.multiAz !== true && !(standby && str(db.props.replicateSourceDb) !== undefined))
        .map((db) =>
            spof(
                db,
                str(db.props.replicateSourceDb)
                    ? "the promoted replica serves as one Single-AZ instance: modify it to Multi-AZ after promotion"
                    : "Single-AZ DB instance: an AZ or host failure stops the database until it is replaced",
            ),
        );

/** A cache with no automatic failover to a replica in another AZ. */
const cacheWithoutFailover: Detector = (index) =>
    index.of("aws:elasticache/replicationGroup:ReplicationGroup").flatMap((rg) => {
        const replicas = num(rg.props.replicasPerNodeGroup) ?? (num(rg.props.numCacheClusters) ?? 1) - 1;
        const why = [
            rg.props.automaticFailoverEnabled !== true && "automatic failover off",
            rg.props.multiAzEnabled !== true && "Multi-AZ off",
            replicas < 1 && "no replica per shard",
        ].filter(Boolean);
        return why.length > 0 ? [spof(rg, `${why.join(", ")}: a primary node's failure loses the sessions, cache and Celery broker it holds`)] : [];
    });

/** Worker nodes that one AZ (or one node) can take away. */
const nodeGroups: Detector = (index) => {
    const groups = index.of("aws:eks/nodeGroup:NodeGroup");
    if (groups.length === 0) return [];
    const azs = new Set(groups.flatMap((g) => index.referenced(g, "subnetIds").map((s) => str(s.props.availabilityZone) ?? s.urn)));
    const out: SinglePointOfFailure[] = [];
    if (azs.size < 2) out.push(spof(groups[0], `the node groups span ${azs.size} AZ: losing it stops every pod`));
    const totalMin = groups.reduce((s, g) => s + (num(obj(g.props.scalingConfig).minSize) ?? 0), 0);
    if (totalMin < 2) out.push(spof(groups[0], `the node groups may shrink to ${totalMin} node: one instance failure stops every pod`));
    return out;
};

const labelsMatch = (selector: Record<string, unknown>, labels: Record<string, unknown>) =>
    Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);
const nsOf = (r: PlannedResource) => str(obj(r.props.metadata).namespace) ?? "default";

/** Deployments behind the ALB (TargetGroupBinding -> Service -> pods) with one replica or no PodDisruptionBudget. */
const servingDeployments: Detector = (index) => {
    const services = index.of("kubernetes:core/v1:Service");
    const selectors = index.of("kubernetes:elbv2.k8s.aws/v1beta1:TargetGroupBinding").flatMap((b) => {
        const name = str(obj(obj(b.props.spec).serviceRef).name);
        const svc = services.find((s) => str(obj(s.props.metadata).name) === name && nsOf(s) === nsOf(b));
        return svc ? [{ ns: nsOf(svc), selector: obj(obj(svc.props.spec).selector) }] : [];
    });
    const hpaMin = new Map(
        index
            .of("kubernetes:autoscaling/v2:HorizontalPodAutoscaler")
            .map((h) => [`${nsOf(h)}/${str(obj(obj(h.props.spec).scaleTargetRef).name)}`, num(obj(h.props.spec).minReplicas) ?? 1]),
    );
    const pdbs = index.of("kubernetes:policy/v1:PodDisruptionBudget").map((p) => ({ ns: nsOf(p), selector: obj(obj(obj(p.props.spec).selector).matchLabels) }));
    return index.of("kubernetes:apps/v1:Deployment").flatMap((d) => {
        const labels = obj(obj(obj(obj(d.props.spec).template).metadata).labels);
        if (!selectors.some((s) => s.ns === nsOf(d) && labelsMatch(s.selector, labels))) return [];
        const name = str(obj(d.props.metadata).name) ?? d.name;
        const replicas = Math.max(num(obj(d.props.spec).replicas) ?? 1, hpaMin.get(`${nsOf(d)}/${name}`) ?? 0);
        const out: SinglePointOfFailure[] = [];
        if (replicas < 2) out.push(spof(d, `serves the ALB with ${replicas} replica: one pod or node failure stops it`));
        if (!pdbs.some((p) => p.ns === nsOf(d) && labelsMatch(p.selector, labels)))
            out.push(spof(d, "serves the ALB with no PodDisruptionBudget: a node drain may evict every replica at once"));
        return out;
    });
};

/** An internet-facing ALB in fewer than two subnets (AWS requires two AZs for an ALB; one is an AZ-wide outage). */
const albSubnets: Detector = (index) =>
    index.of("aws:lb/loadBalancer:LoadBalancer").flatMap((lb) => {
        const subnets = arr(lb.props.subnets).length || arr(lb.props.subnetMappings).length || index.referenced(lb, "subnets").length;
        return subnets < 2 ? [spof(lb, `the load balancer is in ${subnets} subnet: it needs two AZs to survive one`)] : [];
    });

/**
 * A VPN with static routes only and no second connection: AWS fails over between the two tunnels with BGP;
 * with static routes it depends on the customer device.
 * @see https://docs.aws.amazon.com/vpn/latest/s2svpn/vpn-redundant-connection.html
 */
const vpnStatic: Detector = (index) => {
    const vpns = index.of("aws:ec2/vpnConnection:VpnConnection");
    return vpns.length === 1 && vpns[0].props.staticRoutesOnly === true
        ? [spof(vpns[0], "one VPN connection with static routes: tunnel failover is left to the customer device (BGP fails over between the tunnels)")]
        : [];
};

export const DETECTORS = { sharedNat, singleAzDatabase, cacheWithoutFailover, nodeGroups, servingDeployments, albSubnets, vpnStatic } as const;

export function singlePointsOfFailure(index: PlanIndex, ctx: { standby: boolean }): SinglePointOfFailure[] {
    return Object.values(DETECTORS).flatMap((d) => d(index, ctx));
}
