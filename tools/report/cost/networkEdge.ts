/**
 * Pricers of the network and edge (issue #15 part CC): NAT gateways, public IPv4, the ALB and its LCUs,
 * WAF, Site-to-Site VPN, interface endpoints, Route 53 (zones, records' queries, health checks, Resolver
 * endpoints), ECR and the inter-region transfer a cross-region replica causes.
 */
import type { PlannedResource } from "../../offline";
import { UNKNOWN } from "../../mocks";
import { HOURS_PER_MONTH } from "../../../model/prices";
import type { PricedItem, Pricer, PricingContext, UsageAssumption } from "./index";

/** A value the plan knows: set, and not Pulumi's preview sentinel. */
export const known = (v: unknown): boolean => v !== undefined && v !== null && v !== UNKNOWN;
const count = (v: unknown): number | undefined => (Array.isArray(v) ? v.length : undefined);

/** Type tokens the usage keys apply to. */
const T = {
    NAT: "aws:ec2/natGateway:NatGateway",
    LB: ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"],
    WAF: "aws:wafv2/webAcl:WebAcl",
    VPCE: "aws:ec2/vpcEndpoint:VpcEndpoint",
    RECORD: "aws:route53/record:Record",
    RESOLVER: "aws:route53/resolverEndpoint:ResolverEndpoint",
    ECR_REPO: "aws:ecr/repository:Repository",
    ECR_REPL: "aws:ecr/replicationConfiguration:ReplicationConfiguration",
    RDS: "aws:rds/instance:Instance",
} as const;

/** The usage file's keys with their defaults (seed 7: 1,000 concurrent users at peak). */
export const EDGE_USAGE: readonly UsageAssumption[] = [
    {
        key: "nat.dataGbPerMonth",
        types: [T.NAT],
        default: 100,
        unit: "GB/month",
        assumption: "100 GB/month through each NAT gateway (ECR, S3, STS, KMS, logs go through endpoints; NAT carries OS updates and third-party APIs)",
    },
    {
        key: "transfer.internetOutGbPerMonth",
        types: [...T.LB],
        default: 1000,
        unit: "GB/month",
        assumption: "1,000 GB/month of responses to the internet (1.5 GB/h x 730 h; the account's first 100 GB a month are free, not subtracted)",
    },
    {
        key: "alb.newConnectionsPerSecond",
        types: [...T.LB],
        default: 2,
        unit: "connections/s",
        assumption: "2 new connections/s (15 requests/s on average, keep-alive reusing each connection for ~8 requests)",
    },
    {
        key: "alb.activeConnectionsPerMinute",
        types: [...T.LB],
        default: 300,
        unit: "connections/min",
        assumption: "300 active connections/min (30% of seed 7's 1,000 concurrent users on average)",
    },
    { key: "alb.processedGbPerHour", types: [...T.LB], default: 1.5, unit: "GB/h", assumption: "1.5 GB/h processed (15 requests/s x ~28 KB a response)" },
    {
        key: "waf.requestsMillionsPerMonth",
        types: [T.WAF],
        default: 40,
        unit: "M requests/month",
        assumption: "40 M requests/month inspected (15 requests/s on average x 730 h)",
    },
    {
        key: "vpce.dataGbPerMonth",
        types: [T.VPCE],
        default: 5,
        unit: "GB/month",
        assumption: "5 GB/month through each interface endpoint (API calls and manifests; image layers go through the S3 gateway endpoint)",
    },
    {
        key: "route53.queriesMillionsPerMonth",
        types: [T.RECORD],
        default: 1,
        unit: "M queries/month",
        assumption: "1 M queries/month to each priced record name (TTL 60 s, 1,000 users' resolvers)",
    },
    {
        key: "resolver.queriesMillionsPerMonth",
        types: [T.RESOLVER],
        default: 1,
        unit: "M queries/month",
        assumption: "1 M queries/month forwarded through each Resolver endpoint (on-prem names)",
    },
    {
        key: "ecr.storageGbPerRepository",
        types: [T.ECR_REPO, T.ECR_REPL],
        default: 5,
        unit: "GB",
        assumption: "5 GB stored per repository (the last 50 images kept, shared base layers)",
    },
    {
        key: "ecr.pushedGbPerMonth",
        types: [T.ECR_REPL],
        default: 2,
        unit: "GB/month",
        assumption: "2 GB/month pushed per repository (each replicated to every destination region)",
    },
    {
        key: "transfer.interRegionGb",
        types: [T.RDS],
        default: 150,
        unit: "GB/month",
        assumption: "150 GB/month of WAL streamed to the cross-region read replica (~5 GB/day of writes)",
    },
];

