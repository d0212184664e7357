/** The supply chain policies (policy/supplyChain.ts): compliant and violating fixtures, see tests/support/policyCases.ts. */
import * as assert from "node:assert/strict";
import { T } from "../../policy/lib";
import { supplyChainPolicies } from "../../policy/supplyChain";
import { Case, deployment, describeCases, key, single } from "../support/policyCases";
import { Fixture } from "../support/policyFixtures";

const BOOTSTRAP_WEB = "111122223333.dkr.ecr.eu-west-2.amazonaws.com/hybrid-platform/web";
const DIGEST = `sha256:${"ab".repeat(32)}`;

/** The account's bootstrap stack as prod reads it: a StackReference whose outputs carry the repository URLs. */
const bootstrapReference = (f: Fixture) =>
    f.add("pulumi:pulumi:StackReference", "bootstrap", {
        name: "bootstrap",
        outputs: { ecrRepositoryUrls: { "eu-west-2": { web: BOOTSTRAP_WEB } }, autoScalingRoleArn: "arn:aws:iam::111122223333:role/x" },
    });

const CASES: Case[] = [
    {
        // Production: from the bootstrap stack's repositories (its StackReference, known in preview too), by digest.
        policy: "images-from-project-ecr",
        compliant: (f) => {
            const ref = bootstrapReference(f);
            deployment(f, { image: f.known(ref, `${BOOTSTRAP_WEB}@${DIGEST}`) });
        },
        violations: {
            "tag only in production (issue #11 finding 22)": (f) => {
                const ref = bootstrapReference(f);
                deployment(f, { image: f.known(ref, `${BOOTSTRAP_WEB}:1.4.2`) });
            },
            "an ECR repository that is not the bootstrap stack's": (f) => {
                bootstrapReference(f);
                deployment(f, { image: `444455556666.dkr.ecr.eu-west-2.amazonaws.com/someone-else@${DIGEST}` });
            },
            "another project's ECR repository": (f) => {
                f.add(T.ecr, "web", { name: "web", imageTagMutability: "IMMUTABLE" });
                deployment(f, { image: `444455556666.dkr.ecr.eu-west-2.amazonaws.com/someone-else@${DIGEST}` });
            },
            "Docker Hub image": (f) => void deployment(f, { image: "nginx:1.27" }),
            "ECR latest": (f) => void deployment(f, { image: "111122223333.dkr.ecr.eu-west-2.amazonaws.com/web:latest" }),
            "image computed from something else": (f) => {
                const other = f.add(T.secret, "tag", {});
                deployment(f, { image: f.computed(other, "docker.io/library/web:1") });
            },
        },
    },
    {
        // Outside production a release tag of one of the stack's repositories is enough.
        policy: "images-from-project-ecr",
        environment: "staging",
        compliant: (f) => {
            const repo = f.add(T.ecr, "web", { name: "web", imageTagMutability: "IMMUTABLE" });
            deployment(f, { image: f.computed(repo, "111122223333.dkr.ecr.eu-west-2.amazonaws.com/web:1.4.2") });
        },
        violations: {
            "ECR latest": (f) => {
                f.add(T.ecr, "web", { name: "web", imageTagMutability: "IMMUTABLE" });
                deployment(f, { image: "111122223333.dkr.ecr.eu-west-2.amazonaws.com/web:latest" });
            },
        },
    },
    single(
        "ecr-scan-immutable-kms",
        T.ecr,
        (f) => ({
            imageTagMutability: "IMMUTABLE",
            imageScanningConfiguration: { scanOnPush: true },
            encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: f.arn(key(f)) }],
        }),
        {
            "mutable tags": () => ({ imageTagMutability: "MUTABLE" }),
            "no scan on push": () => ({ imageScanningConfiguration: { scanOnPush: false } }),
            "AES256 encryption": () => ({ encryptionConfigurations: [{ encryptionType: "AES256" }] }),
        },
    ),
];

describe("policy pack: supply chain fixtures", () => {
    it("every supply chain policy has a case with at least one violation", () => {
        const covered = new Set(CASES.filter((c) => Object.keys(c.violations).length > 0).map((c) => c.policy));
        assert.deepEqual(
            supplyChainPolicies.map((p) => p.name).filter((n) => !covered.has(n)),
            [],
        );
    });

    describeCases(CASES);
});
