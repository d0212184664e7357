/**
 * Documents step: a versioned SSE-KMS bucket in the DR region under a DR-region CMK, fed by S3
 * Cross-Region Replication with Replication Time Control from the prod documents bucket.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { allow, policyJson, trust, viaService } from "../../model/iam";
import { DEFAULTS } from "../../model/defaults";
import { accountBucketName, stackResourceName } from "../../model/names";
import { createAccessLogBucket } from "../security/accessLogBucket";
import { CustomerKey } from "../security/customerKey";
import { SecureBucket } from "../security/secureBucket";
import { sourceVpceDeny } from "../../model/endpointPolicies";
import { DrReplicaArgs } from "./drReplicaArgs";
import { PrimaryReads } from "./primaryReads";

/** Id of the replication rule (also a dimension of the S3 replication metrics). */
export const REPLICATION_RULE_ID = "documents-to-dr";
/** Prefix of the DR documents bucket's server access logs in its log bucket. */
export const DR_DOCUMENTS_ACCESS_LOG_PREFIX = "s3-access/documents/";

export interface DocumentsReplicationArgs extends Pick<
    DrReplicaArgs,
    "primaryStack" | "primaryRegion" | "region" | "accountId" | "primaryProvider" | "s3GatewayEndpointId"
> {
    /** The stack name: the prefix of physical names. */
    readonly stack: string;
    /** The stem of the DR bucket's name (checked before anything registers); the account id is appended to it. */
    readonly documentsBucketName: string;
    /** The prod documents bucket and its key. */
    readonly primary: Pick<PrimaryReads, "documentsBucketName" | "documentsBucketArn" | "documentsKeyArn">;
}

export interface DocumentsReplication {
    readonly documents: SecureBucket;
    readonly documentsKey: CustomerKey;
    /** The role S3 replicates with. */
    readonly role: aws.iam.Role;
}

export function createDocumentsReplication(parent: pulumi.ComponentResource, name: string, args: DocumentsReplicationArgs): DocumentsReplication {
    const { primary } = args;
    const physical = (...parts: string[]) => stackResourceName(args.stack, ...parts);
    const documentsKey = new CustomerKey(
        `${name}-documents-key`,
        { description: `Encrypts the DR copy of ${args.primaryStack}'s documents (${args.region})`, purpose: "documents", accountId: args.accountId },
        { parent },
    );
    // Versioned (CRR requires it on both sides), SSE-KMS with the DR key, public access blocked, TLS only.
    // Bucket names are global: the account id keeps anyone else from holding this one first (issue #11 finding 15).
    const bucketName = pulumi.output(args.accountId).apply((accountId) => `${args.documentsBucketName}-${accountId}`);
    // Server access logs of the DR copy (once promoted it is the documents store), in the DR region like their source.
    const accessLogs = createAccessLogBucket(parent, `${name}-documents-access-logs`, {
        bucketName: pulumi.output(args.accountId).apply((id) => accountBucketName(args.stack, "documents-access-logs", id)),
        accountId: args.accountId,
        sources: [{ bucketName, prefix: DR_DOCUMENTS_ACCESS_LOG_PREFIX }],
        retentionDays: DEFAULTS.data.documents.accessLogRetentionDays,
    });
    const documents = new SecureBucket(
        `${name}-documents`,
        {
            bucketName,
            keyArn: documentsKey.arn,
            accessLogs: { bucket: accessLogs.target, prefix: DR_DOCUMENTS_ACCESS_LOG_PREFIX },
            // Once promoted it is the documents store: the same network condition as prod's (components/data/documentStore.ts).
            // S3 writes the replicas with s3:ReplicateObject/ReplicateDelete, which the deny does not list.
            ...(args.s3GatewayEndpointId === undefined
                ? {}
                : {
                      policyStatements: (arn: string) => pulumi.output(args.s3GatewayEndpointId!).apply((id) => [sourceVpceDeny(arn, [id], [])]),
                      policyDependencies: [args.s3GatewayEndpointId],
                  }),
        },
        { parent },
    );

    // Least privilege: read the two named source ARNs, write the two named destination ARNs, each key only through S3 in its region.
    const role = new aws.iam.Role(
        `${name}-replication`,
        {
            name: physical("documents", "replication"),
            description: "S3 replicates the prod documents bucket into the DR bucket",
            assumeRolePolicy: policyJson([trust({ Service: "s3.amazonaws.com" })]),
        },
        { parent },
    );
    new aws.iam.RolePolicy(
        `${name}-replication`,
        {
            role: role.id,
            policy: pulumi
                .all([primary.documentsBucketArn, primary.documentsKeyArn, documents.bucketArn, documentsKey.arn])
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
        { parent },
    );
    // Owned by dr, applied to the prod bucket in the primary region; identical in both modes so a failover never touches the primary region.
    new aws.s3.BucketReplicationConfig(
        `${name}-documents`,
        {
            bucket: primary.documentsBucketName,
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
        { parent, provider: args.primaryProvider, dependsOn: [documents.versioning] },
    );
    return { documents, documentsKey, role };
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