function usageItem(
    r: PlannedResource,
    ctx: PricingContext,
    key: string,
    item: string,
    unit: string,
    priceKey: string,
    category: PricedItem["category"],
    scale = 1,
): PricedItem {
    const u = ctx.usage(r, key);
    return { item, quantity: u.value * scale, unit, priceKey, category, assumption: u.assumption };
}

const hourly = (item: string, quantity: number, unit: string, priceKey: string, category: PricedItem["category"] = "network"): PricedItem => ({
    item,
    quantity: quantity * HOURS_PER_MONTH,
    unit,
    priceKey,
    category,
});

/** NAT gateway hours and data; a public NAT's address is its Eip, priced there (not twice). @see https://aws.amazon.com/vpc/pricing/ */
const natGateway: Pricer = (r, ctx) => [
    hourly(`NAT gateway (${r.props.connectivityType === "private" ? "private" : "public"})`, 1, "NAT gateway-hours", "nat.hour"),
    usageItem(r, ctx, "nat.dataGbPerMonth", "data processed", "GB", "nat.dataGb", "network"),
];

/** Every public IPv4 address costs the same per hour, in use (e.g. by a NAT gateway) or idle, since 2024-02-01. */
const elasticIp: Pricer = () => [hourly("public IPv4 address (Elastic IP)", 1, "address-hours", "vpc.publicIpv4.hour")];

/** The subnets (AZs) a load balancer spans: its subnet list, else its subnet mappings, else its subnet dependencies. */
function subnetCount(r: PlannedResource, ctx: PricingContext): number {
    const listed = count(r.props.subnets) ?? count(r.props.subnetMappings);
    if (listed) return listed;
    return (r.dependencies ?? []).filter((u) => ctx.byUrn.get(u)?.type === "aws:ec2/subnet:Subnet").length;
}

/**
 * ALB: hours, LCUs (the largest of the usage dimensions, each over its per-LCU allowance) and, when
 * internet-facing, one public IPv4 address per AZ node (AWS may add more as it scales; an address the
 * mapping brings as an Eip is priced on the Eip).
 * @see https://aws.amazon.com/elasticloadbalancing/pricing/
 */
const loadBalancer: Pricer = (r, ctx) => {
    const type = known(r.props.loadBalancerType) ? String(r.props.loadBalancerType) : "application";
    if (type !== "application") return { unpriced: `a ${type} load balancer: only Application Load Balancers are in the offline table` };
    const conns = ctx.usage(r, "alb.newConnectionsPerSecond");
    const active = ctx.usage(r, "alb.activeConnectionsPerMinute");
    const bytes = ctx.usage(r, "alb.processedGbPerHour");
    const lcu = Math.max(conns.value / 25, active.value / 3000, bytes.value / 1);
    const items: PricedItem[] = [
        hourly("Application Load Balancer", 1, "ALB-hours", "alb.hour"),
        {
            item: `${lcu.toFixed(2)} LCUs on average (largest of new connections/25, active/3,000, GB/h/1)`,
            quantity: lcu * HOURS_PER_MONTH,
            unit: "LCU-hours",
            priceKey: "alb.lcuHour",
            category: "network",
            assumption: [conns.assumption, active.assumption, bytes.assumption].join("; "),
        },
    ];
    if (r.props.internal !== true)
        items.push(
            usageItem(r, ctx, "transfer.internetOutGbPerMonth", "data transfer out to the internet (responses)", "GB", "transfer.internetOutGb", "network"),
        );
    const mappings = Array.isArray(r.props.subnetMappings) ? (r.props.subnetMappings as { allocationId?: unknown }[]) : [];
    const ownEips = mappings.filter((m) => known(m.allocationId)).length;
    const publicIps = r.props.internal === true || r.props.ipAddressType === "dualstack-without-public-ipv4" ? 0 : subnetCount(r, ctx) - ownEips;
    if (publicIps > 0) items.push(hourly(`${publicIps} public IPv4 addresses (one per AZ node)`, publicIps, "address-hours", "vpc.publicIpv4.hour"));
    return items;
};

