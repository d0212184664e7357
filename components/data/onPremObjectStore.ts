import * as aws from "@pulumi/aws";
import * as minio from "@pulumi/minio";
import * as pulumi from "@pulumi/pulumi";
import { allow, policyJson, trust } from "../../model/iam";
import { bucketNameProblem, stackResourceName } from "../../model/names";
import { validateArgs } from "../argErrors";
import { DEFAULTS } from "../../model/defaults";

export interface OnPremObjectStoreArgs {
    /** MinIO API "host:port" (TLS; no scheme). Required. */
    readonly endpoint: string;
    /** MinIO user that provisions the bucket. Required. */
    readonly user: string;
    /** That user's password: a secret from config. Required. */
    readonly password: pulumi.Input<string>;
    /** Region MinIO reports. @default us-east-1 */
    readonly region?: string;
    /** Bucket name on MinIO, following S3's naming rules (3-63 lowercase letters, digits, hyphens, dots). @default hybrid-platform-<stack>-documents */
    readonly bucket?: string;
    /** Days MinIO keeps superseded versions, at least 1. @default 90 */
    readonly noncurrentVersionExpirationDays?: number;
    /** The S3 documents bucket the sync agent writes to. Required. */
    readonly documentsBucketArn: pulumi.Input<string>;
    /** Its CMK (the agent needs to generate data keys). Required. */
    readonly documentsKeyArn: pulumi.Input<string>;
    /** The stack's account (stacks/platform.ts looks it up once): the sync role's trust is scoped to it. Required. */
    readonly accountId: pulumi.Input<string>;
    /** Prefix of the documents bucket the agent may write: not empty, ending in "/", no wildcard. @default onprem/ */
    readonly syncPrefix?: string;
    /**
     * PEM CA bundle that issues the sync agent's certificate (IAM Roles Anywhere trust anchor). Required.
     * @see https://docs.aws.amazon.com/rolesanywhere/latest/userguide/trust-model.html
     */
    readonly syncAgentCaCertificate: string;
    /** CN the agent's certificate must carry. Required. */
    readonly syncAgentCommonName: string;
    /** Tags for the AWS resources. @default none */
    readonly tags?: Record<string, string>;
}

/**
 * The on-prem S3-compatible store (seed 1.3: "MinIO ... for local access and sync"): a versioned
 * MinIO bucket with noncurrent versions aged out, a read-only MinIO policy and group for the
 * sync agent, and the AWS side of the sync path: an IAM Roles Anywhere trust anchor and
 * profile so the on-prem agent (e.g. `mc mirror --watch` or rclone) gets short-lived AWS
 * credentials from its X.509 certificate, for a role that may write only its prefix of the
 * documents bucket. No long-lived AWS key exists on-prem.
 */
export class OnPremObjectStore extends pulumi.ComponentResource {
    readonly bucketName: pulumi.Output<string>;
    readonly syncRoleArn: pulumi.Output<string>;
    readonly syncProfileArn: pulumi.Output<string>;
    readonly trustAnchorArn: pulumi.Output<string>;

