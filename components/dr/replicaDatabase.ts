/**
 * Database step: a cross-region read replica of the prod database under a DR-region CMK, in the
 * isolated subnets, reachable only from the data client group, promoted in active mode (no
 * replicateSourceDb) to a standalone Multi-AZ primary. As prod's primary: Enhanced Monitoring and
 * the PostgreSQL log exports, into CMK-encrypted log groups with a retention created before the
 * instance (else RDS creates unencrypted, never-expiring ones), forwarded to the SOC when a
 * destination in this region is configured: once promoted, the SOC keeps its database logs.
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_LogAccess.Procedural.UploadtoCloudWatch.html
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DrMode } from "../../model/drConfig";
import { DEFAULTS } from "../../model/defaults";
import { stackResourceName } from "../../model/names";
import { POSTGRES_PORT } from "../../model/ports";
import { createPostgresMonitoring } from "../data/postgresMonitoring";
import { POSTGRES_LOG_EXPORTS } from "../data/postgresArgs";
import { CustomerKey, logsServiceGrant } from "../security/customerKey";
import { DrReplicaArgs } from "./drReplicaArgs";

/** Tag naming the secret that holds a database's inherited master credential (read by policy no-plaintext-passwords). */
export const MASTER_CREDENTIAL_TAG = "hybrid-platform/master-credential";

export interface ReplicaDatabaseArgs extends Pick<
    DrReplicaArgs,
    "primaryStack" | "region" | "accountId" | "vpcId" | "isolatedSubnetIds" | "databaseInstanceClass" | "databaseParameterGroupFamily" | "backupRetentionDays"
> {
    /** The stack name: the prefix of physical names. */
    readonly stack: string;
    readonly mode: DrMode;
    /** Deletion protection and final snapshots. */
    readonly protect: boolean;
    /** The prod primary's ARN: the replication source in standby. */
    readonly sourceDatabaseArn: pulumi.Input<string>;
    /** The secret holding the inherited master credential (this region's replica of prod's). */
    readonly masterSecretArn: pulumi.Input<string>;
    /**
     * The SOC's CloudWatch Logs destination in this (the DR) region: a subscription's destination must be in its log group's region.
     * @default none (the logs stay in this account)
     * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CrossAccountSubscriptions.html
     */
    readonly socDestinationArn?: string;
    /** Days the exported database logs are kept. @default 365 */
    readonly logRetentionDays?: number;
    /** Enhanced Monitoring interval, seconds (1, 5, 10, 15, 30 or 60). @default 15, as prod */
    readonly monitoringIntervalSeconds?: number;
}

export interface ReplicaDatabase {
    readonly database: aws.rds.Instance;
    readonly databaseKey: CustomerKey;
    /** Security group the database admits. */
    readonly clients: aws.ec2.SecurityGroup;
    /** The log groups of the exported PostgreSQL logs (one per POSTGRES_LOG_EXPORTS entry). */
    readonly logGroupNames: pulumi.Output<string>[];
}

