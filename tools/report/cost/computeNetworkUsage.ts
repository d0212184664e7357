/**
 * The usage assumptions of compute and network (issue #15 part CC): each usage-based quantity's default,
 * stated, and the types whose pricers read it. A usage file (tools/report/usage.ts) overrides them;
 * docs/usage.example.yaml lists them all.
 */
import type { UsageAssumption } from "./index";

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
export const COMPUTE_NETWORK_USAGE: readonly UsageAssumption[] = [
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
];