/** AWS Managed Rules groups that carry their own subscription and request fee on top of the rule-month. @see https://aws.amazon.com/waf/pricing/ */
const PAID_MANAGED_GROUPS = new Set([
    "AWSManagedRulesBotControlRuleSet",
    "AWSManagedRulesATPRuleSet",
    "AWSManagedRulesACFPRuleSet",
    "AWSManagedRulesAntiDDoSRuleSet",
]);
/** The base request price covers a web ACL of up to 1,500 WCUs. @see https://docs.aws.amazon.com/waf/latest/developerguide/aws-waf-capacity-units.html */
const WAF_BASE_WCU = 1500;

/** WAF: the web ACL, each rule (a rule group, managed or not, bills as one), requests; paid groups and WCUs above 1,500 reported unpriced. */
const webAcl: Pricer = (r, ctx) => {
    const rules = Array.isArray(r.props.rules)
        ? (r.props.rules as { name?: string; statement?: { managedRuleGroupStatement?: { name?: string; vendorName?: string } } }[])
        : [];
    const items: PricedItem[] = [
        { item: "web ACL", quantity: 1, unit: "web ACL-months", priceKey: "waf.webAclMonth", category: "network" },
        {
            item: `${rules.length} rules (managed rule groups count one each)`,
            quantity: rules.length,
            unit: "rule-months",
            priceKey: "waf.ruleMonth",
            category: "network",
        },
        usageItem(r, ctx, "waf.requestsMillionsPerMonth", "requests inspected", "M requests", "waf.requestMillion", "network"),
    ];
    for (const rule of rules) {
        const group = rule.statement?.managedRuleGroupStatement;
        if (group && (group.vendorName !== "AWS" || PAID_MANAGED_GROUPS.has(group.name ?? "")))
            items.push({
                item: `subscription of paid managed rule group ${group.vendorName}/${group.name}`,
                quantity: 1,
                unit: "months",
                priceKey: `waf.managed.${group.vendorName}.${group.name}`,
                category: "network",
            });
    }
    const wcu = Number(r.props.capacity);
    if (known(r.props.capacity) && wcu > WAF_BASE_WCU)
        items.push({
            item: `requests over ${wcu} WCUs (above ${WAF_BASE_WCU})`,
            quantity: Math.ceil((wcu - WAF_BASE_WCU) / 500),
            unit: "500-WCU blocks",
            priceKey: "waf.request.wcuAbove1500",
            category: "network",
        });
    return items;
};

/** Site-to-Site VPN: per connection-hour (two tunnels); the gateways are free. Traffic out over it bills as data transfer out, not priced here. */
const vpnConnection: Pricer = () => [hourly("Site-to-Site VPN connection (2 tunnels)", 1, "connection-hours", "vpn.connectionHour")];