export function createReplicaDatabase(parent: pulumi.ComponentResource, name: string, args: ReplicaDatabaseArgs): ReplicaDatabase {
    const { mode, protect } = args;
    const physical = (...parts: string[]) => stackResourceName(args.stack, ...parts);
    const databaseKey = new CustomerKey(
        `${name}-database-key`,
        { description: `Encrypts the DR database replica of ${args.primaryStack} (${args.region})`, purpose: "database", accountId: args.accountId },
        { parent },
    );
    const subnets = new aws.rds.SubnetGroup(
        `${name}-database`,
        { name: physical("database"), description: "DR database: isolated subnets only", subnetIds: args.isolatedSubnetIds },
        { parent },
    );
    // Members of the client group (the AppCluster's worker nodes) reach the database; nothing else does.
    const clients = new aws.ec2.SecurityGroup(
        `${name}-clients`,
        { vpcId: args.vpcId, description: "DR data clients: attach to what may reach the DR database", revokeRulesOnDelete: true },
        { parent },
    );
    // No inline rules (the provider then removes AWS's default allow-all egress): the one rule is its own resource, as everywhere else.
    const dbSecurityGroup = new aws.ec2.SecurityGroup(
        `${name}-database`,
        { vpcId: args.vpcId, description: "DR PostgreSQL: reachable from the data client group only", revokeRulesOnDelete: true },
        { parent },
    );
    new aws.vpc.SecurityGroupIngressRule(
        `${name}-database-from-clients`,
        {
            securityGroupId: dbSecurityGroup.id,
            ipProtocol: "tcp",
            fromPort: POSTGRES_PORT,
            toPort: POSTGRES_PORT,
            referencedSecurityGroupId: clients.id,
            description: "PostgreSQL from the application tier",
        },
        { parent },
    );
    // The replica's engine version is the source's: the family must match prod's (config databaseParameterGroupFamily).
    const parameters = new aws.rds.ParameterGroup(
        `${name}-database`,
        {
            name: physical("database"),
            family: args.databaseParameterGroupFamily ?? DEFAULTS.dr.databaseParameterGroupFamily,
            description: "DR PostgreSQL: TLS only",
            parameters: [{ name: "rds.force_ssl", value: "1", applyMethod: "pending-reboot" }],
        },
        { parent },
    );
    const identifier = physical("database");
    const logsKey = new CustomerKey(
        `${name}-database-logs`,
        {
            description: `Encrypts the DR database's exported logs (${args.region})`,
            purpose: "database-logs",
            accountId: args.accountId,
            serviceGrants: [logsServiceGrant(args.region, args.accountId)],
        },
        { parent },
    );
    const monitoring = createPostgresMonitoring(parent, `${name}-database`, {
        identifier,
        tags: {},
        accountId: args.accountId,
        logKeyArn: logsKey.arn,
        logRetentionDays: args.logRetentionDays ?? DEFAULTS.observability.logRetentionDays,
    });
    const database = new aws.rds.Instance(
        `${name}-database`,
        {
            identifier,
            // Standby: asynchronous cross-region replication from the prod primary (seed 1.3, 3.2).
            // Active: no source, which promotes the replica to a standalone primary.
            replicateSourceDb: mode === "standby" ? args.sourceDatabaseArn : undefined,
            instanceClass: args.databaseInstanceClass ?? DEFAULTS.dr.databaseInstanceClass,
            storageEncrypted: true,
            kmsKeyId: databaseKey.arn,
            storageType: "gp3",
            dbSubnetGroupName: subnets.name,
            vpcSecurityGroupIds: [dbSecurityGroup.id],
            publiclyAccessible: false,
            // A replica stays single-AZ (it is itself the redundancy); the promoted primary gets a synchronous standby.
            multiAz: mode === "active",
            // Backups on the replica: at promotion it is already a protected primary with point-in-time recovery.
            backupRetentionPeriod: args.backupRetentionDays ?? 7,
            copyTagsToSnapshot: true,
            deletionProtection: protect,
            // As the prod primary: deleting the (promoted) database must not take its automated backups with it.
            deleteAutomatedBackups: !protect,
            // RDS refuses a final snapshot of a read replica: destroying a standby replica is a deliberate two-step change.
            skipFinalSnapshot: !protect,
            finalSnapshotIdentifier: protect ? physical("database", "final") : undefined,
            parameterGroupName: parameters.name,
            iamDatabaseAuthenticationEnabled: true,
            performanceInsightsEnabled: true,
            performanceInsightsKmsKeyId: databaseKey.arn,
            autoMinorVersionUpgrade: true,
            // A failover must not wait for the maintenance window.
            applyImmediately: mode === "active",
            monitoringInterval: args.monitoringIntervalSeconds ?? DEFAULTS.data.postgres.monitoringIntervalSeconds,
            monitoringRoleArn: monitoring.monitoringRole.arn,
            enabledCloudwatchLogsExports: [...POSTGRES_LOG_EXPORTS],
            // No password of its own in either mode: say where the inherited credential lives (policy no-plaintext-passwords).
            tags: { [MASTER_CREDENTIAL_TAG]: args.masterSecretArn },
        },
        { parent, dependsOn: [...monitoring.logGroups, monitoring.monitoringPolicy] },
    );
    if (args.socDestinationArn) {
        monitoring.logGroups.forEach((group, i) => {
            new aws.cloudwatch.LogSubscriptionFilter(
                `${name}-database-soc-${i}`,
                { logGroup: group.name, destinationArn: args.socDestinationArn!, filterPattern: "", distribution: "ByLogStream" },
                { parent },
            );
        });
    }
    return { database, databaseKey, clients, logGroupNames: monitoring.logGroups.map((g) => g.name) };
}
