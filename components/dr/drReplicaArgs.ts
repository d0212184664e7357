/** The arguments of `DrReplica` (components/dr/drReplica.ts), shared with its steps. */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DrMode } from "../../model/drConfig";

export interface DrReplicaArgs {
    /** StackReference name of the primary stack ("prod" or "org/hybrid-platform/prod"). Required. */
    readonly primaryStack: string;
    /** The primary stack's region (where the source database and bucket live): not this stack's region. Required. */
    readonly primaryRegion: string;
    /** This (DR) stack's region. Required. */
    readonly region: string;
    /** The stack's account (stacks/platform.ts looks it up once): the DR keys' policies. Required. */
    readonly accountId: pulumi.Input<string>;
    /** AWS provider for the primary region: the replication configuration lives on the primary bucket. Required. */
    readonly primaryProvider: aws.Provider;
    /** standby: the database is a cross-region read replica; active: promoted (standalone, Multi-AZ). @default standby */
    readonly mode?: DrMode;
    /** DR VPC. Required. */
    readonly vpcId: pulumi.Input<string>;
    /** Isolated (data) subnets of the DR VPC for the database: at least 2 (a promoted Multi-AZ primary spans two AZs). Required. */
    readonly isolatedSubnetIds: pulumi.Input<string>[];
    /**
     * The DR VPC's S3 gateway endpoint: the DR documents bucket denies object reads and writes arriving any other way
     * (model/endpointPolicies.ts sourceVpceDeny; replication writes with its own actions and is not affected).
     * @default none (no network condition on the DR bucket)
     */
    readonly s3GatewayEndpointId?: pulumi.Input<string>;
    /**
     * Instance class of the DR database.
     * @default db.m5.xlarge (the prod class: a promoted replica carries prod load)
     * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.DBInstanceClass.html
     */
    readonly databaseInstanceClass?: string;
    /**
     * Parameter group family of the prod engine version, "postgres<major>" (a replica runs the source's version).
     * @default postgres16
     * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ReadRepl.html
     */
    readonly databaseParameterGroupFamily?: string;
    /** Deletion protection and final snapshots. @default true (production) */
    readonly deletionProtection?: boolean;
    /** Days of automated backups on the DR database (so a promoted replica is a protected primary), 1 to 35. @default 7 */
    readonly backupRetentionDays?: number;
    /** Alarm threshold on RDS ReplicaLag, seconds, at least 1. @default 300 */
    readonly replicaLagAlarmSeconds?: number;
    /**
     * Alarm threshold on S3 ReplicationLatency, seconds, at least 1 (also the RTC metrics event threshold cap).
     * @default 600
     * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-time-control.html
     */
    readonly replicationLatencyAlarmSeconds?: number;
    /** SNS topic in the DR region for the database alarms. Required. */
    readonly alarmTopicArn: pulumi.Input<string>;
    /** SNS topic in the primary region for the S3 replication alarms (S3 publishes replication metrics in the source region). Required. */
    readonly primaryAlarmTopicArn: pulumi.Input<string>;
    /**
     * The SOC's CloudWatch Logs destination in the DR region (an `arn:aws:logs:<region>:<account>:destination:<name>` in `region`),
     * which receives the DR database's logs; a subscription's destination must be in its log group's region.
     * @default none (the logs stay in this account)
     * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CrossAccountSubscriptions.html
     */
    readonly socDestinationArn?: string;
}
