/** What an `Observability` component takes: where it runs, whom it pages, what it probes and alarms on. */
import * as pulumi from "@pulumi/pulumi";
import { ObservabilityConfig } from "../../model/observabilityConfig";
import type { SloConfig } from "../../model/slo";
import { LogSearchArgs } from "./logSearch";
import { LogShippingArgs } from "./logShipping/logShipping";

/**
 * The resources the service alarms watch, tier by tier (model/alarms.ts: one alarm per catalogue entry and resource).
 * Each is optional: a stack passes what it runs, and the `alarms-cover-every-tier` policy reports a resource of the
 * plan without its alarms.
 */
export interface AlarmTargets {
    /**
     * ALB ARN suffix ("app/<name>/<id>", the LoadBalancer dimension): the 5XX rate and the p99 response time alarms.
     * @default none (no ALB alarm)
     * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html
     */
    readonly loadBalancerArnSuffix?: pulumi.Input<string>;
    /**
     * Target group ARN suffixes ("targetgroup/<name>/<id>") of that load balancer: an UnHealthyHostCount alarm each
     * (published under TargetGroup and LoadBalancer together, so it needs `loadBalancerArnSuffix`).
     * @default none
     */
    readonly targetGroupArnSuffixes?: pulumi.Input<string>[];
    /** RDS instance identifier (DBInstanceIdentifier): CPU, free storage, freeable memory, connections. @default none (no database alarm) */
    readonly databaseIdentifier?: pulumi.Input<string>;
    /**
     * The database's instance class: DatabaseConnections is judged against its default max_connections.
     * @default the prod default class (model/defaults.ts)
     * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/CHAP_Limits.html#RDS_Limits.MaxConnections
     */
    readonly databaseInstanceClass?: string;
    /**
     * The cache's member cluster ids (CacheClusterId, one per node: RedisCache `memberClusterIds`). ElastiCache publishes
     * per node only; an alarm on the ReplicationGroupId dimension would watch nothing.
     * @default none (no cache alarm)
     * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.html
     */
    readonly cacheNodeIds?: pulumi.Input<string>[];
    /** NAT gateway ids (NatGatewayId): port allocation errors and dropped packets, each. @default none */
    readonly natGatewayIds?: pulumi.Input<string>[];
    /**
     * Site-to-Site VPN connection id (VpnId): the "both tunnels down" page.
     * @default none
     * @see https://docs.aws.amazon.com/vpn/latest/s2svpn/monitoring-cloudwatch-vpn.html
     */
    readonly vpnConnectionId?: pulumi.Input<string>;
    /** The VPN's tunnel outside addresses (TunnelIpAddress, published alone): a "one tunnel down" ticket each. @default none */
    readonly vpnTunnelAddresses?: pulumi.Input<string>[];
    /**
     * OpenSearch domain (DomainName and ClientId, the account id, in the AWS/ES namespace): status, storage, JVM pressure.
     * The Observability component fills it with its own log search domain.
     * @default none
     * @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/cloudwatch-alarms.html
     */
    readonly searchDomain?: { readonly name: pulumi.Input<string>; readonly accountId: pulumi.Input<string>; readonly volumeGiB: number };
    /**
     * Regional web ACL (WebACL name, Region, Rule "ALL"): the blocked-requests surge.
     * @default none
     * @see https://docs.aws.amazon.com/waf/latest/developerguide/waf-metrics.html
     */
    readonly webAcl?: { readonly name: pulumi.Input<string>; readonly region: string };
}

export interface ObservabilityArgs {
    /** The stack's region. Required. */
    readonly region: string;
    /** The stack's account (stacks/platform.ts looks it up once): Grafana's trust, the keys and topics. Required. */
    readonly accountId: pulumi.Input<string>;
    /** Alert destinations (seed 6: PagerDuty): at least one of them. Required. */
    readonly alerts: { readonly email?: string; readonly pagerDutyEndpoint?: string };
    /**
     * Citizen-facing hostname probed by the synthetic uptime check (a DNS name, not a URL). Required.
     * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-types.html
     */
    readonly publicHostname: string;
    /**
     * The name the synthetic check connects to, when not `publicHostname`: a name this stack creates, such as its ALB's
     * DNS name (the public hostname's record may belong to another stack). The ALB must serve Route53's checkers on
     * HEALTH_CHECK_PORT (components/app/edge.ts).
     * @default publicHostname
     */
    readonly probeFqdn?: pulumi.Input<string>;
    /** Absolute path the synthetic check requests. @default "/healthz" */
    readonly healthCheckPath?: string;
    /** CPU percentage above which alarms fire, above 0 and at most 100. @default 80 (seed 6) */
    readonly cpuAlarmPercent?: number;
    /** Request error rate percentage above which alarms fire, above 0 and at most 100. @default 1 (seed 6) */
    readonly errorRateAlarmPercent?: number;
    /** Retention of the telemetry log groups, days: a value CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, ... 3653). @default 365 */
    readonly logRetentionDays?: number;
    /** Where the log search domain runs and who may reach it (see LogSearchArgs). Required. */
    readonly logSearch: Omit<LogSearchArgs, "region" | "logRetentionDays" | "accountId">;
    /** Services to alarm on (the log search domain is added by the component). @default none beyond the synthetic check and the Prometheus rules */
    readonly targets?: AlarmTargets;
    /** Alarm thresholds beyond CPU and error rate (config `observability.alarms`). @default model/defaults.ts observability.alarms */
    readonly alarmThresholds?: Partial<ObservabilityConfig["alarms"]>;
    /** The SLOs the burn-rate alerts protect and the Prometheus rules' thresholds (model/slo.ts). @default DEFAULTS.observability.slo */
    readonly slo?: Partial<SloConfig>;
    /** The DR stack's region, where the replica publishes ReplicaLag (the DR dashboard). @default the stack's region (edit the dashboard variable) */
    readonly drRegion?: string;
    /** issue #13 part D: ship the clusters' logs to CloudWatch Logs (the telemetry key) and the log search domain. @default none */
    readonly logShipping?: Omit<LogShippingArgs, "region" | "accountId" | "keyArn" | "openSearch">;
}
