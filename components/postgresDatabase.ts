import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { databaseStorage } from "../model/storage";

export interface PostgresDatabaseArgs {
    /** VPC of the isolated subnets. Required. */
    readonly vpcId: pulumi.Input<string>;
    /** Isolated subnets (one per AZ) for the subnet group. Required. */
    readonly subnetIds: pulumi.Input<string>[];
    /** Security group whose members may connect (port 5432); nothing else is admitted. Required. */
    readonly clientSecurityGroupId: pulumi.Input<string>;
    /** CMK for storage, Performance Insights and the log exports' data. Required. */
    readonly storageKeyArn: pulumi.Input<string>;
    /** CMK for the Secrets Manager secret holding the master password. Required. */
    readonly secretKeyArn: pulumi.Input<string>;
    /** CMK for the CloudWatch log groups of the log exports. Required. */
    readonly logKeyArn: pulumi.Input<string>;
    /** Instance class. Default db.m5.xlarge. */
    readonly instanceClass?: string;
    /** Pinned PostgreSQL major.minor version. Default 16.6. */
    readonly engineVersion?: string;
    /** Storage on day one, GB. Default 1000. */
    readonly initialStorageGb?: number;
    /** Growth per year, GB. Default 200. */
    readonly annualGrowthGb?: number;
    /** Years of growth the autoscaling ceiling covers. Default 5. */
    readonly growthYears?: number;
    /** Percent of headroom above the projected size. Default 20. */
    readonly storageHeadroomPercent?: number;
    /** Automated backup (PITR) retention, days. Default 14. */
    readonly backupRetentionDays?: number;
    /** Daily backup window, UTC. Default 01:00-02:00. */
    readonly backupWindow?: string;
    /** Weekly maintenance window, UTC. Default sun:03:00-sun:04:00. */
    readonly maintenanceWindow?: string;
    /** Enhanced Monitoring interval, seconds. Default 15. */
    readonly monitoringIntervalSeconds?: number;
    /** Performance Insights retention, days. Default 7. */
    readonly performanceInsightsRetentionDays?: number;
    /** Statements slower than this are logged, ms. Default 1000. */
    readonly slowStatementMs?: number;
    /** Production: deletion protection and a final snapshot. Default true. */
    readonly production?: boolean;
    /** Retention of the exported PostgreSQL logs, days. Default 365. */
    readonly logRetentionDays?: number;
    /** Tags. Default none (provider default tags still apply). */
    readonly tags?: Record<string, string>;
}

/** Log types RDS PostgreSQL exports to CloudWatch. */
export const POSTGRES_LOG_EXPORTS = ["postgresql", "upgrade"] as const;

/**
 * RDS PostgreSQL, Multi-AZ with a synchronous standby (seed 1.3, 2), in the isolated subnets,
 * reachable on 5432 only from the data-clients security group. Encrypted with a CMK, TLS
 * enforced by the parameter group, IAM authentication on, the master password generated and
 * held by Secrets Manager (never in the program or the state), storage autoscaling sized from
 * the capacity plan (seed 7), PITR backups, Performance Insights, Enhanced Monitoring and log
 * exports to CMK-encrypted log groups.
 */
export class PostgresDatabase extends pulumi.ComponentResource {
    readonly arn: pulumi.Output<string>;
    readonly identifier: pulumi.Output<string>;
    readonly endpoint: pulumi.Output<string>;
    readonly address: pulumi.Output<string>;
    /** Log groups of the exported PostgreSQL logs (connections, DDL: audit-relevant). */
    readonly logGroupNames: pulumi.Output<string>[];
    /** DbiResourceId: what IAM policies for `rds-db:connect` name. */
    readonly resourceId: pulumi.Output<string>;
    readonly port: pulumi.Output<number>;
    readonly securityGroupId: pulumi.Output<string>;
    readonly masterSecretArn: pulumi.Output<string>;
    readonly keyArn: pulumi.Output<string>;
    readonly allocatedStorage: number;
    readonly maxAllocatedStorage: number;

