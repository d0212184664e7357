/**
 * A review (tools/report/types.ts) for the render tests (issue #15 item 7), in the shapes the other
 * parts produce: the renders are tested on known figures, independent of the pricing, capacity, SLA
 * and critical-path maths (each tested on its own). Figures are illustrative, not list prices.
 */
import type { Plan, PlannedResource } from "../../tools/offline";
import { COST_CATEGORIES, type CostLine, type PlanReview } from "../../tools/report/types";

/** A realistic flowchart, in the form mermaidOf (tools/report/diagram.ts) emits: regions, AZs, tiers, flows. */
export const FIXTURE_DIAGRAM = `flowchart LR
  users(["Citizens (internet)"])
  subgraph euw2["eu-west-2 (primary)"]
    direction TB
    waf["WAF web ACL"]
    alb["ALB prod-portal"]
    subgraph az_a["eu-west-2a"]
      ng_a["node group app-a: 2 x m6i.large"]
      nat_a["NAT gateway"]
    end
    subgraph az_b["eu-west-2b"]
      ng_b["node group app-b: 2 x m6i.large"]
      nat_b["NAT gateway"]
    end
    subgraph az_c["eu-west-2c"]
      ng_c["node group app-c: 2 x m6i.large"]
      nat_c["NAT gateway"]
    end
    rds[("RDS PostgreSQL Multi-AZ")]
    redis[("ElastiCache Redis")]
    s3[("S3 documents")]
  end
  subgraph euw1["eu-west-1 (dr, warm standby)"]
    replica[("RDS read replica")]
    s3dr[("S3 documents replica")]
  end
  onprem["On-prem k3s member (VPN)"]
  users -->|HTTPS 443| waf --> alb
  alb --> ng_a & ng_b & ng_c
  ng_a & ng_b & ng_c -->|5432| rds
  ng_a & ng_b & ng_c -->|6379| redis
  ng_a & ng_b & ng_c --> s3
  rds -.->|async replication| replica
  s3 -.->|CRR + RTC| s3dr
  onprem <-->|IPsec| alb
`;

const MONTHLY: Record<string, { item: string; quantity: number; unit: string; unitPrice: number; category: CostLine["category"]; usage?: string }> = {
    "aws:eks/nodeGroup:NodeGroup": { item: "m6i.large on-demand", quantity: 1460, unit: "hours", unitPrice: 0.111, category: "compute" },
    "aws:ec2/natGateway:NatGateway": { item: "NAT gateway hours", quantity: 730, unit: "hours", unitPrice: 0.05, category: "network" },
    "aws:rds/instance:Instance": { item: "db.r6g.large Multi-AZ", quantity: 730, unit: "hours", unitPrice: 0.544, category: "database" },
    "aws:s3/bucket:Bucket": {
        item: "S3 Standard storage",
        quantity: 100,
        unit: "GB-month",
        unitPrice: 0.024,
        category: "storage",
        usage: "100 GB stored per bucket",
    },
    "aws:kms/key:Key": { item: "customer managed key", quantity: 1, unit: "keys", unitPrice: 1, category: "security" },
    "aws:cloudwatch/metricAlarm:MetricAlarm": { item: "standard alarm", quantity: 1, unit: "alarms", unitPrice: 0.1, category: "observability" },
};

function line(r: PlannedResource): CostLine | undefined {
    const m = MONTHLY[r.type];
    if (!m) return undefined;
    const base = { urn: r.urn, type: r.type, item: m.item, quantity: m.quantity, unit: m.unit, unitPrice: m.unitPrice, category: m.category };
    const monthly = m.quantity * m.unitPrice;
    return m.usage
        ? { ...base, monthly, usageBased: true, assumption: m.usage, priceKey: `${r.type}:${m.item}` }
        : { ...base, monthly, usageBased: false, priceKey: `${r.type}:${m.item}` };
}

