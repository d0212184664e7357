import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DrMode, SecretReplicaOutput, secretReplicaFor } from "../../model/drConfig";
import { CustomerKey } from "../security/customerKey";
import { SecureBucket } from "../security/secureBucket";
import { DEFAULTS } from "../../model/defaults";

export interface DrReplicaArgs {
    /** StackReference name of the primary stack ("prod" or "org/hybrid-platform/prod"). Required. */
    readonly primaryStack: string;
    /** The primary stack's region (where the source database and bucket live). Required. */
    readonly primaryRegion: string;
    /** This (DR) stack's region. Required. */
    readonly region: string;
    /** AWS provider for the primary region: the replication configuration lives on the primary bucket. Required. */
    readonly primaryProvider: aws.Provider;
    /** standby: the database is a cross-region read replica; active: promoted (standalone, Multi-AZ). Default standby. */
    readonly mode?: DrMode;
    /** DR VPC. Required. */
    readonly vpcId: pulumi.Input<string>;
    /** Isolated (data) subnets of the DR VPC for the database. Required. */
    readonly isolatedSubnetIds: pulumi.Input<string>[];
    /** Instance class of the DR database. Default db.m5.xlarge (the prod class: a promoted replica carries prod load). */
    readonly databaseInstanceClass?: string;
    /** Parameter group family of the prod engine version (a replica runs the source's version). Default postgres16. */
    readonly databaseParameterGroupFamily?: string;
    /** Deletion protection and final snapshots. Default true (production). */
    readonly deletionProtection?: boolean;
    /** Days of automated backups on the DR database (so a promoted replica is a protected primary). Default 7. */
    readonly backupRetentionDays?: number;
    /** Alarm threshold on RDS ReplicaLag, seconds. Default 300. */
    readonly replicaLagAlarmSeconds?: number;
    /** Alarm threshold on S3 ReplicationLatency, seconds (also the RTC metrics event threshold cap). Default 600. */
    readonly replicationLatencyAlarmSeconds?: number;
    /** SNS topic in the DR region for the database alarms. Required. */
    readonly alarmTopicArn: pulumi.Input<string>;
    /** SNS topic in the primary region for the S3 replication alarms (S3 publishes replication metrics in the source region). Required. */
    readonly primaryAlarmTopicArn: pulumi.Input<string>;
}

