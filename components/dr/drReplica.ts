import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DrMode, secretReplicaFor } from "../../model/drConfig";
import { allow, policyJson, trust, viaService } from "../../model/iam";
import { bucketNameProblem, stackResourceName } from "../../model/names";
import { POSTGRES_PORT } from "../../model/ports";
import { PrimaryOutputValues, REQUIRED_PRIMARY_OUTPUTS, RequiredPrimaryOutput } from "../../model/primaryOutputs";
import { validateArgs } from "../argErrors";
import { CustomerKey } from "../security/customerKey";
import { SecureBucket } from "../security/secureBucket";
import { DEFAULTS } from "../../model/defaults";

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
}

/** What the dr stack reads from the primary stack: the outputs model/primaryOutputs.ts marks as read by dr. */
export type PrimaryReads = { readonly [K in RequiredPrimaryOutput]: pulumi.Output<PrimaryOutputValues[K]> };

/** Tag naming the secret that holds a database's inherited master credential (read by policy no-plaintext-passwords). */
export const MASTER_CREDENTIAL_TAG = "hybrid-platform/master-credential";

/** Id of the replication rule (also a dimension of the S3 replication metrics). */
export const REPLICATION_RULE_ID = "documents-to-dr";

/**
 * The data half of the warm standby (seed 3): reads the primary stack (one way), and keeps in the
 * DR region an encrypted cross-region read replica of the prod database and a versioned, SSE-KMS
 * copy of the documents bucket (S3 CRR with Replication Time Control), each under a DR-region CMK,
 * with alarms that fire well before the RPO is lost. In `active` mode the replica is promoted
 * (no replicateSourceDb) to a Multi-AZ primary; nothing in the primary region changes, so the
 * switch works while the primary region is down.
 */
export class DrReplica extends pulumi.ComponentResource {
    /** The primary stack's outputs, as this stack reads them. */
    readonly primary: PrimaryReads;
    readonly databaseIdentifier: pulumi.Output<string>;
    readonly databaseArn: pulumi.Output<string>;
    readonly databaseEndpoint: pulumi.Output<string>;
    /** Host name of the DR database (no port): what the application's DATABASE_HOST takes. */
    readonly databaseAddress: pulumi.Output<string>;
    readonly databaseKeyArn: pulumi.Output<string>;
    /** This region's replica of prod's master secret: the credentials the replica inherits (read-only while prod rotates it). */
    readonly databaseSecretArn: pulumi.Output<string>;
    /** The CMK (owned by prod, in this region) that encrypts that replica. */
    readonly databaseSecretKeyArn: pulumi.Output<string>;
    /** Security group the database admits: attach it to the DR worker nodes (AppCluster `data.clientSecurityGroupId`). */
    readonly clientSecurityGroupId: pulumi.Output<string>;
    readonly documentsBucketName: pulumi.Output<string>;
    readonly documentsBucketArn: pulumi.Output<string>;
    readonly documentsKeyArn: pulumi.Output<string>;
    readonly replicationRoleArn: pulumi.Output<string>;
    readonly replicationRuleId: string;