/** Interface endpoint: one ENI per subnet (AZ) per hour, and data processed; a Gateway endpoint (S3, DynamoDB) is free. @see https://aws.amazon.com/privatelink/pricing/ */
const vpcEndpoint: Pricer = (r, ctx) => {
    if (r.props.vpcEndpointType === "Gateway") return [];
    const azs = count(r.props.subnetIds) || count(r.props.subnetConfigurations) || 0;
    if (azs === 0) return { unpriced: "an interface endpoint whose subnets (AZs) are not known" };
    const service = known(r.props.serviceName) ? String(r.props.serviceName).split(".").slice(3).join(".") : r.name;
    return [
        hourly(`interface endpoint ${service} in ${azs} AZs`, azs, "ENI-hours", "vpce.interface.azHour"),
        usageItem(r, ctx, "vpce.dataGbPerMonth", "data processed", "GB", "vpce.interface.dataGb", "network"),
    ];
};

const hostedZone: Pricer = () => [{ item: "hosted zone", quantity: 1, unit: "zone-months", priceKey: "route53.hostedZoneMonth", category: "network" }];

/** Alias targets whose queries Route 53 does not charge: AWS resource endpoints (load balancers, CloudFront, S3 websites, API Gateway, endpoints). */
const FREE_ALIAS = /\.(elb\.amazonaws\.com|cloudfront\.net|amazonaws\.com|awsglobalaccelerator\.com)\.?$/i;
/** Resources whose DNS name makes a health check's endpoint an AWS one. */
const AWS_ENDPOINT_TYPES = new Set([
    "aws:lb/loadBalancer:LoadBalancer",
    "aws:alb/loadBalancer:LoadBalancer",
    "aws:cloudfront/distribution:Distribution",
    "aws:ec2/eip:Eip",
    "aws:ec2/instance:Instance",
]);
const firstPricedRecord = new WeakMap<readonly PlannedResource[], Set<string>>();

/** The record of each name that carries the name's queries (the first not answered free), so a weighted or failover set is counted once. */
function queryCarriers(ctx: PricingContext): Set<string> {
    let carriers = firstPricedRecord.get(ctx.resources);
    if (!carriers) {
        const byName = new Map<string, string>();
        for (const x of ctx.resources) {
            if (x.type !== "aws:route53/record:Record") continue;
            const aliases = Array.isArray(x.props.aliases) ? (x.props.aliases as { name?: unknown }[]) : [];
            if (aliases.length > 0 && aliases.every((a) => known(a.name) && FREE_ALIAS.test(String(a.name)))) continue;
            const name = `${String(x.props.zoneId)}|${String(x.props.name).replace(/\.$/, "").toLowerCase()}`;
            if (!byName.has(name)) byName.set(name, x.urn);
        }
        carriers = new Set(byName.values());
        firstPricedRecord.set(ctx.resources, carriers);
    }
    return carriers;
}

/**
 * A record's queries (usage-based), once per name; alias queries to AWS resources are free. Names that start
 * with "_" (ACM validation, service records) are read by machines a few times a month: not priced.
 */
const record: Pricer = (r, ctx) => {
    const name = String(r.props.name ?? r.props.fqdn ?? "");
    if (name.startsWith("_") || !queryCarriers(ctx).has(r.urn)) return [];
    const latency = Array.isArray(r.props.latencyRoutingPolicies) && r.props.latencyRoutingPolicies.length > 0;
    return [
        usageItem(
            r,
            ctx,
            "route53.queriesMillionsPerMonth",
            `queries to ${name.replace(/\.$/, "")}`,
            "M queries",
            latency ? "route53.latencyQueryMillion" : "route53.queryMillion",
            "network",
        ),
    ];
};

/** Whether a health check watches an AWS endpoint (true), one outside AWS (false), or cannot be told (undefined). */
function watchesAws(r: PlannedResource, ctx: PricingContext): boolean | undefined {
    if (known(r.props.ipAddress) || known(r.props.fqdn)) return !known(r.props.ipAddress) && FREE_ALIAS.test(String(r.props.fqdn));
    // In preview a load balancer's DNS name is unknown: the check's dependency says what it watches.
    const deps = r.propertyDependencies?.fqdn ?? r.dependencies ?? [];
    return deps.some((u) => AWS_ENDPOINT_TYPES.has(ctx.byUrn.get(u)?.type ?? "")) ? true : undefined;
}

