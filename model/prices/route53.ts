/**
 * Route 53 list prices (USD): a global service, one price for every region. Each figure was transcribed
 * verbatim from the Route 53 pricing page in a public pricing harvest (2026-09-20; read here 2026-12-01).
 */
export const ROUTE53_PAGE = "https://aws.amazon.com/route53/pricing/";
export const ROUTE53_QUOTED =
    "transcribed verbatim from the Route 53 pricing page on 2026-09-20 in a public pricing harvest; global, the same for every region";

/** [key, unit, USD, what it covers]. */
export const ROUTE53_ROWS: readonly (readonly [string, string, number, string])[] = [
    ["route53.hostedZoneMonth", "hosted zone-month", 0.5, `first 25 zones ($0.10 each after)`],
    ["route53.queryMillion", "1M standard queries", 0.4, "standard queries (weighted and failover records too), first 1B a month"],
    ["route53.latencyQueryMillion", "1M latency-based queries", 0.6, "first 1B a month"],
    ["route53.healthCheck.aws", "health check-month", 0.5, "basic check of an AWS endpoint; the account's first 50 are free (the pricer counts the plan's)"],
    ["route53.healthCheck.nonAws", "health check-month", 0.75, "basic check of an endpoint outside AWS"],
    [
        "route53.healthCheckFeature.aws",
        "optional feature-month",
        1,
        `each optional feature (HTTPS, string matching, fast interval, latency measurement) of an AWS-endpoint check`,
    ],
    ["route53.healthCheckFeature.nonAws", "optional feature-month", 2, "each optional feature of a non-AWS-endpoint check"],
    ["route53.resolver.eniHour", "Resolver endpoint ENI-hour", 0.125, "one ENI per IP address"],
    ["route53.resolver.queryMillion", "1M queries via endpoints", 0.4, "recursive queries to and from on-premises networks, first 1B a month"],
];
