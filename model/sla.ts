/**
 * SLA maths (seed 2, 6): error budgets, and the availability a design composes to from
 * the published SLAs of its parts. Pure; the README quotes its results.
 */

/** Minutes of downtime an availability target allows in a period. */
export function errorBudgetMinutes(target: number, periodDays = 30): number {
    assertAvailability(target);
    return (1 - target) * periodDays * 24 * 60;
}

/** Availability of parts that must all work (a request crosses each of them). */
export function serial(...parts: number[]): number {
    parts.forEach(assertAvailability);
    return parts.reduce((acc, a) => acc * a, 1);
}

/** Availability of redundant parts where any one suffices (independent failures assumed). */
export function parallel(...parts: number[]): number {
    parts.forEach(assertAvailability);
    return 1 - parts.reduce((acc, a) => acc * (1 - a), 1);
}

function assertAvailability(a: number): void {
    if (!(a >= 0 && a <= 1)) throw new RangeError(`availability must be within [0, 1], got ${a}`);
}

/** One published SLA: the service commitment AWS states on the service's SLA page (monthly uptime). */
export interface SlaEntry {
    readonly service: string;
    /** Monthly uptime percentage as a fraction (0.9995 = 99.95%). */
    readonly sla: number;
    /** The AWS SLA page the figure is read from. */
    readonly source: string;
    /** What exactly the commitment covers, where that matters for the composition. */
    readonly note?: string;
}

/**
 * Monthly-uptime SLAs AWS publishes for the services on the request path (the level below
 * which service credits apply: a floor, not a forecast). Read on 2026-12-01 from each page.
 */
export const SLA_TABLE = {
    route53: {
        service: "Amazon Route 53 (DNS queries)",
        sla: 1.0,
        source: "https://aws.amazon.com/route53/sla/",
        note: "100% for DNS query answers, not health checks",
    },
    waf: { service: "AWS WAF", sla: 0.9995, source: "https://aws.amazon.com/waf/sla/", note: "per region" },
    alb: { service: "Elastic Load Balancing (ALB)", sla: 0.9999, source: "https://aws.amazon.com/elasticloadbalancing/sla/" },
    eks: {
        service: "Amazon EKS (Kubernetes API endpoint)",
        sla: 0.9995,
        source: "https://aws.amazon.com/eks/sla/",
        note: "the control plane endpoint; running pods keep serving during an API outage, so this is conservative",
    },
    ec2Region: {
        service: "Amazon EC2 (region-level, instances in 2+ AZs)",
        sla: 0.9999,
        source: "https://aws.amazon.com/compute/sla/",
        note: "region-level commitment, applies when instances run in two or more AZs",
    },
    ec2Instance: { service: "Amazon EC2 (single instance)", sla: 0.995, source: "https://aws.amazon.com/compute/sla/", note: "instance-level commitment" },
    rdsMultiAz: { service: "Amazon RDS Multi-AZ DB instance", sla: 0.9995, source: "https://aws.amazon.com/rds/sla/" },
    rdsSingleAz: { service: "Amazon RDS Single-AZ DB instance", sla: 0.995, source: "https://aws.amazon.com/rds/sla/", note: "instance-level uptime" },
    elasticacheMultiAz: {
        service: "Amazon ElastiCache Multi-AZ (automatic failover)",
        sla: 0.9999,
        source: "https://aws.amazon.com/elasticache/sla/",
        note: "Multi-AZ with automatic failover and a replica in another AZ",
    },
    elasticacheSingleAz: { service: "Amazon ElastiCache Single-AZ", sla: 0.995, source: "https://aws.amazon.com/elasticache/sla/" },
    s3Standard: { service: "Amazon S3 Standard", sla: 0.999, source: "https://aws.amazon.com/s3/sla/" },
} as const satisfies Record<string, SlaEntry>;

export type SlaKey = keyof typeof SLA_TABLE;

/** The figures alone, by key (what designSla and the README compose). */
export const AWS_SLA = Object.fromEntries(Object.entries(SLA_TABLE).map(([k, e]) => [k, e.sla])) as { readonly [K in SlaKey]: (typeof SLA_TABLE)[K]["sla"] };

/**
 * The on-prem site has no published SLA: the availability assumed for it as a GSLB member when nothing
 * else is stated. 99.5% is the single-instance/single-AZ level AWS itself commits to for one site; an on-prem
 * data centre with redundant hosts but one building, one power feed and one uplink is no better than one AZ.
 */
export const ON_PREM_ASSUMED_SLA = 0.995;

export interface SlaReport {
    /** The whole request path: DNS -> ALB -> pods on EC2 -> database, cache and document store. */
    readonly requestPath: number;
    /** Same, without the document store (most requests never touch S3). */
    readonly withoutDocuments: number;
    readonly target: number;
    readonly meetsTarget: boolean;
    readonly monthlyBudgetMinutes: number;
    readonly composedDowntimeMinutes: number;
}

/** Composes the design's contractual floor and compares it with the target (99.9%). */
export function designSla(target = 0.999): SlaReport {
    const withoutDocuments = serial(AWS_SLA.route53, AWS_SLA.alb, AWS_SLA.eks, AWS_SLA.ec2Region, AWS_SLA.rdsMultiAz, AWS_SLA.elasticacheMultiAz);
    const requestPath = serial(withoutDocuments, AWS_SLA.s3Standard);
    return {
        requestPath,
        withoutDocuments,
        target,
        meetsTarget: requestPath >= target,
        monthlyBudgetMinutes: errorBudgetMinutes(target),
        composedDowntimeMinutes: errorBudgetMinutes(requestPath),
    };
}