/** Route 53 bills no basic fee for an account's first 50 health checks of AWS endpoints (https://aws.amazon.com/route53/pricing/). */
const FREE_AWS_HEALTH_CHECKS = 50;
const awsCheckOrder = new WeakMap<readonly PlannedResource[], Map<string, number>>();

/** The position of an AWS-endpoint check among the plan's AWS-endpoint checks (the plan may not be the account's only stack: a floor). */
function awsCheckIndex(r: PlannedResource, ctx: PricingContext): number {
    let order = awsCheckOrder.get(ctx.resources);
    if (!order) {
        order = new Map();
        for (const x of ctx.resources) if (x.type === r.type && watchesAws(x, ctx) === true) order.set(x.urn, order.size);
        awsCheckOrder.set(ctx.resources, order);
    }
    return order.get(r.urn) ?? 0;
}

/**
 * Health check: the basic fee by where the endpoint is (AWS or not; the first 50 AWS-endpoint checks have
 * none), plus each optional feature: HTTPS, string matching, the fast (10 s) interval, latency measurement.
 * @see https://aws.amazon.com/route53/pricing/
 */
const healthCheck: Pricer = (r, ctx) => {
    const type = String(r.props.type ?? "");
    if (type === "CALCULATED" || type === "CLOUDWATCH_METRIC" || type === "RECOVERY_CONTROL")
        return { unpriced: `a ${type} health check: its rate is not in the offline table` };
    const aws = watchesAws(r, ctx);
    if (aws === undefined) return { unpriced: "the health-checked endpoint is not known, so neither the AWS nor the non-AWS rate can be chosen" };
    const features = [
        type.startsWith("HTTPS") && "HTTPS",
        type.endsWith("STR_MATCH") && "string matching",
        Number(r.props.requestInterval) === 10 && "fast interval",
        r.props.measureLatency === true && "latency measurement",
    ].filter((f): f is string => typeof f === "string");
    const where = aws ? "aws" : "nonAws";
    const basicFree = aws && awsCheckIndex(r, ctx) < FREE_AWS_HEALTH_CHECKS;
    const items: PricedItem[] = basicFree
        ? []
        : [
              {
                  item: `${type} health check of ${aws ? "an AWS" : "a non-AWS"} endpoint`,
                  quantity: 1,
                  unit: "check-months",
                  priceKey: `route53.healthCheck.${where}`,
                  category: "network",
              },
          ];
    if (features.length > 0)
        items.push({
            item: `optional features: ${features.join(", ")}${basicFree ? ` (the basic check is within the first ${FREE_AWS_HEALTH_CHECKS} AWS-endpoint checks, free)` : ""}`,
            quantity: features.length,
            unit: "feature-months",
            priceKey: `route53.healthCheckFeature.${where}`,
            category: "network",
        });
    return items;
};

/** Resolver endpoint: one ENI per IP address per hour, and the queries it forwards. */
const resolverEndpoint: Pricer = (r, ctx) => {
    const enis = count(r.props.ipAddresses) ?? 0;
    if (enis === 0) return { unpriced: "a Resolver endpoint whose IP addresses (ENIs) are not known" };
    return [
        hourly(`Resolver endpoint (${String(r.props.direction ?? "").toLowerCase()}), ${enis} ENIs`, enis, "ENI-hours", "route53.resolver.eniHour"),
        usageItem(r, ctx, "resolver.queriesMillionsPerMonth", "queries forwarded", "M queries", "route53.resolver.queryMillion", "network"),
    ];
};

const ecrRepository: Pricer = (r, ctx) => [usageItem(r, ctx, "ecr.storageGbPerRepository", "image storage", "GB-months", "ecr.storageGbMonth", "delivery")];

