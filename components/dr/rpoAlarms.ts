/**
 * RPO guards step: alarms that fire well before the RPO is lost: the database replica's lag (in the
 * DR region, standby only) and the S3 replication latency and failures (in the primary region, where
 * S3 publishes the replication metrics).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DrMode } from "../../model/drConfig";
import { DEFAULTS } from "../../model/defaults";
import { stackResourceName } from "../../model/names";
import { REPLICATION_RULE_ID } from "./documentsReplication";
import { DrReplicaArgs } from "./drReplicaArgs";

export interface RpoAlarmsArgs extends Pick<
    DrReplicaArgs,
    "primaryProvider" | "replicaLagAlarmSeconds" | "replicationLatencyAlarmSeconds" | "alarmTopicArn" | "primaryAlarmTopicArn"
> {
    /** The stack name: the prefix of physical names. */
    readonly stack: string;
    readonly mode: DrMode;
    readonly databaseIdentifier: pulumi.Input<string>;
    /** The prod documents bucket (the replication source). */
    readonly sourceBucketName: pulumi.Input<string>;
    /** The DR documents bucket (the replication destination). */
    readonly destinationBucketName: pulumi.Input<string>;
}

export interface RpoAlarms {
    /** Standby only. */
    readonly replicaLag?: aws.cloudwatch.MetricAlarm;
    readonly replicationLatency: aws.cloudwatch.MetricAlarm;
    readonly replicationFailures: aws.cloudwatch.MetricAlarm;
}

export function createRpoAlarms(parent: pulumi.ComponentResource, name: string, args: RpoAlarmsArgs): RpoAlarms {
    const physical = (...parts: string[]) => stackResourceName(args.stack, ...parts);
    const onPrimary = { parent, provider: args.primaryProvider };
    const latency = args.replicationLatencyAlarmSeconds ?? DEFAULTS.dr.replicationLatencyAlarmSeconds;
    let replicaLag: aws.cloudwatch.MetricAlarm | undefined;
    if (args.mode === "standby") {
        // A promoted primary has no lag; in standby, a missing metric means replication is broken.
        replicaLag = new aws.cloudwatch.MetricAlarm(
            `${name}-replica-lag`,
            {
                name: physical("database", "replica-lag"),
                alarmDescription: `DR replica lag over ${args.replicaLagAlarmSeconds ?? DEFAULTS.dr.replicaLagAlarmSeconds} s: the RPO is at risk`,
                namespace: "AWS/RDS",
                metricName: "ReplicaLag",
                dimensions: { DBInstanceIdentifier: args.databaseIdentifier },
                statistic: "Maximum",
                period: 60,
                evaluationPeriods: 5,
                datapointsToAlarm: 3,
                threshold: args.replicaLagAlarmSeconds ?? DEFAULTS.dr.replicaLagAlarmSeconds,
                comparisonOperator: "GreaterThanThreshold",
                treatMissingData: "breaching",
                alarmActions: [args.alarmTopicArn],
                okActions: [args.alarmTopicArn],
            },
            { parent },
        );
    }
    const s3Dimensions = { SourceBucket: args.sourceBucketName, DestinationBucket: args.destinationBucketName, RuleId: REPLICATION_RULE_ID };
    const replicationLatency = new aws.cloudwatch.MetricAlarm(
        `${name}-replication-latency`,
        {
            name: physical("documents", "replication-latency"),
            alarmDescription: `S3 replication to DR slower than ${latency} s: the RPO is at risk`,
            namespace: "AWS/S3",
            metricName: "ReplicationLatency",
            dimensions: s3Dimensions,
            statistic: "Maximum",
            period: 300,
            evaluationPeriods: 2,
            threshold: latency,
            comparisonOperator: "GreaterThanThreshold",
            treatMissingData: "notBreaching",
            alarmActions: [args.primaryAlarmTopicArn],
            okActions: [args.primaryAlarmTopicArn],
        },
        onPrimary,
    );
    const replicationFailures = new aws.cloudwatch.MetricAlarm(
        `${name}-replication-failures`,
        {
            name: physical("documents", "replication-failures"),
            alarmDescription: "Objects failed to replicate to DR",
            namespace: "AWS/S3",
            metricName: "OperationsFailedReplication",
            dimensions: s3Dimensions,
            statistic: "Sum",
            period: 300,
            evaluationPeriods: 1,
            threshold: 0,
            comparisonOperator: "GreaterThanThreshold",
            treatMissingData: "notBreaching",
            alarmActions: [args.primaryAlarmTopicArn],
        },
        onPrimary,
    );
    return { replicaLag, replicationLatency, replicationFailures };
}
