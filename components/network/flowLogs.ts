/**
 * Flow logs step: the network's log key, the flow log group, the role only VPC Flow Logs of this
 * account can assume to write it, and the VPC's flow log.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyJson, sourceAccount, trust } from "../../model/iam";
import { stackLogGroupName } from "../../model/names";
import { CustomerKey, logsServiceGrant } from "../security/customerKey";
import { StepScope } from "./step";

export interface FlowLogsArgs extends StepScope {
    readonly vpcId: pulumi.Input<string>;
    /** For the CloudWatch Logs grant on the key. */
    readonly region: string;
    /** The key policy's account and the role's confused-deputy condition. */
    readonly accountId: pulumi.Input<string>;
    readonly retentionInDays: number;
}

export interface FlowLogs {
    /** The network's log key: the VPN tunnel logs are encrypted with it too. */
    readonly logKey: CustomerKey;
    readonly flowLogGroupName: pulumi.Output<string>;
}

export function createFlowLogs(parent: pulumi.ComponentResource, name: string, args: FlowLogsArgs): FlowLogs {
    const { tags } = args;
    const child = { parent };
    // Flow logs: every accepted and rejected flow, to a CMK-encrypted log group the SOC subscribes to (seed 4.3).
    const logKey = new CustomerKey(
        `${name}-flow-logs`,
        {
            description: `VPC flow logs of ${name}`,
            purpose: `${name}/flow-logs`,
            accountId: args.accountId,
            serviceGrants: [logsServiceGrant(args.region, args.accountId)],
            tags,
        },
        child,
    );
    const logGroup = new aws.cloudwatch.LogGroup(
        `${name}-flow-logs`,
        {
            name: stackLogGroupName(pulumi.getStack(), name, "vpc-flow-logs"),
            retentionInDays: args.retentionInDays,
            kmsKeyId: logKey.arn,
            tags,
        },
        child,
    );
    const flowLogRole = new aws.iam.Role(
        `${name}-flow-logs`,
        {
            description: `Lets VPC Flow Logs write ${name}'s flows to CloudWatch`,
            assumeRolePolicy: pulumi
                .output(args.accountId)
                .apply((accountId) => policyJson([trust({ Service: "vpc-flow-logs.amazonaws.com" }, "sts:AssumeRole", sourceAccount(accountId))])),
            tags,
        },
        child,
    );
    new aws.iam.RolePolicy(
        `${name}-flow-logs`,
        {
            role: flowLogRole.id,
            policy: logGroup.arn.apply((arn) =>
                policyJson([
                    { Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"], Resource: [arn, `${arn}:*`] },
                ]),
            ),
        },
        child,
    );
    new aws.ec2.FlowLog(
        name,
        {
            vpcId: args.vpcId,
            trafficType: "ALL",
            logDestinationType: "cloud-watch-logs",
            logDestination: logGroup.arn,
            iamRoleArn: flowLogRole.arn,
            maxAggregationInterval: 60,
            tags,
        },
        child,
    );
    return { logKey, flowLogGroupName: logGroup.name };
}
