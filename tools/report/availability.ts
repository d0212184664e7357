/**
 * Availability review (issue #15 item 3, seed 2 and 6): the composite SLA of the serving path built from
 * the services the graph actually puts on it (published AWS SLAs, model/sla.ts SLA_TABLE), with the DR
 * site and the on-prem member as parallel paths behind Route 53, against the target; and the single
 * points of failure the graph declares (tools/report/spof.ts). Pure and O(n).
 */
import type { Plan } from "../offline";
import { DEFAULTS } from "../../model/defaults";
import { ON_PREM_ASSUMED_SLA, SLA_TABLE, SlaKey, parallel, serial } from "../../model/sla";
import type { AvailabilityPathPart, AvailabilityReport } from "./types";
import { PlanIndex, arr, configSections, num, obj, str } from "./planGraph";
import { singlePointsOfFailure } from "./spof";
import { drSiteFor } from "./drObjectives";

const part = (key: SlaKey, why?: string): AvailabilityPathPart & { key: SlaKey } => ({
    key,
    service: why ? `${SLA_TABLE[key].service}: ${why}` : SLA_TABLE[key].service,
    sla: SLA_TABLE[key].sla,
    source: SLA_TABLE[key].source,
});

/**
 * The serving path of one site, from its graph: DNS, then what a citizen's request crosses in order.
 * OpenSearch, CloudWatch, the NAT gateways and the VPN are not on it (logs, egress and the on-prem link:
 * their loss does not fail a request), so they add no factor.
 */
export function servingPathOf(index: PlanIndex): (AvailabilityPathPart & { key: SlaKey })[] {
    const path: (AvailabilityPathPart & { key: SlaKey })[] = [part("route53", "the portal's hostname resolves in the public zone")];
    if (index.of("aws:wafv2/webAclAssociation:WebAclAssociation").length > 0) path.push(part("waf", "web ACL on the ALB inspects every request"));
    if (index.of("aws:lb/loadBalancer:LoadBalancer").some((lb) => lb.props.internal !== true)) path.push(part("alb"));
    if (index.of("eks:index:Cluster").length + index.of("aws:eks/cluster:Cluster").length > 0) path.push(part("eks"));
    const groups = index.of("aws:eks/nodeGroup:NodeGroup");
    if (groups.length > 0) {
        const subnets = new Set(groups.flatMap((g) => index.referenced(g, "subnetIds").map((s) => str(s.props.availabilityZone) ?? s.urn)));
        path.push(subnets.size >= 2 ? part("ec2Region", `worker nodes in ${subnets.size} AZs`) : part("ec2Instance", "worker nodes in one AZ"));
    }
    for (const db of index.of("aws:rds/instance:Instance")) {
        const replica = str(db.props.replicateSourceDb) !== undefined;
        if (db.props.multiAz === true) path.push(part("rdsMultiAz"));
        else path.push(part("rdsSingleAz", replica ? "the cross-region replica, Single-AZ once promoted" : "one instance in one AZ"));
    }
    for (const rg of index.of("aws:elasticache/replicationGroup:ReplicationGroup")) {
        const multiAz = rg.props.multiAzEnabled === true && rg.props.automaticFailoverEnabled === true;
        path.push(multiAz ? part("elasticacheMultiAz") : part("elasticacheSingleAz", "no automatic failover to another AZ"));
    }
    const deployments = index.of("kubernetes:apps/v1:Deployment");
    const usesBucket = deployments.some((d) =>
        arr(obj(obj(obj(d.props.spec).template).spec).containers).some((c) => arr(obj(c).env).some((e) => /_BUCKET$/.test(str(obj(e).name) ?? ""))),
    );
    if (usesBucket) path.push(part("s3Standard", "citizens' documents are read and written on requests"));
    // DNS alone serves nothing: a stack with nothing behind the name (bootstrap) has no serving path, not a 100% one.
    return path.length === 1 ? [] : path;
}

