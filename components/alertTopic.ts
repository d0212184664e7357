import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CustomerKey } from "./customerKey";

export interface AlertTopicArgs {
    /** What raises alerts on this topic; used in the key's description. Required. */
    readonly purpose: string;
    /** Mailbox subscribed to the topic. Default none. */
    readonly email?: string;
    /** HTTPS events endpoint (PagerDuty) subscribed to the topic. Default none. */
    readonly httpsEndpoint?: string;
}

/**
 * An SNS topic for CloudWatch alarms, encrypted with its own CMK that CloudWatch may use
 * (alarms publish to an encrypted topic only if the key admits cloudwatch.amazonaws.com),
 * with the alert mailbox and the PagerDuty endpoint subscribed. CloudWatch alarms notify only a
 * topic in their own region: create one per region with alarms (pass that region's provider).
 */
export class AlertTopic extends pulumi.ComponentResource {
    readonly arn: pulumi.Output<string>;
    readonly keyArn: pulumi.Output<string>;

    constructor(name: string, args: AlertTopicArgs, opts?: pulumi.ComponentResourceOptions) {
        super("hybrid:observability:AlertTopic", name, {}, opts);
        const key = new CustomerKey(
            `${name}-key`,
            {
                description: `Encrypts the ${args.purpose} alert topic`,
                alias: `${pulumi.getProject()}-${pulumi.getStack()}-${name}`,
                serviceGrants: [{ service: "cloudwatch.amazonaws.com", actions: ["kms:Decrypt", "kms:GenerateDataKey*"] }],
            },
            { parent: this },
        );
        const topic = new aws.sns.Topic(name, { name: `${pulumi.getProject()}-${pulumi.getStack()}-${name}`, kmsMasterKeyId: key.arn }, { parent: this });
        if (args.email) new aws.sns.TopicSubscription(`${name}-email`, { topic: topic.arn, protocol: "email", endpoint: args.email }, { parent: this });
        if (args.httpsEndpoint) {
            new aws.sns.TopicSubscription(`${name}-pager`, { topic: topic.arn, protocol: "https", endpoint: args.httpsEndpoint, endpointAutoConfirms: true }, { parent: this });
        }
        this.arn = topic.arn;
        this.keyArn = key.arn;
        this.registerOutputs({ arn: this.arn, keyArn: this.keyArn });
    }
}
