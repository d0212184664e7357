import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CustomerKey } from "../security/customerKey";

export interface AlertTopicArgs {
    /** Mailbox subscribed to the topic (the subscription needs confirming once). Default: none. */
    readonly email?: string;
    /** HTTPS events endpoint (PagerDuty) subscribed to the topic. Default: none. */
    readonly httpsEndpoint?: string;
    /** Region of the topic: alarms can only notify a topic in their own region. Default: the provider's region. */
    readonly region?: string;
    /** AWS services allowed to publish (beyond CloudWatch alarms), e.g. "aps.amazonaws.com". Default: CloudWatch only. */
    readonly publishers?: string[];
}

/**
 * The alerting channel (seed 6: PagerDuty for critical breaches): an SNS topic encrypted
 * with its own CMK, publishable only by this account's CloudWatch alarms (and the named
 * services), with the e-mail and PagerDuty subscriptions.
 */
export class AlertTopic extends pulumi.ComponentResource {
    readonly topicArn: pulumi.Output<string>;

    constructor(name: string, args: AlertTopicArgs, opts?: pulumi.ComponentResourceOptions) {
        super("hybrid:observability:AlertTopic", name, {}, opts);
        const child = { parent: this };
        const publishers = ["cloudwatch.amazonaws.com", ...(args.publishers ?? [])];
        // Publishing services encrypt with the topic's key, so each needs the key as well as the topic.
        const key = new CustomerKey(
            name,
            {
                description: `Alerts topic ${name}`,
                alias: `hybrid-platform/${pulumi.getStack()}/${name}`,
                region: args.region,
                serviceGrants: publishers.map((service) => ({ service, actions: ["kms:Decrypt", "kms:GenerateDataKey*"] })),
            },
            child,
        );
        const topic = new aws.sns.Topic(name, { kmsMasterKeyId: key.arn, region: args.region }, child);
        const account = aws.getCallerIdentityOutput({}, child).accountId;
        new aws.sns.TopicPolicy(
            name,
            {
                arn: topic.arn,
                region: args.region,
                policy: pulumi.all([topic.arn, account]).apply(([arn, accountId]) =>
                    JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [
                            {
                                Sid: "ServicesOfThisAccountPublish",
                                Effect: "Allow",
                                Principal: { Service: publishers },
                                Action: "sns:Publish",
                                Resource: arn,
                                Condition: { StringEquals: { "aws:SourceAccount": accountId } },
                            },
                            {
                                Sid: "DenyInsecureTransport",
                                Effect: "Deny",
                                Principal: "*",
                                Action: "sns:Publish",
                                Resource: arn,
                                Condition: { Bool: { "aws:SecureTransport": "false" } },
                            },
                        ],
                    }),
                ),
            },
            child,
        );
        if (args.email) new aws.sns.TopicSubscription(`${name}-email`, { topic: topic.arn, protocol: "email", endpoint: args.email, region: args.region }, child);
        if (args.httpsEndpoint) {
            new aws.sns.TopicSubscription(
                `${name}-pagerduty`,
                { topic: topic.arn, protocol: "https", endpoint: args.httpsEndpoint, endpointAutoConfirms: true, region: args.region },
                child,
            );
        }
        this.topicArn = topic.arn;
        this.registerOutputs({ topicArn: this.topicArn });
    }
}