    constructor(name: string, args: PostgresDatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
        super("hybrid:data:PostgresDatabase", name, {}, opts);
        const child = { parent: this };
        const tags = args.tags ?? {};
        const production = args.production ?? true;
        const engineVersion = args.engineVersion ?? "16.6";
        const major = engineVersion.split(".")[0];
        const identifier = `${name}-${pulumi.getStack()}`;

        const storage = databaseStorage({
            initialGb: args.initialStorageGb ?? 1000,
            annualGrowthGb: args.annualGrowthGb ?? 200,
            years: args.growthYears ?? 5,
            headroomPercent: args.storageHeadroomPercent,
        });
        this.allocatedStorage = storage.allocatedStorage;
        this.maxAllocatedStorage = storage.maxAllocatedStorage;

        const subnetGroup = new aws.rds.SubnetGroup(name, { name: identifier, description: `Isolated subnets of ${identifier}`, subnetIds: args.subnetIds, tags }, child);

        const sg = new aws.ec2.SecurityGroup(name, { vpcId: args.vpcId, description: `PostgreSQL ${identifier}: 5432 from data clients only`, tags: { ...tags, Name: `${identifier}-postgres` } }, child);
        new aws.vpc.SecurityGroupIngressRule(
            `${name}-from-clients`,
            { securityGroupId: sg.id, ipProtocol: "tcp", fromPort: 5432, toPort: 5432, referencedSecurityGroupId: args.clientSecurityGroupId, description: "PostgreSQL from data clients" },
            child,
        );
        this.securityGroupId = sg.id;

        const parameterGroup = new aws.rds.ParameterGroup(
            name,
            {
                name: identifier,
                family: `postgres${major}`,
                description: `TLS-only, audit-friendly logging for ${identifier}`,
                parameters: [
                    { name: "rds.force_ssl", value: "1" },
                    // Seed 4.2: TLS 1.3 for internal communications.
                    { name: "ssl_min_protocol_version", value: "TLSv1.3" },
                    { name: "log_connections", value: "1" },
                    { name: "log_disconnections", value: "1" },
                    { name: "log_lock_waits", value: "1" },
                    { name: "log_statement", value: "ddl" },
                    { name: "log_min_duration_statement", value: String(args.slowStatementMs ?? 1000) },
                    { name: "log_temp_files", value: "0" },
                    { name: "log_autovacuum_min_duration", value: "10000" },
                    { name: "shared_preload_libraries", value: "pg_stat_statements", applyMethod: "pending-reboot" },
                ],
                tags,
            },
            child,
        );

        // Pre-created so the exports land in CMK-encrypted groups with a retention, not RDS's unencrypted, never-expiring defaults.
        const logGroups = POSTGRES_LOG_EXPORTS.map(
            (log) =>
                new aws.cloudwatch.LogGroup(
                    `${name}-${log}`,
                    { name: `/aws/rds/instance/${identifier}/${log}`, retentionInDays: args.logRetentionDays ?? 365, kmsKeyId: args.logKeyArn, tags },
                    child,
                ),
        );

        const account = aws.getCallerIdentityOutput({}, child).accountId;
        const monitoringRole = new aws.iam.Role(
            `${name}-monitoring`,
            {
                description: `Enhanced Monitoring of ${identifier}`,
                assumeRolePolicy: account.apply((accountId) =>
                    JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [
                            { Effect: "Allow", Principal: { Service: "monitoring.rds.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": accountId } } },
                        ],
                    }),
                ),
                tags,
            },
            child,
        );
        const monitoringPolicy = new aws.iam.RolePolicyAttachment(
            `${name}-monitoring`,
            { role: monitoringRole.name, policyArn: "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole" },
            child,
        );

        const db = new aws.rds.Instance(
            name,
            {
                identifier,
                engine: "postgres",
                engineVersion,
                // Pinned: minor upgrades happen when the config changes, in the maintenance window.
                autoMinorVersionUpgrade: false,
                allowMajorVersionUpgrade: false,
                instanceClass: args.instanceClass ?? "db.m5.xlarge",
                multiAz: true,
                storageType: "gp3",
                allocatedStorage: storage.allocatedStorage,
                maxAllocatedStorage: storage.maxAllocatedStorage,
                storageEncrypted: true,
                kmsKeyId: args.storageKeyArn,
                dbSubnetGroupName: subnetGroup.name,
                vpcSecurityGroupIds: [sg.id],
                publiclyAccessible: false,
                port: 5432,
                parameterGroupName: parameterGroup.name,
                username: "platform_admin",
                manageMasterUserPassword: true,
                masterUserSecretKmsKeyId: args.secretKeyArn,
                iamDatabaseAuthenticationEnabled: true,
                backupRetentionPeriod: args.backupRetentionDays ?? 14,
                backupWindow: args.backupWindow ?? "01:00-02:00",
                maintenanceWindow: args.maintenanceWindow ?? "sun:03:00-sun:04:00",
                copyTagsToSnapshot: true,
                deleteAutomatedBackups: !production,
                deletionProtection: production,
                skipFinalSnapshot: !production,
                finalSnapshotIdentifier: production ? `${identifier}-final` : undefined,
                performanceInsightsEnabled: true,
                performanceInsightsKmsKeyId: args.storageKeyArn,
                performanceInsightsRetentionPeriod: args.performanceInsightsRetentionDays ?? 7,
                monitoringInterval: args.monitoringIntervalSeconds ?? 15,
                monitoringRoleArn: monitoringRole.arn,
                enabledCloudwatchLogsExports: [...POSTGRES_LOG_EXPORTS],
                caCertIdentifier: "rds-ca-rsa2048-g1",
                applyImmediately: false,
                tags,
            },
            // Production: `pulumi destroy` or a replacing change must be an explicit decision.
            { parent: this, dependsOn: [...logGroups, monitoringPolicy], protect: production },
        );

        this.arn = db.arn;
        this.identifier = db.identifier;
        this.endpoint = db.endpoint;
        this.address = db.address;
        this.resourceId = db.resourceId;
        this.logGroupNames = logGroups.map((g) => g.name);
        this.port = db.port;
        this.masterSecretArn = db.masterUserSecrets.apply((s) => s?.[0]?.secretArn);
        this.keyArn = pulumi.output(args.storageKeyArn);
        this.registerOutputs({
            arn: this.arn,
            identifier: this.identifier,
            endpoint: this.endpoint,
            securityGroupId: this.securityGroupId,
            masterSecretArn: this.masterSecretArn,
            keyArn: this.keyArn,
        });
    }
}
