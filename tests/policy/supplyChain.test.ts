/** The supply chain policies (policy/supplyChain.ts): compliant and violating fixtures, see tests/support/policyCases.ts. */
import * as assert from "node:assert/strict";
import { T } from "../../policy/lib";
import { supplyChainPolicies } from "../../policy/supplyChain";
import { Case, deployment, describeCases, key, single } from "../support/policyCases";

const CASES: Case[] = [
    {
        policy: "images-from-project-ecr",
        compliant: (f) => {
            const repo = f.add(T.ecr, "web", { name: "web", imageTagMutability: "IMMUTABLE" });
            deployment(f, { image: f.computed(repo, "111122223333.dkr.ecr.eu-west-2.amazonaws.com/web:1.4.2") });
        },
        violations: {
            "another project's ECR repository": (f) => {
                f.add(T.ecr, "web", { name: "web", imageTagMutability: "IMMUTABLE" });
                deployment(f, { image: "444455556666.dkr.ecr.eu-west-2.amazonaws.com/someone-else:2.0.0" });
            },
            "Docker Hub image": (f) => void deployment(f, { image: "nginx:1.27" }),
            "ECR latest": (f) => void deployment(f, { image: "111122223333.dkr.ecr.eu-west-2.amazonaws.com/web:latest" }),
            "image computed from something else": (f) => {
                const other = f.add(T.secret, "tag", {});
                deployment(f, { image: f.computed(other, "docker.io/library/web:1") });
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