/** What the dr stack reads from the primary stack (see model/drConfig.ts REQUIRED_PRIMARY_OUTPUTS). */
export interface PrimaryOutputs {
    readonly region: pulumi.Output<string>;
    readonly databaseArn: pulumi.Output<string>;
    /** Replicas of the master secret per region (prod's `databaseSecretReplicas`). */
    readonly databaseSecretReplicas: pulumi.Output<Record<string, SecretReplicaOutput>>;
    readonly documentsBucketName: pulumi.Output<string>;
    readonly documentsBucketArn: pulumi.Output<string>;
    readonly documentsKeyArn: pulumi.Output<string>;
    readonly albDnsName: pulumi.Output<string>;
    readonly albZoneId: pulumi.Output<string>;
}

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
    readonly primary: PrimaryOutputs;
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
    /** Security group the database admits: attach it to the DR worker nodes (AppCluster `dataAccess.clientSecurityGroupId`). */
    readonly clientSecurityGroupId: pulumi.Output<string>;
    readonly documentsBucketName: pulumi.Output<string>;
    readonly documentsBucketArn: pulumi.Output<string>;
    readonly documentsKeyArn: pulumi.Output<string>;
    readonly replicationRoleArn: pulumi.Output<string>;
    readonly replicationRuleId: string;

    constructor(name: string, args: DrReplicaArgs, opts?: pulumi.ComponentResourceOptions) {
        super("hybrid:dr:DrReplica", name, {}, opts);
        const mode = args.mode ?? DEFAULTS.drMode;
        const protect = args.deletionProtection ?? true;
        const prefix = `${pulumi.getProject()}-${pulumi.getStack()}`;
        const onPrimary = { parent: this, provider: args.primaryProvider };

        const ref = new pulumi.StackReference(`${name}-primary`, { name: args.primaryStack }, { parent: this });
        const read = (key: string) => ref.requireOutput(key) as pulumi.Output<string>;
        this.primary = {
            region: read("region"),
            databaseArn: read("databaseArn"),
            databaseSecretReplicas: ref.requireOutput("databaseSecretReplicas") as pulumi.Output<Record<string, SecretReplicaOutput>>,
            documentsBucketName: read("documentsBucketName"),
            documentsBucketArn: read("documentsBucketArn"),
            documentsKeyArn: read("documentsKeyArn"),
            albDnsName: read("albDnsName"),
            albZoneId: read("albZoneId"),
        };

        // The replica inherits prod's master password; prod replicates its secret here (data.postgres.secretReplicaRegions).
        const secretReplica = this.primary.databaseSecretReplicas.apply((replicas) => secretReplicaFor(replicas, args.region, args.primaryStack));
        this.databaseSecretArn = secretReplica.secretArn;
        this.databaseSecretKeyArn = secretReplica.keyArn;

        // ---- Database: cross-region read replica, promoted in active mode ----
        const databaseKey = new CustomerKey(`${name}-database-key`, { description: `Encrypts the DR database replica of ${args.primaryStack} (${args.region})`, alias: `${prefix}-database` }, { parent: this });
        const subnets = new aws.rds.SubnetGroup(`${name}-database`, { name: `${prefix}-database`, description: "DR database: isolated subnets only", subnetIds: args.isolatedSubnetIds }, { parent: this });
        // Members of the client group (the AppCluster's worker nodes) reach the database; nothing else does.
        const clients = new aws.ec2.SecurityGroup(
            `${name}-clients`,
            { vpcId: args.vpcId, description: "DR data clients: attach to what may reach the DR database", egress: [], revokeRulesOnDelete: true },
            { parent: this },
        );
        const dbSecurityGroup = new aws.ec2.SecurityGroup(
            `${name}-database`,
            {
                vpcId: args.vpcId,
                description: "DR PostgreSQL: reachable from the data client group only",
                ingress: [{ protocol: "tcp", fromPort: 5432, toPort: 5432, securityGroups: [clients.id], description: "PostgreSQL from the application tier" }],
                egress: [],
                revokeRulesOnDelete: true,
            },
            { parent: this },
        );
        // The replica's engine version is the source's: the family must match prod's (config databaseParameterGroupFamily).
        const parameters = new aws.rds.ParameterGroup(
            `${name}-database`,
            {
                name: `${prefix}-database`,
                family: args.databaseParameterGroupFamily ?? DEFAULTS.dr.databaseParameterGroupFamily,
                description: "DR PostgreSQL: TLS only",
                parameters: [{ name: "rds.force_ssl", value: "1", applyMethod: "pending-reboot" }],
            },
            { parent: this },
        );
        const database = new aws.rds.Instance(
            `${name}-database`,
            {
                identifier: `${prefix}-database`,
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
                finalSnapshotIdentifier: protect ? `${prefix}-database-final` : undefined,
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
        const documentsKey = new CustomerKey(`${name}-documents-key`, { description: `Encrypts the DR copy of ${args.primaryStack}'s documents (${args.region})`, alias: `${prefix}-documents` }, { parent: this });
        // Versioned (CRR requires it on both sides), SSE-KMS with the DR key, public access blocked, TLS only.
        const documents = new SecureBucket(`${name}-documents`, { bucketName: `${prefix}-documents-${args.region}`, keyArn: documentsKey.arn }, { parent: this });

        // Least privilege: read the two named source ARNs, write the two named destination ARNs, each key only through S3 in its region.
        const role = new aws.iam.Role(
            `${name}-replication`,
            {
                name: `${prefix}-documents-replication`,
                description: "S3 replicates the prod documents bucket into the DR bucket",
                assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "s3.amazonaws.com" }, Action: "sts:AssumeRole" }] }),
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
                        replicationPolicy({ sourceArn, sourceKeyArn, destinationArn, destinationKeyArn, sourceRegion: args.primaryRegion, destinationRegion: args.region }),
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
                    name: `${prefix}-database-replica-lag`,
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
                name: `${prefix}-documents-replication-latency`,
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
                name: `${prefix}-documents-replication-failures`,
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
export function replicationPolicy(a: { sourceArn: string; sourceKeyArn: string; destinationArn: string; destinationKeyArn: string; sourceRegion: string; destinationRegion: string }): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            { Sid: "ReadSourceConfiguration", Effect: "Allow", Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"], Resource: [a.sourceArn] },
            { Sid: "ReadSourceVersions", Effect: "Allow", Action: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"], Resource: [`${a.sourceArn}/*`] },
            { Sid: "WriteReplicas", Effect: "Allow", Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"], Resource: [`${a.destinationArn}/*`] },
            { Sid: "DecryptSource", Effect: "Allow", Action: ["kms:Decrypt"], Resource: [a.sourceKeyArn], Condition: { StringEquals: { "kms:ViaService": `s3.${a.sourceRegion}.amazonaws.com` } } },
            { Sid: "EncryptReplicas", Effect: "Allow", Action: ["kms:Encrypt", "kms:GenerateDataKey"], Resource: [a.destinationKeyArn], Condition: { StringEquals: { "kms:ViaService": `s3.${a.destinationRegion}.amazonaws.com` } } },
        ],
    });
}
