import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** An AWS service that may use the key, with the conditions that scope it. */
export interface KeyServiceGrant {
    /** Service principal, e.g. "logs.eu-west-2.amazonaws.com". */
    readonly service: string;
    /** KMS actions granted. Default: encrypt, decrypt, re-encrypt, generate data key, describe. */
    readonly actions?: string[];
    /** IAM condition block scoping the grant (e.g. on kms:EncryptionContext). Default: aws:SourceAccount = this account. */
    readonly condition?: pulumi.Input<Record<string, unknown>>;
}

/** An IAM role of this account that must be named in the key policy (service-linked roles accept no customer IAM policy). */
export interface KeyRoleGrant {
    /** Role path and name after "role/", e.g. "aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling". */
    readonly roleName: string;
    /** KMS actions granted. Default: encrypt, decrypt, re-encrypt, generate data key, describe. */
    readonly actions?: string[];
    /** IAM condition block. Default none. */
    readonly condition?: Record<string, unknown>;
}

export interface CustomerKeyArgs {
    /** What the key protects; shown in the console and the audit trail. Required. */
    readonly description: string;
    /** Alias without the "alias/" prefix. Required. */
    readonly alias: string;
    /** AWS services that use the key directly (CloudWatch Logs, SNS...). Default: none, only IAM principals of the account. */
    readonly serviceGrants?: KeyServiceGrant[];
    /** Roles of this account named in the key policy (e.g. the EC2 Auto Scaling service-linked role for encrypted EBS). Default none. */
    readonly roleGrants?: KeyRoleGrant[];
    /** Days a deleted key stays recoverable. Default 30 (the maximum). */
    readonly deletionWindowInDays?: number;
    /** Tags for the key. Default none (provider default tags still apply). */
    readonly tags?: Record<string, string>;
    /** Region to create the key in. Default: the provider's region. */
    readonly region?: string;
}

const DEFAULT_ACTIONS = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"];

/**
 * A customer-managed KMS key (symmetric, AES-256-GCM) with yearly rotation and a key policy
 * that admits only this account's IAM (so access is granted by least-privilege IAM policies)
 * plus the named AWS services, each scoped to this account.
 */
export class CustomerKey extends pulumi.ComponentResource {
    readonly arn: pulumi.Output<string>;
    readonly keyId: pulumi.Output<string>;
    readonly aliasName: pulumi.Output<string>;

    constructor(name: string, args: CustomerKeyArgs, opts?: pulumi.ComponentResourceOptions) {
        super("hybrid:security:CustomerKey", name, {}, opts);
        const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
        const grants = args.serviceGrants ?? [];
        const conditions = pulumi.all(grants.map((g) => pulumi.output(g.condition)));
        const policy = pulumi.all([account, conditions]).apply(([accountId, conditions]) =>
            JSON.stringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Sid: "AccountAdministersKeyThroughIam",
                        Effect: "Allow",
                        Principal: { AWS: `arn:aws:iam::${accountId}:root` },
                        Action: "kms:*",
                        Resource: "*",
                    },
                    ...grants.map((grant, i) => ({
                        Sid: `Service${i}`,
                        Effect: "Allow",
                        Principal: { Service: grant.service },
                        Action: grant.actions ?? DEFAULT_ACTIONS,
                        Resource: "*",
                        Condition: conditions[i] ?? { StringEquals: { "aws:SourceAccount": accountId } },
                    })),
                    ...(args.roleGrants ?? []).map((grant, i) => ({
                        Sid: `Role${i}`,
                        Effect: "Allow",
                        Principal: { AWS: `arn:aws:iam::${accountId}:role/${grant.roleName}` },
                        Action: grant.actions ?? DEFAULT_ACTIONS,
                        Resource: "*",
                        ...(grant.condition ? { Condition: grant.condition } : {}),
                    })),
                ],
            }),
        );
        const key = new aws.kms.Key(
            name,
            {
                description: args.description,
                keyUsage: "ENCRYPT_DECRYPT",
                customerMasterKeySpec: "SYMMETRIC_DEFAULT",
                enableKeyRotation: true,
                rotationPeriodInDays: 365,
                deletionWindowInDays: args.deletionWindowInDays ?? 30,
                multiRegion: false,
                policy,
                tags: args.tags,
                region: args.region,
            },
            { parent: this },
        );
        const alias = new aws.kms.Alias(name, { name: `alias/${args.alias}`, targetKeyId: key.keyId, region: args.region }, { parent: this });
        this.arn = key.arn;
        this.keyId = key.keyId;
        this.aliasName = alias.name;
        this.registerOutputs({ arn: this.arn, keyId: this.keyId, aliasName: this.aliasName });
    }
}
