/**
 * Alerting step (seed 6: PagerDuty): the encrypted SNS topics alerts are published to, one in the stack's
 * region (Prometheus and the CloudWatch alarms) and one where Route53 publishes its health check metrics.
 */
import * as pulumi from "@pulumi/pulumi";
import { AlertTopic } from "./alertTopic";

/** Route53 publishes health check metrics only in us-east-1; an alarm on them must live there too. */
export const ROUTE53_METRICS_REGION = "us-east-1";

export interface AlertingArgs {
    readonly accountId: pulumi.Input<string>;
    readonly email?: string;
    readonly pagerDutyEndpoint?: string;
}

export interface Alerting {
    /** In the stack's region; Amazon Managed Service for Prometheus may publish to it. */
    readonly alerts: AlertTopic;
    /** In ROUTE53_METRICS_REGION, for the uptime alarm. */
    readonly uptimeAlerts: AlertTopic;
}

export function createAlerting(parent: pulumi.ComponentResource, name: string, args: AlertingArgs): Alerting {
    const { accountId, email, pagerDutyEndpoint } = args;
    const alerts = new AlertTopic(`${name}-alerts`, { accountId, email, httpsEndpoint: pagerDutyEndpoint, publishers: ["aps.amazonaws.com"] }, { parent });
    const uptimeAlerts = new AlertTopic(
        `${name}-uptime-alerts`,
        { accountId, email, httpsEndpoint: pagerDutyEndpoint, region: ROUTE53_METRICS_REGION },
        { parent },
    );
    return { alerts, uptimeAlerts };
}
