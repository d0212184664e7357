import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Statement, policyJson, sourceAccount } from "../../model/iam";
import { snsPublisherActions } from "../../model/snsPublishers";
import { validateArgs } from "../argErrors";
import { CustomerKey } from "../security/customerKey";

export interface AlertTopicArgs {
    /** The stack's account (stacks/platform.ts looks it up once): publishers act for it only, and it administers the key. Required. */
    readonly accountId: pulumi.Input<string>;
    /**
     * Mailbox subscribed to the topic (the subscription needs confirming once): an address with one "@".
     * @default none
     * @see https://docs.aws.amazon.com/sns/latest/dg/sns-email-notifications.html
     */
    readonly email?: string;
    /**
     * HTTPS events endpoint (PagerDuty) subscribed to the topic: an https:// URL (SNS refuses plain HTTP here by policy).
     * @default none
     * @see https://docs.aws.amazon.com/sns/latest/dg/sns-http-https-endpoint-as-subscriber.html
     */
    readonly httpsEndpoint?: string;
    /** Region of the topic: alarms can only notify a topic in their own region. @default the provider's region */
    readonly region?: string;
    /**
     * AWS service principals allowed to publish (beyond CloudWatch alarms), e.g. "aps.amazonaws.com". Each is granted the
     * actions AWS documents for it (model/snsPublishers.ts: AMP's Alertmanager needs sns:GetTopicAttributes as well as
     * sns:Publish), for this account only (aws:SourceAccount).
     * @default CloudWatch only
     * @see https://docs.aws.amazon.com/prometheus/latest/userguide/AMP-alertmanager-receiver-AMPpermission.html
     */
    readonly publishers?: string[];
}

/**
 * The alerting channel (seed 6: PagerDuty for critical breaches): an SNS topic encrypted
 * with its own CMK, publishable only by this account's CloudWatch alarms (and the named
 * services), with the e-mail and PagerDuty subscriptions.
 */
export class AlertTopic extends pulumi.ComponentResource {
    readonly topicArn: pulumi.Output<string>;
    /** The topic's CMK: an IAM principal that publishes (Grafana's role) needs kms:GenerateDataKey* and kms:Decrypt on it. */
    readonly keyArn: pulumi.Output<string>;

    constructor(name: string, args: AlertTopicArgs, opts?: pulumi.ComponentResourceOptions) {
        validateArgs(`AlertTopic ${name}`, (e) => {
            e.check(args.email === undefined || /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(args.email), "email", `${args.email} is not an e-mail address`);
            e.check(
                args.httpsEndpoint === undefined || /^https:\/\/[^\s/]+/.test(args.httpsEndpoint),
                "httpsEndpoint",
                `${args.httpsEndpoint} is not an https:// URL`,
            );
            (args.publishers ?? []).forEach((p, i) =>
                e.check(/^[a-z0-9.-]+\.amazonaws\.com$/.test(p), `publishers[${i}]`, `${p} is not an AWS service principal (<service>.amazonaws.com)`),
            );
        });
        super("hybrid:observability:AlertTopic", name, {}, opts);
        const child = { parent: this };
        const publishers = ["cloudwatch.amazonaws.com", ...(args.publishers ?? [])];
        // Publishing services encrypt with the topic's key, so each needs the key as well as the topic.
        const key = new CustomerKey(
            name,
            {
                description: `Alerts topic ${name}`,
                purpose: name,
                accountId: args.accountId,
                region: args.region,
                serviceGrants: publishers.map((service) => ({ service, actions: ["kms:Decrypt", "kms:GenerateDataKey*"] })),
            },
            child,
        );
        const topic = new aws.sns.Topic(name, { kmsMasterKeyId: key.arn, region: args.region }, child);
        const account = pulumi.output(args.accountId);
        new aws.sns.TopicPolicy(
            name,
            {
                arn: topic.arn,
                region: args.region,
                policy: pulumi.all([topic.arn, account]).apply(([arn, accountId]) =>
                    policyJson([
                        // One statement per set of documented actions, so no service gets more than it calls.
                        ...publisherStatements(publishers, arn, accountId),
                        {
                            Sid: "DenyInsecureTransport",
                            Effect: "Deny",
                            Principal: "*",
                            Action: "sns:Publish",
                            Resource: arn,
                            Condition: { Bool: { "aws:SecureTransport": "false" } },
                        },
                    ]),
                ),
            },
            child,
        );
        if (args.email)
            new aws.sns.TopicSubscription(`${name}-email`, { topic: topic.arn, protocol: "email", endpoint: args.email, region: args.region }, child);
        if (args.httpsEndpoint) {
            new aws.sns.TopicSubscription(
                `${name}-pagerduty`,
                { topic: topic.arn, protocol: "https", endpoint: args.httpsEndpoint, endpointAutoConfirms: true, region: args.region },
                child,
            );
        }
        this.topicArn = topic.arn;
        this.keyArn = key.arn;
        this.registerOutputs({ topicArn: this.topicArn, keyArn: this.keyArn });
    }
}

/** The Allow statements of the topic policy: the publishers grouped by the actions they need, each for this account only. */
function publisherStatements(publishers: string[], topicArn: string, accountId: string): Statement[] {
    const byActions = new Map<string, string[]>();
    for (const service of publishers) {
        const actions = [...snsPublisherActions(service)].join(",");
        byActions.set(actions, [...(byActions.get(actions) ?? []), service]);
    }
    return [...byActions].map(([actions, services], i): Statement => ({
        Sid: i === 0 ? "ServicesOfThisAccountPublish" : `ServicesOfThisAccountPublish${i}`,
        Effect: "Allow",
        Principal: { Service: services },
        Action: actions.includes(",") ? actions.split(",") : actions,
        Resource: topicArn,
        Condition: sourceAccount(accountId),
    }));
}
