import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Condition, Statement, accountRoot, policyJson, sourceAccount } from "../../model/iam";
import { KMS_ALIAS_MAX, keyPurposeProblem, kmsAliasName } from "../../model/names";
import { validateArgs } from "../argErrors";

/** An AWS service that may use the key, with the conditions that scope it. */
export interface KeyServiceGrant {
    /**
     * Service principal, e.g. "logs.eu-west-2.amazonaws.com". Must not be empty.
     * @see https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-services.html
     */
    readonly service: string;
    /** KMS actions granted. @default encrypt, decrypt, re-encrypt, generate data key, describe */
    readonly actions?: string[];
    /**
     * IAM condition block scoping the grant (e.g. on kms:EncryptionContext).
     * Use only condition keys the service documents for its KMS calls (policy/rules/kmsServices.ts): for
     * CloudWatch Logs, `logsServiceGrant` gives the documented encryption-context condition instead.
     * @default `aws:SourceAccount` = this account (the confused-deputy guard)
     * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
     */
    readonly condition?: pulumi.Input<Condition>;
}

/** An IAM role of this account that must be named in the key policy (service-linked roles accept no customer IAM policy). */
export interface KeyRoleGrant {
    /** Role path and name after "role/", e.g. "aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling". Must not be empty. */
    readonly roleName: string;
    /** KMS actions granted. @default encrypt, decrypt, re-encrypt, generate data key, describe */
    readonly actions?: string[];
    /** IAM condition block. @default none */
    readonly condition?: Condition;
}

export interface CustomerKeyArgs {
    /** What the key protects; shown in the console and the audit trail. Must not be empty. */
    readonly description: string;
    /**
     * What the key is for: the alias is `alias/hybrid-platform/<stack>/<purpose>` (model/names.ts `kmsAliasName`), the one
     * alias scheme of the platform. Letters, digits, "_" and "-", in segments separated by "/" (e.g. `database`, `network/flow-logs`).
     * Unique per stack and region.
     * @see https://docs.aws.amazon.com/kms/latest/developerguide/alias-about.html
     */
    readonly purpose: string;
    /** The account the key belongs to: its root administers the key through IAM, and service grants are scoped to it. Required. */
    readonly accountId: pulumi.Input<string>;
    /** AWS services that use the key directly (CloudWatch Logs, SNS...). @default none: only IAM principals of the account */
    readonly serviceGrants?: KeyServiceGrant[];
    /** Roles of this account named in the key policy (e.g. the EC2 Auto Scaling service-linked role for encrypted EBS). @default none */
    readonly roleGrants?: KeyRoleGrant[];
    /**
     * Days a deleted key stays recoverable, 7 to 30.
     * @default 30 (the maximum)
     * @see https://docs.aws.amazon.com/kms/latest/developerguide/deleting-keys.html
     */
    readonly deletionWindowInDays?: number;
    /** Tags for the key. @default none (provider default tags still apply) */
    readonly tags?: Record<string, string>;
    /** Region to create the key in (KMS keys are regional). @default the provider's region */
    readonly region?: string;
}

/**
 * The CloudWatch Logs grant AWS documents: the regional principal, conditioned on the encryption context
 * CloudWatch Logs puts on every call (the log group's ARN), limited to this account's log groups in the region.
 * AWS documents no aws:SourceAccount for these calls, so the default confused-deputy condition is not used here.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
 */
export function logsServiceGrant(region: string, accountId: pulumi.Input<string>): KeyServiceGrant {
    return {
        service: `logs.${region}.amazonaws.com`,
        condition: pulumi.output(accountId).apply((id) => ({ ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:${region}:${id}:log-group:*` } })),
    };
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
        const aliasName = kmsAliasName(pulumi.getStack(), args.purpose);
        validateCustomerKeyArgs(name, args, aliasName);
        super("hybrid:security:CustomerKey", name, {}, opts);
        const account = pulumi.output(args.accountId);
        const grants = args.serviceGrants ?? [];
        const conditions = pulumi.all(grants.map((g) => pulumi.output(g.condition)));
        const policy = pulumi.all([account, conditions]).apply(([accountId, conditions]) =>
            policyJson([
                { Sid: "AccountAdministersKeyThroughIam", Effect: "Allow", Principal: { AWS: accountRoot(accountId) }, Action: "kms:*", Resource: "*" },
                ...grants.map((grant, i): Statement => ({
                    Sid: `Service${i}`,
                    Effect: "Allow",
                    Principal: { Service: grant.service },
                    Action: grant.actions ?? DEFAULT_ACTIONS,
                    Resource: "*",
                    Condition: conditions[i] ?? sourceAccount(accountId),
                })),
                ...(args.roleGrants ?? []).map((grant, i): Statement => ({
                    Sid: `Role${i}`,
                    Effect: "Allow",
                    Principal: { AWS: `arn:aws:iam::${accountId}:role/${grant.roleName}` },
                    Action: grant.actions ?? DEFAULT_ACTIONS,
                    Resource: "*",
                    ...(grant.condition ? { Condition: grant.condition } : {}),
                })),
            ]),
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
        const alias = new aws.kms.Alias(name, { name: aliasName, targetKeyId: key.keyId, region: args.region }, { parent: this });
        this.arn = key.arn;
        this.keyId = key.keyId;
        this.aliasName = alias.name;
        this.registerOutputs({ arn: this.arn, keyId: this.keyId, aliasName: this.aliasName });
    }
}

/** Refuses, before anything registers, what KMS would refuse at deploy time. */
function validateCustomerKeyArgs(name: string, args: CustomerKeyArgs, aliasName: string): void {
    validateArgs(`CustomerKey ${name}`, (e) => {
        e.check(args.description.trim() !== "", "description", "must say what the key protects");
        const problem = keyPurposeProblem(args.purpose);
        e.check(problem === undefined, "purpose", `${JSON.stringify(args.purpose)} ${problem}`);
        e.check(
            aliasName.length - "alias/".length <= KMS_ALIAS_MAX,
            "purpose",
            `makes the alias ${aliasName.length} characters; KMS allows ${KMS_ALIAS_MAX} after "alias/"`,
        );
        e.integer(args.deletionWindowInDays, 7, 30, "deletionWindowInDays");
        (args.serviceGrants ?? []).forEach((g, i) => {
            e.check(g.service.trim() !== "", `serviceGrants[${i}].service`, "must name a service principal");
            e.check(
                g.actions === undefined || g.actions.length > 0,
                `serviceGrants[${i}].actions`,
                "must grant at least one action (omit it for the default set)",
            );
        });
        (args.roleGrants ?? []).forEach((g, i) => e.check(g.roleName.trim() !== "", `roleGrants[${i}].roleName`, "must name a role"));
    });
}
