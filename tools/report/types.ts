/**
 * The architect's review of a plan (issue #15): the shapes `npm run plan` adds to its JSON.
 * A contract for other tooling (the PR comment, dashboards): extend, never rename.
 * Fields the issue names are marked "(contract)".
 */

/** Cost categories, in the order the seed's section 8 lists its lines (plus the ones the seed leaves out). */
export const COST_CATEGORIES = ["compute", "database", "cache", "storage", "network", "observability", "security", "dr-replication", "delivery"] as const;
export type CostCategory = (typeof COST_CATEGORIES)[number];

/** Seed section 8's monthly estimates (USD) and which of our categories each covers. */
export const SEED_COST_LINES: readonly { line: string; monthly: number; categories: readonly CostCategory[] }[] = [
    { line: "Compute (EKS/EC2): 6 nodes + cluster management", monthly: 1200, categories: ["compute"] },
    { line: "Database (RDS Multi-AZ)", monthly: 800, categories: ["database"] },
    { line: "Storage (S3 + Data Transfer)", monthly: 400, categories: ["storage"] },
    { line: "Network (NAT, WAF, ALB)", monthly: 350, categories: ["network"] },
    { line: "DR Replication (storage/data transfer/standby nodes)", monthly: 600, categories: ["dr-replication"] },
];
export const SEED_COST_TOTAL = 3350;

/** One priced item of one resource (contract). monthly = quantity x unitPrice. */
export interface CostLine {
    urn: string;
    type: string;
    item: string;
    quantity: number;
    unit: string;
    unitPrice: number;
    monthly: number;
    /** True when the quantity is a usage assumption (requests, GB transferred), not a declared size. */
    usageBased: boolean;
    /** The stated default assumption (or "usage file: ..." when overridden); present exactly when usageBased. */
    assumption?: string;
    /** Extension: the category the line is totalled under. */
    category: CostCategory;
    /** Extension: the price table entry (model/prices) the unit price came from. */
    priceKey: string;
}

export interface CostReport {
    currency: "USD";
    /** The plan date (YYYY-MM-DD): prices as listed then, EKS standard or extended support as of then. */
    asOf: string;
    region: string;
    monthlyTotal: number;
    categories: { name: CostCategory; monthly: number }[];
    lines: CostLine[];
    /** Resources that cost money (or may) but have no price listed: never counted as zero silently. */
    unpriced: { urn: string; type: string; why: string }[];
    /**
     * Extension: every site this plan can cost, this stack first. A dr stack's plan runs its primary's offline
     * plan (its StackReference), so its review shows prod, dr and both together (seed 8 totals both).
     */
    sites?: CostSite[];
    /** Extension: the monthly total of every site in `sites` together. */
    sitesMonthlyTotal?: number;
}

export interface CostSite {
    stack: string;
    /** The site's role: the primary (prod) or the warm standby (dr). */
    role: "primary" | "dr";
    region: string;
    monthlyTotal: number;
    categories: { name: CostCategory; monthly: number }[];
    unpricedCount: number;
}

export interface NodeGroupCapacity {
    urn: string;
    name: string;
    instanceType: string;
    /** Availability zone index or name when the group is pinned to one AZ. */
    az?: string;
    desired: number;
    min: number;
    max: number;
}

export interface CapacityProjectionYear {
    year: number;
    users: number;
    nodes: number;
    nodesPerAz: number;
    instanceType: string;
    dbInstanceClass: string;
    storageGb: number;
    /** What the year's footprint (nodes, database, storage) costs per year at the price table's rates. */
    yearlyUsd: number;
}

export interface CapacityReport {
    users: number;
    targetUsers: number;
    azCount: number;
    pods: { djangoWeb: number; fastapiApi: number; celeryWorker: number; celeryBeat: number };
    nodeGroups: NodeGroupCapacity[];
    /** Declared nodes (desired) vs what the load needs, all AZs up and after losing the largest AZ. */
    declaredNodes: number;
    requiredNodesPerAz: number;
    headroomAfterAzLoss: { slotsNeeded: number; slotsLeft: number; cpuMillisLeft: number; memoryMiBLeft: number; fits: boolean };
    /** The seed's own sizing (2 x m5.large per AZ) checked against the seed's load. */
    seedSizing: { sufficient: boolean; shortfallSlots: number; requiredNodesPerAz: number; summary: string };
    projection: CapacityProjectionYear[];
    findings: string[];
}

export interface AvailabilityPathPart {
    service: string;
    sla: number;
    /** Where the SLA figure comes from (URL of the published SLA). */
    source: string;
}

export interface AvailabilityReport {
    target: number;
    /** Serial composition of the serving path in this region. */
    composite: number;
    /** With the DR site as a parallel path (DNS failover), and the on-prem member where it serves. */
    compositeWithDr: number;
    /** Extension: with the on-prem member as a parallel serving path (null when the stack has none). */
    compositeWithOnPrem?: number | null;
    path: AvailabilityPathPart[];
    /** Single points of failure found in the graph: one entry per resource or tier with no redundancy. */
    singlePointsOfFailure: { urn: string; type: string; why: string }[];
    meetsTarget: boolean;
    /** Extension: the assumptions the composition rests on (independence, what is off the path, the on-prem figure). */
    assumptions?: string[];
}

export interface DrTerm {
    /** rpo or rto */
    objective: "rpo" | "rto";
    name: string;
    minutes: number;
    /** Where the figure comes from: the config value or the documented typical time. */
    source: string;
}

export interface DrReport {
    rpoMinutes: number;
    rtoMinutes: number;
    rpoTargetMinutes: number;
    rtoTargetMinutes: number;
    terms: DrTerm[];
    meetsRpo: boolean;
    meetsRto: boolean;
}

export interface CriticalPathStep {
    urn: string;
    type: string;
    /** Typical creation time of this type (minutes) and where that figure comes from. */
    minutes: number;
    source: string;
    /** Minutes from the start of the deploy when this step finishes. */
    finishesAt: number;
}

export interface CriticalPathReport {
    totalMinutes: number;
    steps: CriticalPathStep[];
    /** Dependencies between tiers that serialize work with no data need (a tier waiting on another for nothing it reads). */
    needlessSerialization: {
        from: string;
        to: string;
        why: string;
        minutesSaved: number;
        /** Extension: the tiers (tierOf in tools/offline.ts) of `from` and `to`. */
        fromTier?: string;
        toTier?: string;
    }[];
}

export interface PlanDiff {
    base: { stack: string; resources: number };
    resources: {
        added: { type: string; count: number }[];
        changed: { type: string; count: number }[];
        removed: { type: string; count: number }[];
    };
    cost: { monthlyBase: number; monthlyHead: number; delta: number; categories: { name: string; base: number; head: number; delta: number }[] } | null;
    violations: {
        new: { policy: string; urn: string; message: string; enforcementLevel: string }[];
        fixed: { policy: string; urn: string; message: string; enforcementLevel: string }[];
    };
}

/** What the plan JSON gains (issue #15). */
export interface PlanReview {
    cost: CostReport;
    capacity: CapacityReport | null;
    availability: AvailabilityReport;
    dr: DrReport | null;
    criticalPath: CriticalPathReport;
    diff?: PlanDiff;
}
