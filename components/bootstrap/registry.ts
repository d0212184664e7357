/**
 * Registry step: one ECR repository per image in the home region (immutable tags, scanned on push,
 * encrypted with a CMK, a lifecycle keeping a rollback window), replicated by ECR to every replica
 * region, so CI pushes once and dr pulls from its own region, before any workload is deployed.
 *
 * ECR creates a replicated repository itself on the first replicated push, with the settings of the
 * replica region's repository creation template for REPLICATION, or else AES256 and MUTABLE tags. So each
 * replica region gets a template for this project's prefix: a CMK of that region (the key must be in the
 * repository's region), immutable tags, the same lifecycle, and the role ECR assumes to apply a KMS key
 * and tags (with the documented permissions).
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/replication.html
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-creation-templates.html
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-creation-templates-custom.html
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PROJECT } from "../../model/config";
import { allow, policyJson, sourceAccount, trust } from "../../model/iam";
import { IMAGES, ImageKey, REPOSITORY_PREFIX, repositoryName } from "../app/registries";
import { CustomerKey } from "../security/customerKey";

export const LIFECYCLE_POLICY = JSON.stringify({
    rules: [
        {
            rulePriority: 1,
            description: "untagged layers after 14 days",
            selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 14 },
            action: { type: "expire" },
        },
        {
            rulePriority: 2,
            description: "keep the last 50 images (rollback window)",
            selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 50 },
            action: { type: "expire" },
        },
    ],
});

export interface RegistryArgs {
    readonly accountId: pulumi.Input<string>;
    /** The home region (where CI pushes). */
    readonly region: string;
    readonly replicaRegions: readonly string[];
    readonly tags?: Record<string, string>;
}

export interface Registry {
    readonly repositories: Record<ImageKey, aws.ecr.Repository>;
    /** Per region: repository URL per image name. */
    readonly repositoryUrls: pulumi.Output<Record<string, Record<string, string>>>;
    /** Per region: the CMK of its repositories. */
    readonly keyArns: pulumi.Output<Record<string, string>>;
}

export function createRegistry(parent: pulumi.ComponentResource, name: string, args: RegistryArgs): Registry {
    const account = pulumi.output(args.accountId);
    const homeKey = new CustomerKey(`${name}-ecr`, { description: "ECR images (home registry)", purpose: "ecr", accountId: args.accountId }, { parent });
    const keys: Record<string, CustomerKey> = { [args.region]: homeKey };
    const repositories = Object.fromEntries(
        (Object.keys(IMAGES) as ImageKey[]).map((key) => {
            const repo = new aws.ecr.Repository(
                `${name}-${IMAGES[key]}`,
                {
                    name: repositoryName(key),
                    imageTagMutability: "IMMUTABLE",
                    imageScanningConfiguration: { scanOnPush: true },
                    encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: homeKey.arn }],
                    forceDelete: false,
                    tags: args.tags,
                },
                { parent },
            );
            new aws.ecr.LifecyclePolicy(`${name}-${IMAGES[key]}`, { repository: repo.name, policy: LIFECYCLE_POLICY }, { parent });
            return [key, repo];
        }),
    ) as Record<ImageKey, aws.ecr.Repository>;

    // What ECR assumes to create the replicas with a KMS key and tags (trusting ECR for this account only).
    const templateRole = new aws.iam.Role(
        `${name}-replica-creation`,
        {
            name: `${PROJECT}-ecr-replica-creation`,
            description: "Assumed by ECR to create replicated repositories from the creation template",
            assumeRolePolicy: account.apply((id) => policyJson([trust({ Service: "ecr.amazonaws.com" }, "sts:AssumeRole", sourceAccount(id))])),
            tags: args.tags,
        },
        { parent },
    );
    const templates = args.replicaRegions.map((region) => {
        const key = new CustomerKey(
            `${name}-ecr-${region}`,
            { description: `ECR images (replicas in ${region})`, purpose: "ecr", accountId: args.accountId, region },
            { parent },
        );
        keys[region] = key;
        return new aws.ecr.RepositoryCreationTemplate(
            `${name}-replicas-${region}`,
            {
                region,
                prefix: REPOSITORY_PREFIX,
                appliedFors: ["REPLICATION"],
                description: `Replicas of ${REPOSITORY_PREFIX}/* from ${args.region}`,
                imageTagMutability: "IMMUTABLE",
                encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: key.arn }],
                lifecyclePolicy: LIFECYCLE_POLICY,
                customRoleArn: templateRole.arn,
                resourceTags: args.tags,
            },
            { parent },
        );
    });
    const replicaKeyArns = args.replicaRegions.map((r) => keys[r].arn);
    new aws.iam.RolePolicy(
        `${name}-replica-creation`,
        {
            role: templateRole.id,
            policy: pulumi.all([account, pulumi.all(replicaKeyArns)]).apply(([id, keyArns]) =>
                policyJson([
                    allow(
                        "CreateReplicas",
                        ["ecr:CreateRepository", "ecr:ReplicateImage", "ecr:TagResource"],
                        args.replicaRegions.map((r) => `arn:aws:ecr:${r}:${id}:repository/${REPOSITORY_PREFIX}/*`),
                    ),
                    allow("EncryptReplicas", ["kms:CreateGrant", "kms:RetireGrant", "kms:DescribeKey"], keyArns),
                ]),
            ),
        },
        { parent },
    );
    // The registry's one replication configuration (per region: this is the home region's). The templates
    // first, so no replica is ever created with the defaults.
    new aws.ecr.ReplicationConfiguration(
        `${name}-replication`,
        {
            replicationConfiguration: {
                rules: [
                    {
                        destinations: args.replicaRegions.map((region) => ({ region, registryId: account })),
                        repositoryFilters: [{ filter: `${REPOSITORY_PREFIX}/`, filterType: "PREFIX_MATCH" }],
                    },
                ],
            },
        },
        { parent, dependsOn: templates },
    );

    const urlsIn = (region: string) =>
        account.apply((id) =>
            Object.fromEntries((Object.keys(IMAGES) as ImageKey[]).map((k) => [IMAGES[k], `${id}.dkr.ecr.${region}.amazonaws.com/${repositoryName(k)}`])),
        );
    const home = pulumi.all(Object.fromEntries((Object.keys(IMAGES) as ImageKey[]).map((k) => [IMAGES[k], repositories[k].repositoryUrl])));
    return {
        repositories,
        repositoryUrls: pulumi.all([home, ...args.replicaRegions.map(urlsIn)]).apply(([homeUrls, ...replicas]) => ({
            [args.region]: homeUrls as Record<string, string>,
            ...Object.fromEntries(args.replicaRegions.map((r, i) => [r, replicas[i]])),
        })),
        keyArns: pulumi.all(Object.fromEntries(Object.entries(keys).map(([r, k]) => [r, k.arn]))) as pulumi.Output<Record<string, string>>,
    };
}