export interface AvailabilityOptions {
    /** The other site's plan when the caller has it (a dr stack runs its primary's): its path from its own graph. */
    readonly peer?: Plan;
    /** Whether a DR site fails over for this stack, and whether an on-prem GSLB member serves (drObjectives.drSiteOf). */
    readonly drSite?: { readonly present: boolean; readonly onPremMember: boolean };
}

/**
 * Without the other site's plan, its path is this site's path with the database in its role: the primary's
 * Multi-AZ instance, or the dr site's cross-region replica (Single-AZ once promoted). Same program, same services.
 */
function assumedPeerPath(own: readonly (AvailabilityPathPart & { key: SlaKey })[], ownIsDr: boolean): number[] {
    return own
        .filter((p) => p.key !== "route53")
        .map((p) => (p.key === "rdsSingleAz" && ownIsDr ? SLA_TABLE.rdsMultiAz.sla : p.key === "rdsMultiAz" && !ownIsDr ? SLA_TABLE.rdsSingleAz.sla : p.sla));
}

export function availabilityOf(plan: Plan, config: Record<string, string>, options: AvailabilityOptions = {}): AvailabilityReport {
    const index = new PlanIndex(plan.resources);
    const { project } = configSections(config);
    const slo = obj(obj(project.observability).slo);
    const target = Number(((num(slo.availabilityTargetPercent) ?? DEFAULTS.observability.slo.availabilityTargetPercent) / 100).toFixed(6));
    const path = servingPathOf(index);
    const composite = serial(...path.map((p) => p.sla));
    const isDr = project.role === "dr";
    // The GSLB lives in the dr stack: its config says whether an on-prem member serves; a primary finds it by name.
    const drConfig = isDr ? config : drSiteFor(plan.stack)?.config;
    const gslbOnPrem = obj(obj(obj(drConfig ? configSections(drConfig).project.dr : undefined).gslb).onPrem);
    const drSite = options.drSite ?? { present: drConfig !== undefined, onPremMember: str(gslbOnPrem.address) !== undefined };
    const dns = SLA_TABLE.route53.sla;
    const ownSite = serial(...path.filter((p) => p.key !== "route53").map((p) => p.sla));
    const peerSite = options.peer
        ? serial(
              ...servingPathOf(new PlanIndex(options.peer.resources))
                  .filter((p) => p.key !== "route53")
                  .map((p) => p.sla),
          )
        : serial(...assumedPeerPath(path, isDr));
    // Route 53 failover in front of two independent sites (independent failures assumed: separate regions,
    // separate stacks). A floor, like its parts: it also assumes the failover is instant, which the RTO is not.
    const compositeWithDr = drSite.present ? serial(dns, parallel(ownSite, peerSite)) : composite;
    const compositeWithOnPrem = drSite.onPremMember ? serial(dns, parallel(...(drSite.present ? [ownSite, peerSite] : [ownSite]), ON_PREM_ASSUMED_SLA)) : null;
    return {
        target,
        composite,
        compositeWithDr,
        compositeWithOnPrem,
        path: path.map(({ service, sla, source }) => ({ service, sla, source })),
        singlePointsOfFailure: singlePointsOfFailure(index, { standby: isDr && (str(project.drMode) ?? DEFAULTS.drMode) === "standby" }),
        // One site's contractual floor: the DR path is not counted, its failover takes the RTO, not zero.
        meetsTarget: composite >= target,
        assumptions: [
            "SLAs are AWS's published monthly floors (service credits below them), composed as independent failures.",
            "A request crosses every service on the path in series; OpenSearch, CloudWatch, NAT and the VPN are off it.",
            drSite.present
                ? `The DR site is a parallel path behind Route 53 failover, its path ${options.peer ? "from its own plan" : "assumed the same services with the database in its role"}; failover is counted as instant, which the RTO is not, so meetsTarget uses one site.`
                : "No DR site fails over for this stack: compositeWithDr is the single site.",
            ...(drSite.onPremMember
                ? [
                      `The on-prem GSLB member has no published SLA: ${ON_PREM_ASSUMED_SLA * 100}% assumed (model/sla.ts ON_PREM_ASSUMED_SLA), independent of AWS.`,
                  ]
                : []),
        ],
    };
}