/** Registry replication: the replicas' storage in each destination region, and the pushes sent there (billed by the sending region). */
const ecrReplication: Pricer = (r, ctx) => {
    const rules = ((r.props.replicationConfiguration as { rules?: unknown } | undefined)?.rules ?? []) as {
        destinations?: { region?: string }[];
        repositoryFilters?: { filter?: string }[];
    }[];
    const repositories = ctx.resources
        .filter((x) => x.type === "aws:ecr/repository:Repository")
        .map((x) => ({ resource: x, name: String(x.props.name ?? x.name) }));
    const items: PricedItem[] = [];
    for (const rule of rules) {
        const prefixes = (rule.repositoryFilters ?? []).map((f) => String(f.filter ?? ""));
        const matched = repositories.filter((repo) => prefixes.length === 0 || prefixes.some((p) => repo.name.startsWith(p)));
        for (const destination of rule.destinations ?? []) {
            if (!destination.region || matched.length === 0) continue;
            const stored = ctx.usage(r, "ecr.storageGbPerRepository");
            const pushed = ctx.usage(r, "ecr.pushedGbPerMonth");
            items.push({
                item: `replicas of ${matched.length} repositories in ${destination.region}`,
                quantity: stored.value * matched.length,
                unit: "GB-months",
                priceKey: "ecr.storageGbMonth",
                category: "dr-replication",
                assumption: stored.assumption,
                region: destination.region,
            });
            items.push({
                item: `pushes replicated to ${destination.region}`,
                quantity: pushed.value * matched.length,
                unit: "GB",
                priceKey: "transfer.interRegionGb",
                category: "dr-replication",
                assumption: pushed.assumption,
            });
        }
    }
    return items;
};

/** A read replica of a database in another region streams its source's changes across regions, billed by the source's region. */
const crossRegionReplica: Pricer = (r, ctx) => {
    const source = r.props.replicateSourceDb;
    if (!known(source)) return [];
    const sourceRegion = /^arn:aws[a-z-]*:rds:([a-z0-9-]+):/.exec(String(source))?.[1];
    if (!sourceRegion || sourceRegion === ctx.regionOf(r)) return [];
    return [
        {
            ...usageItem(
                r,
                ctx,
                "transfer.interRegionGb",
                `replication stream ${sourceRegion} -> ${ctx.regionOf(r)}`,
                "GB",
                "transfer.interRegionGb",
                "dr-replication",
            ),
            region: sourceRegion,
        },
    ];
};

/** ACM public certificates are free; a private one (issued by AWS Private CA) is not in the offline table. */
const certificate: Pricer = (r) =>
    known(r.props.certificateAuthorityArn) ? { unpriced: "a private certificate: AWS Private CA prices are not in the offline table" } : [];

export const EDGE_PRICERS: Record<string, Pricer> = {
    "aws:ec2/natGateway:NatGateway": natGateway,
    "aws:ec2/eip:Eip": elasticIp,
    "aws:lb/loadBalancer:LoadBalancer": loadBalancer,
    "aws:alb/loadBalancer:LoadBalancer": loadBalancer,
    "aws:wafv2/webAcl:WebAcl": webAcl,
    "aws:ec2/vpnConnection:VpnConnection": vpnConnection,
    "aws:ec2/vpcEndpoint:VpcEndpoint": vpcEndpoint,
    "aws:route53/zone:Zone": hostedZone,
    "aws:route53/record:Record": record,
    "aws:route53/healthCheck:HealthCheck": healthCheck,
    "aws:route53/resolverEndpoint:ResolverEndpoint": resolverEndpoint,
    "aws:ecr/repository:Repository": ecrRepository,
    "aws:ecr/replicationConfiguration:ReplicationConfiguration": ecrReplication,
    "aws:rds/instance:Instance": crossRegionReplica,
    "aws:acm/certificate:Certificate": certificate,
};
