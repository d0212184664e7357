/**
 * Monitoring step: the CMK-encrypted log groups the log exports land in, and the role Enhanced Monitoring
 * publishes OS metrics with (trusted by RDS's monitoring service for this account only).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyJson, sourceAccount, trust } from "../../model/iam";
import { POSTGRES_LOG_EXPORTS, PostgresDatabaseArgs, PostgresStepScope } from "./postgresArgs";

export interface PostgresMonitoringArgs extends PostgresStepScope, Pick<PostgresDatabaseArgs, "accountId" | "logKeyArn"> {
    /** Retention of the exported logs, days. */
    readonly logRetentionDays: number;
}

export interface PostgresMonitoring {
    /** One per `POSTGRES_LOG_EXPORTS` entry, in that order. */
    readonly logGroups: aws.cloudwatch.LogGroup[];
    readonly monitoringRole: aws.iam.Role;
    /** The managed policy's attachment (the instance is created after it). */
    readonly monitoringPolicy: aws.iam.RolePolicyAttachment;
}

export function createPostgresMonitoring(parent: pulumi.ComponentResource, name: string, args: PostgresMonitoringArgs): PostgresMonitoring {
    const { identifier, tags } = args;
    const child = { parent };
    // Pre-created so the exports land in CMK-encrypted groups with a retention, not RDS's unencrypted, never-expiring defaults.
    const logGroups = POSTGRES_LOG_EXPORTS.map(
        (log) =>
            new aws.cloudwatch.LogGroup(
                `${name}-${log}`,
                {
                    name: `/aws/rds/instance/${identifier}/${log}`,
                    retentionInDays: args.logRetentionDays,
                    kmsKeyId: args.logKeyArn,
                    tags,
                },
                child,
            ),
    );

    const monitoringRole = new aws.iam.Role(
        `${name}-monitoring`,
        {
            description: `Enhanced Monitoring of ${identifier}`,
            assumeRolePolicy: pulumi
                .output(args.accountId)
                .apply((accountId) => policyJson([trust({ Service: "monitoring.rds.amazonaws.com" }, "sts:AssumeRole", sourceAccount(accountId))])),
            tags,
        },
        child,
    );
    const monitoringPolicy = new aws.iam.RolePolicyAttachment(
        `${name}-monitoring`,
        { role: monitoringRole.name, policyArn: "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole" },
        child,
    );
    return { logGroups, monitoringRole, monitoringPolicy };
}