/** The review of `plan` with cost lines for its node groups, NATs, database, buckets, keys and alarms. */
export function reviewFixture(plan: Plan): PlanReview & { diagram: string } {
    const lines = plan.resources.map(line).filter((l): l is CostLine => l !== undefined);
    const categories = COST_CATEGORIES.map((name) => ({ name, monthly: lines.filter((l) => l.category === name).reduce((s, l) => s + l.monthly, 0) }));
    const unpriced = plan.resources
        .filter((r) => r.type === "aws:opensearch/domain:Domain")
        .map((r) => ({ urn: r.urn, type: r.type, why: "no price listed for the domain's instance type" }));
    const urn = (type: string) => plan.resources.find((r) => r.type === type)?.urn ?? `urn:pulumi:${plan.stack}::hybrid-platform::${type}::x`;
    return {
        diagram: FIXTURE_DIAGRAM,
        cost: {
            currency: "USD",
            asOf: "2026-12-01",
            region: "eu-west-2",
            monthlyTotal: categories.reduce((s, c) => s + c.monthly, 0),
            categories,
            lines,
            unpriced,
        },
        capacity: {
            users: 1000,
            targetUsers: 10000,
            azCount: 3,
            pods: { djangoWeb: 4, fastapiApi: 3, celeryWorker: 2, celeryBeat: 1 },
            nodeGroups: [],
            declaredNodes: 6,
            requiredNodesPerAz: 1,
            headroomAfterAzLoss: { slotsNeeded: 10, slotsLeft: 22, cpuMillisLeft: 3200, memoryMiBLeft: 9000, fits: true },
            seedSizing: {
                sufficient: false,
                shortfallSlots: 2,
                requiredNodesPerAz: 3,
                summary: "2 x m5.large per AZ is 2 pod slots short of the seed's own load",
            },
            projection: [
                { year: 1, users: 1000, nodes: 6, nodesPerAz: 2, instanceType: "m6i.large", dbInstanceClass: "db.r6g.large", storageGb: 100, yearlyUsd: 21000 },
                {
                    year: 5,
                    users: 10000,
                    nodes: 12,
                    nodesPerAz: 4,
                    instanceType: "m6i.xlarge",
                    dbInstanceClass: "db.r6g.xlarge",
                    storageGb: 800,
                    yearlyUsd: 61000,
                },
            ],
            findings: ["the seed's 6 nodes leave no headroom after losing one AZ"],
        },
        availability: {
            target: 0.999,
            composite: 0.99778,
            compositeWithDr: 0.99999,
            compositeWithOnPrem: null,
            path: [
                { service: "Route 53", sla: 1, source: "https://aws.amazon.com/route53/sla/" },
                { service: "Application Load Balancer", sla: 0.9999, source: "https://aws.amazon.com/elasticloadbalancing/sla/" },
                { service: "EKS | EC2", sla: 0.9995, source: "https://aws.amazon.com/eks/sla/" },
                { service: "RDS Multi-AZ", sla: 0.9995, source: "https://aws.amazon.com/rds/sla/" },
                { service: "S3 Standard", sla: 0.999, source: "https://aws.amazon.com/s3/sla/" },
            ],
            singlePointsOfFailure: [],
            meetsTarget: false,
        },
        dr: {
            rpoMinutes: 5,
            rtoMinutes: 62,
            rpoTargetMinutes: 15,
            rtoTargetMinutes: 240,
            terms: [
                { objective: "rpo", name: "replica lag alarm threshold", minutes: 5, source: "dr.replicaLagAlarmSeconds = 300" },
                {
                    objective: "rpo",
                    name: "S3 RTC",
                    minutes: 15,
                    source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-time-control.html",
                },
                { objective: "rto", name: "replica promotion", minutes: 20, source: "typical" },
                { objective: "rto", name: "DNS failover", minutes: 2, source: "TTL 60 s + 3 x 30 s health checks" },
                { objective: "rto", name: "pilot-light scale-up", minutes: 40, source: "node group growth + pod start" },
            ],
            meetsRpo: true,
            meetsRto: true,
        },
        criticalPath: {
            totalMinutes: 62,
            steps: [
                { urn: urn("aws:ec2/vpc:Vpc"), type: "aws:ec2/vpc:Vpc", minutes: 1, source: "typical", finishesAt: 1 },
                { urn: urn("aws:ec2/subnet:Subnet"), type: "aws:ec2/subnet:Subnet", minutes: 1, source: "typical", finishesAt: 2 },
                { urn: urn("aws:ec2/natGateway:NatGateway"), type: "aws:ec2/natGateway:NatGateway", minutes: 3, source: "typical", finishesAt: 5 },
                { urn: urn("eks:index:Cluster"), type: "eks:index:Cluster", minutes: 12, source: "https://docs.aws.amazon.com/eks/", finishesAt: 17 },
                { urn: urn("aws:eks/nodeGroup:NodeGroup"), type: "aws:eks/nodeGroup:NodeGroup", minutes: 5, source: "typical", finishesAt: 22 },
                { urn: urn("aws:rds/instance:Instance"), type: "aws:rds/instance:Instance", minutes: 40, source: "typical", finishesAt: 62 },
            ],
            needlessSerialization: [{ from: "DataTier data", to: "AppCluster app", why: "waits on the database for nothing it reads", minutesSaved: 12 }],
        },
    };
}
