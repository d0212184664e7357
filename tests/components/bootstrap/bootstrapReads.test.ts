/** How prod and dr use the bootstrap stack's outputs (components/bootstrap/bootstrapReads.ts): what depends on them. */
import * as assert from "node:assert/strict";
import { readBootstrap } from "../../../components/bootstrap/bootstrapReads";
import { Plan } from "../../../tools/offline";
import { BOOTSTRAP_OUTPUTS, ofType, one, planComponent, planOf } from "../../support";

for (const stack of ["prod", "dr"]) {
    for (const mode of ["update", "preview"] as const) {
        describe(`${stack} reads the account's bootstrap stack (${mode})`, () => {
            let plan: Plan;
            let reference: string;
            before(async () => {
                plan = await planOf(stack, mode);
                reference = one(plan, "pulumi:pulumi:StackReference", "bootstrap").urn;
            });

            it("the node-volume key policy names the bootstrap's AutoScaling SLR and depends on it (KMS refuses a missing principal)", () => {
                const key = one(plan, "aws:kms/key:Key", "app-node-volumes");
                assert.ok(key.propertyDependencies.policy.includes(reference), "policy depends on the StackReference");
                if (mode === "update") assert.ok(String(key.props.policy).includes(BOOTSTRAP_OUTPUTS.autoScalingRoleArn));
            });

            it("the ci-deployer role trusts the stack's CI role from bootstrap, and depends on it", () => {
                const role = one(plan, "aws:iam/role:Role", "app-ci-deployer");
                assert.ok(role.propertyDependencies.assumeRolePolicy.includes(reference));
                assert.ok(!String(role.props.assumeRolePolicy).includes(":root"), "not the account root");
            });

            if (stack === "prod")
                it("the VPC log search domain depends on the bootstrap's OpenSearch SLR", () => {
                    const [domain] = ofType(plan, "aws:opensearch/domain:Domain");
                    assert.ok(domain.dependencies.includes(reference));
                });

            it("the workloads pull from the bootstrap repositories of the stack's region (dr: the replicas)", () => {
                const region = stack === "dr" ? "eu-west-1" : "eu-west-2";
                const web = one(plan, "kubernetes:apps/v1:Deployment", "app-workloads-django-web");
                const image = (web.props as any).spec.template.spec.containers[0].image;
                assert.ok(image.startsWith(`${BOOTSTRAP_OUTPUTS.ecrRepositoryUrls[region]["django-web"]}@sha256:`), image);
                assert.ok(web.propertyDependencies.spec.includes(reference));
            });
        });
    }
}

describe("readBootstrap", () => {
    it("fails the deploy, naming the key to set on the bootstrap stack, when it has no repositories in the stack's region", async () => {
        await assert.rejects(
            planComponent(
                () => {
                    const reads = readBootstrap("bootstrap", "dr", "eu-central-1", "portal.citizen-portal.example.gov.uk");
                    return { urls: reads.repositoryUrls };
                },
                { stack: "dr", stackOutputs: { bootstrap: { ...BOOTSTRAP_OUTPUTS } } },
            ),
            /bootstrap stack bootstrap has no ecrRepositoryUrls\.eu-central-1: add eu-central-1 to its registry\.replicaRegions/,
        );
    });

    it("fails the deploy, naming the bootstrap's dns.hostname, when it owns no validation record for the stack's hostname", async () => {
        await assert.rejects(
            planComponent(() => ({ fqdn: readBootstrap("bootstrap", "prod", "eu-west-2", "www.example.org").certificateValidationRecordFqdn }), {
                stack: "prod",
                stackOutputs: { bootstrap: { ...BOOTSTRAP_OUTPUTS } },
            }),
            /bootstrap stack bootstrap has no certificateValidationRecordFqdns\.www\.example\.org: set its dns\.hostname to www\.example\.org/,
        );
    });
});
