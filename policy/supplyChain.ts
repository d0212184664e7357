/**
 * Supply chain (seed 5): images come from the project's ECR, which scans on push and
 * keeps tags immutable.
 */
import { PolicyResource } from "@pulumi/policy";
import { containersOf } from "./workloads";
import { Guardrail, T, UNKNOWN, WORKLOADS, asArray, isSet, peek, resourceGuardrail, stackGuardrail } from "./lib";

export const ECR_IMAGE = /^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com\/[^:@\s]+(@sha256:[0-9a-f]{64}|:[\w][\w.-]{0,127})$/;

export const imagesFromEcr = stackGuardrail({
    name: "images-from-project-ecr",
    description:
        "Workload images come from this project's ECR repositories (a repository of the stack, or an ECR URL), pinned to a tag or digest other than 'latest'.",
    remediation: "Build the image reference from the ECR repository's repositoryUrl and a release tag or digest pushed by CI after the Trivy/Snyk scan.",
    concern: "supply-chain",
    seed: "5",
    why: "Seed 5: images pass the security scan and are pushed to ECR; an image from a public registry skips the pipeline.",
    types: [...WORKLOADS, T.ecr],
    check: ({ graph }, report) => {
        const repos = new Set(graph.ofType(T.ecr));
        // With repositories in the stack, an ECR image must be one of them (not another account's or project's).
        const repoNames = [...repos].map((r) => peek(() => r.props.name));
        const namesKnown = repos.size > 0 && repoNames.every((n) => typeof n === "string");
        const knownNames = new Set(repoNames);
        for (const w of graph.ofType(...WORKLOADS)) {
            const fromRepo = (graph.refs(w, "spec") as PolicyResource[]).some((d) => repos.has(d));
            for (const c of containersOf(w).containers) {
                const image = peek(() => c.image as string | undefined);
                if (image === UNKNOWN) {
                    // Unknown in preview: acceptable only if the spec is built from one of the stack's repositories.
                    if (!fromRepo)
                        report(`container ${c.name ?? "?"} of ${w.name}: image is computed from something other than this stack's ECR repositories`, w.urn);
                } else if (typeof image !== "string" || !ECR_IMAGE.test(image)) {
                    report(`container ${c.name ?? "?"} of ${w.name}: image ${image ?? "(unset)"} is not an ECR image with a tag or digest`, w.urn);
                } else if (image.endsWith(":latest")) {
                    report(`container ${c.name ?? "?"} of ${w.name}: image ${image} uses the mutable tag 'latest'`, w.urn);
                } else if (namesKnown && !knownNames.has(image.split("/").slice(1).join("/").split(/[:@]/)[0])) {
                    report(
                        `container ${c.name ?? "?"} of ${w.name}: image ${image} is not from this stack's ECR repositories (${repoNames.join(", ")})`,
                        w.urn,
                    );
                }
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
