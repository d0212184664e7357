/**
 * The audit trail's second copy (seed 4.3, 9): S3 Cross-Region Replication of the trail bucket into a bucket in
 * the DR region under Object Lock COMPLIANCE mode (no user, the root user included, can delete a file or shorten
 * its retention), encrypted with a CMK of that region, with its own access logs. Deletes are never replicated.
 * AWS replicates "locked objects and their retention metadata": a replica keeps the source file's mode and
 * retain-until date, and the copy's COMPLIANCE default covers only files that arrive without one. So the trail
 * bucket itself locks in COMPLIANCE (auditTrail.ts; policy audit-trail-cross-region-copy refuses GOVERNANCE there).
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-managing.html#object-lock-managing-replication
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { allow, policyJson, sourceAccount, trust, viaService } from "../../model/iam";
import { accountBucketName } from "../../model/names";
import { createAccessLogBucket } from "./accessLogBucket";
import { CustomerKey } from "./customerKey";
import { SecureBucket } from "./secureBucket";

/** Id of the replication rule of the trail bucket. */
export const AUDIT_COPY_RULE_ID = "audit-trail-to-copy";
const COPY_ACCESS_LOG_PREFIX = "s3-access/audit-trail-copy/";

export interface AuditCopyArgs {
    readonly stack: string;
    readonly account: pulumi.Output<string>;
    readonly sourceRegion: string;
    readonly copyRegion: string;
    /** The trail bucket (versioned; replication waits for its versioning). */
    readonly source: SecureBucket;
    readonly sourceKeyArn: pulumi.Input<string>;
    /** Days the copy's files are kept (as the source's). */
    readonly archiveDays: number;
    /** Days each file of the copy is under COMPLIANCE retention. */
    readonly complianceDays: number;
}

export interface AuditCopy {
    readonly bucket: SecureBucket;
    readonly key: CustomerKey;
    readonly role: aws.iam.Role;
}

export function createAuditCopy(parent: pulumi.ComponentResource, name: string, args: AuditCopyArgs): AuditCopy {
    const { stack, account } = args;
    const region = args.copyRegion;
    const key = new CustomerKey(
        `${name}-copy`,
        { description: `Second copy of the ${stack} audit trail (${region})`, purpose: `${name}-copy`, accountId: account, region },
        { parent },
    );
    const copyName = account.apply((id) => accountBucketName(stack, "audit-trail-copy", id));
    const accessLogs = createAccessLogBucket(parent, `${name}-copy-access-logs`, {
        bucketName: account.apply((id) => accountBucketName(stack, "audit-copy-access-logs", id)),
        accountId: account,
        region,
        sources: [{ bucketName: copyName, prefix: COPY_ACCESS_LOG_PREFIX }],
        retentionDays: args.archiveDays,
    });
    const bucket = new SecureBucket(
        `${name}-copy`,
        {
            bucketName: copyName,
            keyArn: key.arn,
            region,
            objectLock: { mode: "COMPLIANCE", days: args.complianceDays },
            accessLogs: { bucket: accessLogs.target, prefix: COPY_ACCESS_LOG_PREFIX },
            lifecycleRules: [
                {
                    id: "archive-then-expire",
                    status: "Enabled",
                    filter: {},
                    transitions: [{ days: 90, storageClass: "GLACIER" }],
                    expiration: { days: args.archiveDays },
                    noncurrentVersionExpiration: { noncurrentDays: 30 },
                },
            ],
        },
        { parent },
    );

    const role = new aws.iam.Role(
        `${name}-copy-replication`,
        {
            description: `S3 replicates the ${stack} audit trail into its second copy (${region})`,
            assumeRolePolicy: account.apply((id) => policyJson([trust({ Service: "s3.amazonaws.com" }, "sts:AssumeRole", sourceAccount(id))])),
        },
        { parent },
    );
    // Object Lock replication also reads the source's retention and legal hold; no ReplicateDelete: the copy never loses a file.
    const policy = new aws.iam.RolePolicy(
        `${name}-copy-replication`,
        {
            role: role.id,
            policy: pulumi
                .all([args.source.bucketArn, args.sourceKeyArn, bucket.bucketArn, key.arn])
                .apply(([sourceArn, sourceKeyArn, copyArn, copyKeyArn]) =>
                    policyJson([
                        allow("ReadSourceConfiguration", ["s3:GetReplicationConfiguration", "s3:ListBucket"], [sourceArn]),
                        allow(
                            "ReadSourceVersions",
                            [
                                "s3:GetObjectVersionForReplication",
                                "s3:GetObjectVersionAcl",
                                "s3:GetObjectVersionTagging",
                                "s3:GetObjectRetention",
                                "s3:GetObjectLegalHold",
                            ],
                            [`${sourceArn}/*`],
                        ),
                        allow("WriteCopies", ["s3:ReplicateObject", "s3:ReplicateTags"], [`${copyArn}/*`]),
                        allow("DecryptSource", ["kms:Decrypt"], [sourceKeyArn], viaService("s3", args.sourceRegion)),
                        allow("EncryptCopies", ["kms:Encrypt", "kms:GenerateDataKey"], [copyKeyArn], viaService("s3", region)),
                    ]),
                ),
        },
        { parent },
    );
    new aws.s3.BucketReplicationConfig(
        `${name}-copy`,
        {
            bucket: args.source.bucketName,
            role: role.arn,
            rules: [
                {
                    id: AUDIT_COPY_RULE_ID,
                    status: "Enabled",
                    priority: 1,
                    filter: {},
                    deleteMarkerReplication: { status: "Disabled" },
                    sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
                    destination: { bucket: bucket.bucketArn, storageClass: "STANDARD", encryptionConfiguration: { replicaKmsKeyId: key.arn } },
                },
            ],
        },
        { parent, dependsOn: [args.source.versioning, bucket.versioning, policy] },
    );
    return { bucket, key, role };
}
