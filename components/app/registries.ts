/**
 * Registries step: one ECR repository per image, immutable tags, scanned on push, encrypted with
 * the stack's ECR key, and a lifecycle that keeps a rollback window.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AppConfig, imageReference } from "../../model/appConfig";
import { CustomerKey } from "../security/customerKey";
import { StepScope } from "./step";

/** Repository (and workload image) name per `app.images` key. */
export const IMAGES = { djangoWeb: "django-web", fastapiApi: "fastapi-api", celeryWorker: "celery-worker" } as const;
export type ImageKey = keyof typeof IMAGES;

export interface RegistriesArgs extends StepScope {
    readonly app: AppConfig;
    /** The account the ECR key's policy delegates to. */
    readonly accountId: pulumi.Input<string>;
}

export interface Registries {
    readonly repositories: Record<ImageKey, aws.ecr.Repository>;
    /** Repository URL per image name (the AppCluster output). */
    readonly repositoryUrls: pulumi.Output<Record<string, string>>;
    /** The stable image reference of `key`: from the stack's ECR, or from `registry` (an on-prem mirror of the same paths). */
    image(key: ImageKey, registry?: string): pulumi.Output<string>;
    /** The candidate image reference of a served workload, if the release configures one. */
    candidateImage(key: "djangoWeb" | "fastapiApi"): pulumi.Output<string> | undefined;
}

const LIFECYCLE_POLICY = JSON.stringify({
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

export function createRegistries(parent: pulumi.ComponentResource, name: string, args: RegistriesArgs): Registries {
    const { app, stack } = args;
    const ecrKey = new CustomerKey(`${name}-ecr`, { description: `ECR images (${stack})`, purpose: "ecr", accountId: args.accountId }, { parent });
    const repositories = Object.fromEntries(
        (Object.keys(IMAGES) as ImageKey[]).map((key) => {
            const repo = new aws.ecr.Repository(
                `${name}-${IMAGES[key]}`,
                {
                    name: `${stack}/${IMAGES[key]}`,
                    imageTagMutability: "IMMUTABLE",
                    imageScanningConfiguration: { scanOnPush: true },
                    encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: ecrKey.arn }],
                    forceDelete: false,
                    tags: args.tags,
                },
                { parent },
            );
            new aws.ecr.LifecyclePolicy(`${name}-${IMAGES[key]}`, { repository: repo.name, policy: LIFECYCLE_POLICY }, { parent });
            return [key, repo];
        }),
    ) as Record<ImageKey, aws.ecr.Repository>;
    return {
        repositories,
        repositoryUrls: pulumi.all(Object.fromEntries(Object.entries(repositories).map(([k, r]) => [IMAGES[k as ImageKey], r.repositoryUrl]))) as pulumi.Output<
            Record<string, string>
        >,
        image: (key, registry) =>
            registry
                ? pulumi.output(imageReference(`${registry}/${stack}/${IMAGES[key]}`, app.images[key]))
                : repositories[key].repositoryUrl.apply((url) => imageReference(url, app.images[key])),
        candidateImage: (key) => {
            const ref = app.release.candidate?.[key];
            return ref ? repositories[key].repositoryUrl.apply((url) => imageReference(url, ref)) : undefined;
        },
    };
}