    constructor(name: string, args: OnPremObjectStoreArgs, opts?: pulumi.ComponentResourceOptions) {
        const prefix = args.syncPrefix ?? DEFAULTS.data.onPremObjectStore.syncPrefix;
        const bucketName = args.bucket ?? stackResourceName(pulumi.getStack(), "documents");
        validateArgs(`OnPremObjectStore ${name}`, (e) => {
            e.check(/^[A-Za-z0-9.-]+(:\d{1,5})?$/.test(args.endpoint), "endpoint", `${args.endpoint} is not host:port (TLS is implied; no scheme)`);
            e.check(args.user.trim() !== "", "user", "must name the MinIO user");
            const problem = bucketNameProblem(bucketName);
            e.check(problem === undefined, "bucket", `${bucketName} ${problem}`);
            e.integer(args.noncurrentVersionExpirationDays, 1, 36500, "noncurrentVersionExpirationDays");
            e.check(
                prefix.length > 1 && prefix.endsWith("/") && !prefix.startsWith("/") && !/[*?]/.test(prefix),
                "syncPrefix",
                `${prefix} is not a key prefix such as onprem/ (not empty, ending in "/", no wildcard)`,
            );
            e.check(args.syncAgentCaCertificate.includes("-----BEGIN CERTIFICATE-----"), "syncAgentCaCertificate", "is not a PEM certificate bundle");
            e.check(args.syncAgentCommonName.trim() !== "", "syncAgentCommonName", "must name the agent's certificate CN");
        });
        super("hybrid:data:OnPremObjectStore", name, {}, opts);
        const tags = args.tags ?? {};

        // Its own provider: MinIO is a different API than AWS, credentials from secret config only.
        const provider = new minio.Provider(
            `${name}-minio`,
            {
                minioServer: args.endpoint,
                minioUser: args.user,
                minioPassword: pulumi.secret(args.password),
                minioRegion: args.region ?? DEFAULTS.data.onPremObjectStore.region,
                minioSsl: true,
                minioInsecure: false,
            },
            { parent: this },
        );
        const onPrem = { parent: this, provider };
        const bucket = new minio.S3Bucket(name, { bucket: bucketName, acl: "private", forceDestroy: false }, onPrem);
        const versioning = new minio.S3BucketVersioning(name, { bucket: bucket.bucket, versioningConfiguration: { status: "Enabled" } }, onPrem);
        new minio.IlmPolicy(
            name,
            {
                bucket: bucket.bucket,
                rules: [
                    {
                        id: "expire-noncurrent-versions",
                        status: "Enabled",
                        noncurrentVersionExpirationDays:
                            args.noncurrentVersionExpirationDays ?? DEFAULTS.data.onPremObjectStore.noncurrentVersionExpirationDays,
                    },
                ],
            },
            { ...onPrem, dependsOn: [versioning] },
        );
        const readPolicy = new minio.IamPolicy(
            `${name}-sync-read`,
            {
                name: `${bucketName}-sync-read`,
                policy: policyJson([
                    { Effect: "Allow", Action: ["s3:ListBucket", "s3:GetBucketLocation", "s3:ListBucketVersions"], Resource: [`arn:aws:s3:::${bucketName}`] },
                    { Effect: "Allow", Action: ["s3:GetObject", "s3:GetObjectVersion"], Resource: [`arn:aws:s3:::${bucketName}/*`] },
                ]),
            },
            onPrem,
        );
        // Operators add the agent's (directory-backed) MinIO identity to this group; no MinIO secret is minted here.
        const group = new minio.IamGroup(`${name}-sync`, { name: `${bucketName}-sync` }, onPrem);
        new minio.IamGroupPolicyAttachment(`${name}-sync-read`, { groupName: group.name, policyName: readPolicy.name }, onPrem);

        const child = { parent: this };
        const anchor = new aws.rolesanywhere.TrustAnchor(
            `${name}-sync`,
            {
                name: `${bucketName}-sync`,
                enabled: true,
                source: { sourceType: "CERTIFICATE_BUNDLE", sourceData: { x509CertificateData: args.syncAgentCaCertificate } },
                tags,
            },
            child,
        );
        const account = pulumi.output(args.accountId);
        const role = new aws.iam.Role(
            `${name}-sync`,
            {
                description: `On-prem MinIO sync agent: writes ${prefix} of the documents bucket`,
                maxSessionDuration: 3600,
                assumeRolePolicy: pulumi.all([anchor.arn, account]).apply(([anchorArn, accountId]) =>
                    policyJson([
                        trust({ Service: "rolesanywhere.amazonaws.com" }, ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"], {
                            ArnEquals: { "aws:SourceArn": anchorArn },
                            StringEquals: { "aws:SourceAccount": accountId, "aws:PrincipalTag/x509Subject/CN": args.syncAgentCommonName },
                        }),
                    ]),
                ),
                tags,
            },
            child,
        );
        new aws.iam.RolePolicy(
            `${name}-sync`,
            {
                role: role.id,
                policy: pulumi
                    .all([args.documentsBucketArn, args.documentsKeyArn])
                    .apply(([bucketArn, keyArn]) =>
                        policyJson([
                            allow("ListOwnPrefix", "s3:ListBucket", bucketArn, { StringLike: { "s3:prefix": [`${prefix}*`] } }),
                            allow("SyncOwnPrefix", ["s3:PutObject", "s3:GetObject", "s3:AbortMultipartUpload"], `${bucketArn}/${prefix}*`),
                            allow("UseDocumentsKey", ["kms:GenerateDataKey", "kms:Decrypt"], keyArn),
                        ]),
                    ),
            },
            child,
        );
        const profile = new aws.rolesanywhere.Profile(
            `${name}-sync`,
            { name: `${bucketName}-sync`, enabled: true, roleArns: [role.arn], durationSeconds: 3600, tags },
            child,
        );

        this.bucketName = bucket.bucket;
        this.syncRoleArn = role.arn;
        this.syncProfileArn = profile.arn;
        this.trustAnchorArn = anchor.arn;
        this.registerOutputs({
            bucketName: this.bucketName,
            syncRoleArn: this.syncRoleArn,
            syncProfileArn: this.syncProfileArn,
            trustAnchorArn: this.trustAnchorArn,
        });
    }
}
