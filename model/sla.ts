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

/**
 * Monthly-uptime SLAs AWS publishes for the services on the request path (the level below
 * which service credits apply: a floor, not a forecast).
 */
export const AWS_SLA = {
    route53: 1.0,
    alb: 0.9999,
    eks: 0.9995,
    rdsMultiAz: 0.9995,
    elasticacheMultiAz: 0.9999,
    s3Standard: 0.999,
    ec2Region: 0.9999,
} as const;

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