    constructor(name: string, args: DrReplicaArgs, opts?: pulumi.ComponentResourceOptions) {
        const stack = pulumi.getStack();
        const documentsBucketName = stackResourceName(stack, "documents", args.region);
        validateArgs(`DrReplica ${name}`, (e) => {
            e.check(args.primaryStack.trim() !== "", "primaryStack", "must name the primary stack");
            e.check(args.primaryRegion !== args.region, "primaryRegion", `${args.primaryRegion} is this stack's region too; DR needs a second region`);
            e.atLeast(args.isolatedSubnetIds, 2, "isolatedSubnetIds", "subnets (a promoted Multi-AZ primary spans two AZs)");
            e.check(
                args.databaseParameterGroupFamily === undefined || /^postgres\d+$/.test(args.databaseParameterGroupFamily),
                "databaseParameterGroupFamily",
                `${args.databaseParameterGroupFamily} is not a family such as postgres16`,
            );
            e.check(
                args.databaseInstanceClass === undefined || /^db\.[a-z0-9]+\.[a-z0-9]+$/.test(args.databaseInstanceClass),
                "databaseInstanceClass",
                `${args.databaseInstanceClass} is not an RDS instance class such as db.m5.xlarge`,
            );
            e.integer(args.backupRetentionDays, 1, 35, "backupRetentionDays");
            e.integer(args.replicaLagAlarmSeconds, 1, 86400, "replicaLagAlarmSeconds");
            e.integer(args.replicationLatencyAlarmSeconds, 1, 86400, "replicationLatencyAlarmSeconds");
            const problem = bucketNameProblem(documentsBucketName);
            e.check(problem === undefined, "region", `makes the DR bucket name ${documentsBucketName}, which ${problem}`);
        });
        super("hybrid:dr:DrReplica", name, {}, opts);
        const mode = args.mode ?? DEFAULTS.drMode;
        const protect = args.deletionProtection ?? true;
        const physical = (...parts: string[]) => stackResourceName(stack, ...parts);
        const onPrimary = { parent: this, provider: args.primaryProvider };

        const ref = new pulumi.StackReference(`${name}-primary`, { name: args.primaryStack }, { parent: this });
        // Exactly the outputs the contract says dr reads: adding one there adds it here.
        this.primary = Object.fromEntries(REQUIRED_PRIMARY_OUTPUTS.map((key) => [key, ref.requireOutput(key)])) as unknown as PrimaryReads;

        // The replica inherits prod's master password; prod replicates its secret here (data.postgres.secretReplicaRegions).
        const secretReplica = this.primary.databaseSecretReplicas.apply((replicas) => {
            try {
                return secretReplicaFor(replicas, args.region, args.primaryStack);
            } catch (e) {
                throw new pulumi.ResourceError(`DrReplica ${name}: ${(e as Error).message}`, this);
            }
        });
        this.databaseSecretArn = secretReplica.secretArn;
        this.databaseSecretKeyArn = secretReplica.keyArn;

        // ---- Database: cross-region read replica, promoted in active mode ----
        const databaseKey = new CustomerKey(
            `${name}-database-key`,
            { description: `Encrypts the DR database replica of ${args.primaryStack} (${args.region})`, purpose: "database", accountId: args.accountId },
            { parent: this },
        );
        const subnets = new aws.rds.SubnetGroup(
            `${name}-database`,
            { name: physical("database"), description: "DR database: isolated subnets only", subnetIds: args.isolatedSubnetIds },
            { parent: this },
        );
        // Members of the client group (the AppCluster's worker nodes) reach the database; nothing else does.
        const clients = new aws.ec2.SecurityGroup(
            `${name}-clients`,
            { vpcId: args.vpcId, description: "DR data clients: attach to what may reach the DR database", revokeRulesOnDelete: true },
            { parent: this },
        );
        // No inline rules (the provider then removes AWS's default allow-all egress): the one rule is its own resource, as everywhere else.
        const dbSecurityGroup = new aws.ec2.SecurityGroup(
            `${name}-database`,
            { vpcId: args.vpcId, description: "DR PostgreSQL: reachable from the data client group only", revokeRulesOnDelete: true },
            { parent: this },
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
            { parent: this },
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
            { parent: this },
        );
        const database = new aws.rds.Instance(
            `${name}-database`,
            {
                identifier: physical("database"),
                // Standby: asynchronous cross-region replication from the prod primary (seed 1.3, 3.2).
                // Active: no source, which promotes the replica to a standalone primary.
                replicateSourceDb: mode === "standby" ? this.primary.databaseArn : undefined,
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
                // No password of its own in either mode: say where the inherited credential lives (policy no-plaintext-passwords).
                tags: { [MASTER_CREDENTIAL_TAG]: this.databaseSecretArn },
            },
            { parent: this },
        );

        // ---- Documents: versioned SSE-KMS bucket fed by S3 Cross-Region Replication ----
        const documentsKey = new CustomerKey(
            `${name}-documents-key`,
            { description: `Encrypts the DR copy of ${args.primaryStack}'s documents (${args.region})`, purpose: "documents", accountId: args.accountId },
            { parent: this },
        );
        // Versioned (CRR requires it on both sides), SSE-KMS with the DR key, public access blocked, TLS only.
        const documents = new SecureBucket(`${name}-documents`, { bucketName: documentsBucketName, keyArn: documentsKey.arn }, { parent: this });

        // Least privilege: read the two named source ARNs, write the two named destination ARNs, each key only through S3 in its region.
        const role = new aws.iam.Role(
            `${name}-replication`,
            {
                name: physical("documents", "replication"),
                description: "S3 replicates the prod documents bucket into the DR bucket",
                assumeRolePolicy: policyJson([trust({ Service: "s3.amazonaws.com" })]),
            },
            { parent: this },
        );
        new aws.iam.RolePolicy(
            `${name}-replication`,
            {
                role: role.id,
                policy: pulumi
                    .all([this.primary.documentsBucketArn, this.primary.documentsKeyArn, documents.bucketArn, documentsKey.arn])
                    .apply(([sourceArn, sourceKeyArn, destinationArn, destinationKeyArn]) =>
                        replicationPolicy({
                            sourceArn,
                            sourceKeyArn,
                            destinationArn,
                            destinationKeyArn,
                            sourceRegion: args.primaryRegion,
                            destinationRegion: args.region,
                        }),
                    ),
            },
            { parent: this },
        );
        const latency = args.replicationLatencyAlarmSeconds ?? DEFAULTS.dr.replicationLatencyAlarmSeconds;
        // Owned by dr, applied to the prod bucket in the primary region; identical in both modes so a failover never touches the primary region.
        new aws.s3.BucketReplicationConfig(
            `${name}-documents`,
            {
                bucket: this.primary.documentsBucketName,
                role: role.arn,
                rules: [
                    {
                        id: REPLICATION_RULE_ID,
                        status: "Enabled",
                        priority: 1,
                        filter: {},
                        deleteMarkerReplication: { status: "Enabled" },
                        sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
                        destination: {
                            bucket: documents.bucketArn,
                            storageClass: "STANDARD",
                            encryptionConfiguration: { replicaKmsKeyId: documentsKey.arn },
                            // RTC: 99.99% of objects within 15 minutes, with metrics to prove it (the RPO).
                            replicationTime: { status: "Enabled", time: { minutes: 15 } },
                            metrics: { status: "Enabled", eventThreshold: { minutes: 15 } },
                        },
                    },
                ],
            },
            { ...onPrimary, dependsOn: [documents.versioning] },
        );

        // ---- RPO guards ----
        if (mode === "standby") {
            // A promoted primary has no lag; in standby, a missing metric means replication is broken.
            new aws.cloudwatch.MetricAlarm(
                `${name}-replica-lag`,
                {
                    name: physical("database", "replica-lag"),
                    alarmDescription: `DR replica lag over ${args.replicaLagAlarmSeconds ?? DEFAULTS.dr.replicaLagAlarmSeconds} s: the RPO is at risk`,
                    namespace: "AWS/RDS",
                    metricName: "ReplicaLag",
                    dimensions: { DBInstanceIdentifier: database.identifier },
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
                { parent: this },
            );
        }
        const s3Dimensions = { SourceBucket: this.primary.documentsBucketName, DestinationBucket: documents.bucketName, RuleId: REPLICATION_RULE_ID };
        new aws.cloudwatch.MetricAlarm(
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
        new aws.cloudwatch.MetricAlarm(
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

        this.databaseIdentifier = database.identifier;
        this.databaseArn = database.arn;
        this.databaseEndpoint = database.endpoint;
        this.databaseAddress = database.address;
        this.databaseKeyArn = databaseKey.arn;
        this.clientSecurityGroupId = clients.id;
        this.documentsBucketName = documents.bucketName;
        this.documentsBucketArn = documents.bucketArn;
        this.documentsKeyArn = documentsKey.arn;
        this.replicationRoleArn = role.arn;
        this.replicationRuleId = REPLICATION_RULE_ID;
        this.registerOutputs({
            databaseSecretArn: this.databaseSecretArn,
            databaseIdentifier: this.databaseIdentifier,
            databaseArn: this.databaseArn,
            databaseEndpoint: this.databaseEndpoint,
            documentsBucketName: this.documentsBucketName,
            replicationRoleArn: this.replicationRoleArn,
        });
    }
}

/** The replication role's policy: only the two buckets and the two keys, each key only via S3 in its own region. */
export function replicationPolicy(a: {
    sourceArn: string;
    sourceKeyArn: string;
    destinationArn: string;
    destinationKeyArn: string;
    sourceRegion: string;
    destinationRegion: string;
}): string {
    return policyJson([
        allow("ReadSourceConfiguration", ["s3:GetReplicationConfiguration", "s3:ListBucket"], [a.sourceArn]),
        allow("ReadSourceVersions", ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"], [`${a.sourceArn}/*`]),
        allow("WriteReplicas", ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"], [`${a.destinationArn}/*`]),
        allow("DecryptSource", ["kms:Decrypt"], [a.sourceKeyArn], viaService("s3", a.sourceRegion)),
        allow("EncryptReplicas", ["kms:Encrypt", "kms:GenerateDataKey"], [a.destinationKeyArn], viaService("s3", a.destinationRegion)),
    ]);
}
