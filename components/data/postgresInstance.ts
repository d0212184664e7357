/**
 * Instance step: the RDS PostgreSQL instance, Multi-AZ with a synchronous standby, encrypted with the CMK,
 * IAM authentication on, storage autoscaling from the capacity plan, PITR backups, Performance Insights,
 * Enhanced Monitoring and the log exports; protected in production.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { DEFAULTS } from "../../model/defaults";
import { POSTGRES_PORT } from "../../model/ports";
import { MASTER_USERNAME, POSTGRES_LOG_EXPORTS, PostgresDatabaseArgs, PostgresStepScope } from "./postgresArgs";
import { PostgresMonitoring } from "./postgresMonitoring";
import { PostgresNetwork } from "./postgresNetwork";

const PG = DEFAULTS.data.postgres;

export interface PostgresInstanceArgs
    extends
        PostgresStepScope,
        Pick<
            PostgresDatabaseArgs,
            | "storageKeyArn"
            | "instanceClass"
            | "backupRetentionDays"
            | "backupWindow"
            | "maintenanceWindow"
            | "performanceInsightsRetentionDays"
            | "monitoringIntervalSeconds"
        > {
    readonly engineVersion: string;
    /** Deletion protection, a final snapshot, automated backups kept, and `protect`. */
    readonly production: boolean;
    /** From `databaseStorage`: GB on day one and the autoscaling ceiling. */
    readonly storage: { readonly allocatedStorage: number; readonly maxAllocatedStorage: number };
    readonly network: PostgresNetwork;
    readonly parameterGroup: aws.rds.ParameterGroup;
    readonly monitoring: PostgresMonitoring;
    readonly password: random.RandomPassword;
    readonly passwordVersion: number;
}

export function createPostgresInstance(parent: pulumi.ComponentResource, name: string, args: PostgresInstanceArgs): aws.rds.Instance {
    const { identifier, tags, production, storage, monitoring } = args;
    return new aws.rds.Instance(
        name,
        {
            identifier,
            engine: "postgres",
            engineVersion: args.engineVersion,
            // Pinned: minor upgrades happen when the config changes, in the maintenance window.
            autoMinorVersionUpgrade: false,
            allowMajorVersionUpgrade: false,
            instanceClass: args.instanceClass ?? PG.instanceClass,
            multiAz: true,
            storageType: "gp3",
            allocatedStorage: storage.allocatedStorage,
            maxAllocatedStorage: storage.maxAllocatedStorage,
            storageEncrypted: true,
            kmsKeyId: args.storageKeyArn,
            dbSubnetGroupName: args.network.subnetGroup.name,
            vpcSecurityGroupIds: [args.network.securityGroup.id],
            publiclyAccessible: false,
            port: POSTGRES_PORT,
            parameterGroupName: args.parameterGroup.name,
            username: MASTER_USERNAME,
            passwordWo: args.password.result,
            passwordWoVersion: args.passwordVersion,
            iamDatabaseAuthenticationEnabled: true,
            backupRetentionPeriod: args.backupRetentionDays ?? PG.backupRetentionDays,
            backupWindow: args.backupWindow ?? PG.backupWindow,
            maintenanceWindow: args.maintenanceWindow ?? PG.maintenanceWindow,
            copyTagsToSnapshot: true,
            deleteAutomatedBackups: !production,
            deletionProtection: production,
            skipFinalSnapshot: !production,
            finalSnapshotIdentifier: production ? `${identifier}-final` : undefined,
            performanceInsightsEnabled: true,
            performanceInsightsKmsKeyId: args.storageKeyArn,
            performanceInsightsRetentionPeriod: args.performanceInsightsRetentionDays ?? PG.performanceInsightsRetentionDays,
            monitoringInterval: args.monitoringIntervalSeconds ?? PG.monitoringIntervalSeconds,
            monitoringRoleArn: monitoring.monitoringRole.arn,
            enabledCloudwatchLogsExports: [...POSTGRES_LOG_EXPORTS],
            caCertIdentifier: "rds-ca-rsa2048-g1",
            applyImmediately: false,
            tags,
        },
        // Production: `pulumi destroy` or a replacing change must be an explicit decision.
        { parent, dependsOn: [...monitoring.logGroups, monitoring.monitoringPolicy], protect: production },
    );
}
