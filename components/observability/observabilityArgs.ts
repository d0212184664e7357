/** What an `Observability` component takes: where it runs, whom it pages, what it probes and alarms on. */
import * as pulumi from "@pulumi/pulumi";
import { LogSearchArgs } from "./logSearch";
import { LogShippingArgs } from "./logShipping/logShipping";

/** Managed services whose health pages the on-call engineer (added as the tiers exist). */
export interface AlarmTargets {
    /**
     * ALB ARN suffix ("app/<name>/<id>", the LoadBalancer dimension) for the request error-rate alarm.
     * @default none (no ALB alarm)
     * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html
     */
    readonly loadBalancerArnSuffix?: pulumi.Input<string>;
    /** RDS instance identifier for the database CPU alarm. @default none (no database alarm) */
    readonly databaseIdentifier?: pulumi.Input<string>;
    /** ElastiCache replication group id for the cache CPU alarm. @default none (no cache alarm) */
    readonly cacheReplicationGroupId?: pulumi.Input<string>;
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
    /** Services to alarm on. @default none beyond the synthetic check and the Prometheus rules */
    readonly targets?: AlarmTargets;
    /** issue #13 part D: ship the clusters' logs to CloudWatch Logs (the telemetry key) and the log search domain. @default none */
    readonly logShipping?: Omit<LogShippingArgs, "region" | "accountId" | "keyArn" | "openSearch">;
}
