/**
 * Route 53 pricers (issue #15 part CC): hosted zones, record queries (usage-based, once per name),
 * health checks (by where the endpoint is, with their optional features) and Resolver endpoints.
 * @see https://aws.amazon.com/route53/pricing/
 */
import type { PlannedResource } from "../../offline";
import type { PricedItem, Pricer, PricingContext } from "./index";
import { count, hourly, known, usageItem } from "./pricerKit";

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

/**
 * An alias record whose every target is an AWS resource endpoint: its queries are free. In preview a load
 * balancer's DNS name is unknown, so the alias's dependency says what it points at.
 */
function answeredFree(x: PlannedResource, ctx: PricingContext): boolean {
    const aliases = Array.isArray(x.props.aliases) ? (x.props.aliases as { name?: unknown }[]) : [];
    const targets = (x.propertyDependencies?.aliases ?? []).map((u) => ctx.byUrn.get(u)?.type ?? "");
    return aliases.length > 0 && aliases.every((a) => (known(a.name) ? FREE_ALIAS.test(String(a.name)) : targets.some((t) => AWS_ENDPOINT_TYPES.has(t))));
}

/** The record of each name that carries the name's queries (the first not answered free), so a weighted or failover set is counted once. */
function queryCarriers(ctx: PricingContext): Set<string> {
    let carriers = firstPricedRecord.get(ctx.resources);
    if (!carriers) {
        const byName = new Map<string, string>();
        for (const x of ctx.resources) {
            if (x.type !== "aws:route53/record:Record") continue;
            if (answeredFree(x, ctx)) continue;
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

export const DNS_PRICERS: Record<string, Pricer> = {
    "aws:route53/zone:Zone": hostedZone,
    "aws:route53/record:Record": record,
    "aws:route53/healthCheck:HealthCheck": healthCheck,
    "aws:route53/resolverEndpoint:ResolverEndpoint": resolverEndpoint,
};
