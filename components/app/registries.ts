/**
 * Registries step: the image references of the workloads, built from the repositories the account's
 * bootstrap stack created (components/bootstrap/registry.ts: immutable, scanned on push, KMS-encrypted,
 * replicated to the DR region) and exported here for this stack's region. The repositories are no
 * longer created with the cluster: an image must be pushed to them before the workloads deploy, or the
 * Kubernetes provider waits 10 minutes for pods that cannot pull (issue #11 finding 1).
 */
import * as pulumi from "@pulumi/pulumi";
import { AppConfig, imageReference } from "../../model/appConfig";
import { PROJECT } from "../../model/config";
import { StepScope } from "./step";

/** Repository (and workload image) name per `app.images` key. */
export const IMAGES = { djangoWeb: "django-web", fastapiApi: "fastapi-api", celeryWorker: "celery-worker" } as const;
export type ImageKey = keyof typeof IMAGES;
/** Every repository of the project starts with this prefix (the bootstrap's replication filter and creation template match it). */
export const REPOSITORY_PREFIX = PROJECT;
/** The repository of an image, the same path in every region (replication keeps it) and on an on-prem mirror. */
export const repositoryName = (key: ImageKey): string => `${REPOSITORY_PREFIX}/${IMAGES[key]}`;

export interface RegistriesArgs extends StepScope {
    readonly app: AppConfig;
    /** Repository URL per image name in this stack's region (the bootstrap stack's `ecrRepositoryUrls.<region>`). */
    readonly repositoryUrls: pulumi.Input<Record<string, string>>;
}

export interface Registries {
    /** Repository URL per image name (the AppCluster output). */
    readonly repositoryUrls: pulumi.Output<Record<string, string>>;
    /** The stable image reference of `key`: from the account's ECR, or from `registry` (an on-prem mirror of the same paths). */
    image(key: ImageKey, registry?: string): pulumi.Output<string>;
    /** The candidate image reference of a served workload, if the release configures one. */
    candidateImage(key: "djangoWeb" | "fastapiApi"): pulumi.Output<string> | undefined;
}

export function createRegistries(parent: pulumi.ComponentResource, name: string, args: RegistriesArgs): Registries {
    const { app } = args;
    const urls = pulumi.output(args.repositoryUrls);
    const urlOf = (key: ImageKey) =>
        urls.apply((u) => {
            if (!u[IMAGES[key]]) throw new pulumi.ResourceError(`AppCluster ${name}: the bootstrap repositories have no ${IMAGES[key]}`, parent);
            return u[IMAGES[key]];
        });
    return {
        repositoryUrls: urls,
        image: (key, registry) =>
            registry
                ? pulumi.output(imageReference(`${registry}/${repositoryName(key)}`, app.images[key]))
                : urlOf(key).apply((url) => imageReference(url, app.images[key])),
        candidateImage: (key) => {
            const ref = app.release.candidate?.[key];
            return ref ? urlOf(key).apply((url) => imageReference(url, ref)) : undefined;
        },
    };
}
