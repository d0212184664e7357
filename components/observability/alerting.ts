/**
 * Alerting step (seed 6: PagerDuty): the encrypted SNS topics alerts are published to. By severity (model/alarms.ts):
 * `page` to the on-call topic (PagerDuty and e-mail), `ticket` to the ticket topic (e-mail only), both in the stack's
 * region (Prometheus and the CloudWatch alarms); and the uptime topic where Route53 publishes its health check metrics.
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
    /** The on-call topic (severity `page`), in the stack's region; Amazon Managed Service for Prometheus may publish to it. */
    readonly alerts: AlertTopic;
    /**
     * The ticket topic (severity `ticket`), in the stack's region: e-mail only (the PagerDuty endpoint only when no
     * mailbox is configured, so a ticket still reaches someone). Prometheus may publish to it (warnings).
     */
    readonly tickets: AlertTopic;
    /** In ROUTE53_METRICS_REGION, for the uptime alarm. */
    readonly uptimeAlerts: AlertTopic;
}

export function createAlerting(parent: pulumi.ComponentResource, name: string, args: AlertingArgs): Alerting {
    const { accountId, email, pagerDutyEndpoint } = args;
    const alerts = new AlertTopic(`${name}-alerts`, { accountId, email, httpsEndpoint: pagerDutyEndpoint, publishers: ["aps.amazonaws.com"] }, { parent });
    const tickets = new AlertTopic(`${name}-ticket-alerts`, ticketTopicArgs(args, ["aps.amazonaws.com"]), { parent });
    const uptimeAlerts = new AlertTopic(
        `${name}-uptime-alerts`,
        { accountId, email, httpsEndpoint: pagerDutyEndpoint, region: ROUTE53_METRICS_REGION },
        { parent },
    );
    return { alerts, tickets, uptimeAlerts };
}

/** A ticket topic's args: the mailbox, or the pager when there is no mailbox. */
export function ticketTopicArgs(args: AlertingArgs, publishers?: string[]) {
    return {
        accountId: args.accountId,
        email: args.email,
        httpsEndpoint: args.email === undefined ? args.pagerDutyEndpoint : undefined,
        publishers,
    };
}
