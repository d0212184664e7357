/**
 * What an AWS service needs in an SNS topic's access policy to publish to it: the actions it calls and the
 * confused-deputy condition it sends. Read by components/observability/alertTopic.ts (which writes the statements)
 * and by the pack's `sns-publishers-admitted` (which checks every wired publisher is admitted).
 */

export interface SnsPublisher {
    /** The service principal. */
    readonly service: string;
    /** The SNS actions the service calls on the topic. */
    readonly actions: readonly string[];
    /** The AWS page the actions come from. */
    readonly source: string;
}

export const SNS_PUBLISHERS = {
    // CloudWatch alarm actions: sns:Publish, scoped with aws:SourceAccount / aws:SourceArn (the alarm).
    "cloudwatch.amazonaws.com": {
        service: "cloudwatch.amazonaws.com",
        actions: ["sns:Publish"],
        source: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html (Amazon SNS topic access policy for alarms)",
    },
    // AMP's Alertmanager reads the topic's attributes before it publishes: both actions, or "Notify for alerts failed".
    "aps.amazonaws.com": {
        service: "aps.amazonaws.com",
        actions: ["sns:Publish", "sns:GetTopicAttributes"],
        source: "https://docs.aws.amazon.com/prometheus/latest/userguide/AMP-alertmanager-receiver-AMPpermission.html",
    },
    "events.amazonaws.com": {
        service: "events.amazonaws.com",
        actions: ["sns:Publish"],
        source: "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-resource-based.html#eb-sns-permissions",
    },
} as const satisfies Record<string, SnsPublisher>;

/** The actions a service principal needs on a topic (sns:Publish for a service not in the table). */
export function snsPublisherActions(service: string): readonly string[] {
    return (SNS_PUBLISHERS as Record<string, SnsPublisher>)[service]?.actions ?? ["sns:Publish"];
}
