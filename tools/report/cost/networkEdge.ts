/**
 * Pricers of the network and edge (issue #15 part CC): NAT gateways, public IPv4, the ALB and its LCUs,
 * WAF, Site-to-Site VPN, interface endpoints, ECR and the inter-region transfer a cross-region replica
 * causes; Route 53 in dns.ts.
 */
import type { PlannedResource } from "../../offline";
import type { PricedItem, Pricer, PricingContext } from "./index";
import { DNS_PRICERS } from "./dns";
import { HOURS_PER_MONTH } from "../../../model/prices";
import { count, hourly, known, usageItem } from "./pricerKit";

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

/** ACM public certificates are free; a private one (issued by AWS Private CA) is not in the offline table. */
const certificate: Pricer = (r) =>
    known(r.props.certificateAuthorityArn) ? { unpriced: "a private certificate: AWS Private CA prices are not in the offline table" } : [];

export const EDGE_PRICERS: Record<string, Pricer> = {
    ...DNS_PRICERS,
    "aws:ec2/natGateway:NatGateway": natGateway,
    "aws:ec2/eip:Eip": elasticIp,
    "aws:lb/loadBalancer:LoadBalancer": loadBalancer,
    "aws:alb/loadBalancer:LoadBalancer": loadBalancer,
    "aws:wafv2/webAcl:WebAcl": webAcl,
    "aws:ec2/vpnConnection:VpnConnection": vpnConnection,
    "aws:ec2/vpcEndpoint:VpcEndpoint": vpcEndpoint,
    "aws:ecr/repository:Repository": ecrRepository,
    "aws:ecr/replicationConfiguration:ReplicationConfiguration": ecrReplication,
    "aws:acm/certificate:Certificate": certificate,
};
