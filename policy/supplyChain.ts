/**
 * Supply chain (seed 5): images come from the project's ECR (the account's bootstrap stack's
 * repositories), which scans on push and keeps tags immutable, and production runs them by digest.
 */
import { PolicyResource } from "@pulumi/policy";
import { containersOf } from "./workloads";
import { Guardrail, T, UNKNOWN, WORKLOADS, asArray, isSet, peek, resourceGuardrail, stackGuardrail } from "./lib";

export const ECR_IMAGE = /^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com\/[^:@\s]+(@sha256:[0-9a-f]{64}|:[\w][\w.-]{0,127})$/;
/** An ECR repository URL (no tag or digest), as the bootstrap stack exports them. */
const ECR_REPOSITORY_URL = /^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com\/[^:@\s]+$/;
const STACK_REFERENCE = "pulumi:pulumi:StackReference";

/** Every ECR repository URL in a StackReference's outputs (the bootstrap stack's `ecrRepositoryUrls`, at any depth). */
function repositoryUrlsIn(value: unknown, into: Set<string>): Set<string> {
    if (typeof value === "string" && ECR_REPOSITORY_URL.test(value)) into.add(value);
    else if (value !== null && typeof value === "object") for (const v of Object.values(value)) repositoryUrlsIn(v, into);
    return into;
}

export const imagesFromEcr = stackGuardrail({
    name: "images-from-project-ecr",
    description:
        "Workload images come from this project's ECR repositories (the account's bootstrap stack's, read through its StackReference, or a repository of the stack), pinned by digest in production (a tag elsewhere, never 'latest').",
    remediation:
        "Build the image reference from the bootstrap stack's ecrRepositoryUrls (or the repository's repositoryUrl) and set app.images.<key>.digest to the sha256 digest CI pushed after the Trivy/Snyk scan.",
    concern: "supply-chain",
    seed: "5",
    why: "Seed 5: images pass the security scan and are pushed to ECR; an image from a public registry skips the pipeline. A tag names whatever was pushed under it; a digest is the image that was scanned (issue #11 finding 22).",
    types: [...WORKLOADS, T.ecr, STACK_REFERENCE],
    check: ({ graph, environment }, report) => {
        const repos = new Set(graph.ofType(T.ecr));
        const references = graph.ofType(STACK_REFERENCE);
        // The bootstrap stack's repositories: known in preview too (a StackReference is read, not created).
        const referencedUrls = new Set<string>();
        for (const ref of references) {
            const outputs = peek(() => ref.props.outputs);
            if (outputs !== UNKNOWN) repositoryUrlsIn(outputs, referencedUrls);
        }
        // With repositories in the stack, an ECR image must be one of them (not another account's or project's).
        const repoNames = [...repos].map((r) => peek(() => r.props.name));
        const namesKnown = repoNames.every((n) => typeof n === "string");
        const knownNames = new Set(repoNames);
        const restricted = (repos.size > 0 && namesKnown) || referencedUrls.size > 0;
        const project = [...referencedUrls, ...repoNames.filter((n): n is string => typeof n === "string")];
        for (const w of graph.ofType(...WORKLOADS)) {
            const sources = graph.refs(w, "spec") as PolicyResource[];
            const fromProject = sources.some((d) => repos.has(d) || (d.type === STACK_REFERENCE && references.includes(d)));
            for (const c of containersOf(w).containers) {
                const where = `container ${c.name ?? "?"} of ${w.name}`;
                const image = peek(() => c.image as string | undefined);
                if (image === UNKNOWN) {
                    // Unknown in preview: acceptable only if the spec is built from the project's repositories.
                    if (!fromProject) report(`${where}: image is computed from something other than this project's ECR repositories`, w.urn);
                    continue;
                }
                if (typeof image !== "string" || !ECR_IMAGE.test(image)) {
                    report(`${where}: image ${image ?? "(unset)"} is not an ECR image with a tag or digest`, w.urn);
                    continue;
                }
                const repository = image.split(/[@]|:(?=[^/]*$)/)[0];
                if (image.endsWith(":latest")) report(`${where}: image ${image} uses the mutable tag 'latest'`, w.urn);
                else if (restricted && !referencedUrls.has(repository) && !knownNames.has(repository.split("/").slice(1).join("/")))
                    report(`${where}: image ${image} is not from this project's ECR repositories (${project.join(", ")})`, w.urn);
                else if (environment === "production" && !image.includes("@sha256:"))
                    report(`${where}: image ${image} is pinned by tag only; production pins the digest (app.images.<key>.digest)`, w.urn);
            }
        }
    },
});

export const ecrRepository = resourceGuardrail({
    name: "ecr-scan-immutable-kms",
    description: "ECR repositories scan on push, keep tags immutable and encrypt with KMS.",
    remediation:
        "Set imageScanningConfiguration.scanOnPush true, imageTagMutability 'IMMUTABLE', encryptionConfigurations [{ encryptionType: 'KMS', kmsKey }].",
    concern: "supply-chain",
    seed: "5, 4.2",
    why: "Immutable tags make a deployed tag mean one image forever; scan-on-push feeds vulnerability findings to the SOC.",
    types: [T.ecr],
    check: ({ props }, report) => {
        if (peek(() => props.imageScanningConfiguration?.scanOnPush) !== true) report("imageScanningConfiguration.scanOnPush is not true");
        const mutability = peek(() => props.imageTagMutability);
        if (mutability !== UNKNOWN && mutability !== "IMMUTABLE" && mutability !== "IMMUTABLE_WITH_EXCLUSION")
            report(`imageTagMutability is ${mutability ?? "MUTABLE (default)"}`);
        const enc = asArray(peek(() => props.encryptionConfigurations) as Record<string, any>[] | undefined);
        if (!enc.some((e) => e.encryptionType === "KMS" && isSet(e, "kmsKey")))
            report("encryptionConfigurations does not use KMS with a customer-managed kmsKey");
    },
});

export const supplyChainPolicies: Guardrail[] = [imagesFromEcr, ecrRepository];
