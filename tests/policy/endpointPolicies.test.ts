/**
 * vpc-endpoint-policy-scoped on fixtures (both modes) and on the real plans, and the endpointPolicy/resourcePolicy
 * layers of declared-flows-hold on the real plans in both modes: every flow that calls through an endpoint is
 * admitted there (or unknown in preview), and the issue #12 mutation rows are reported as the right flow and layer.
 */
import * as assert from "node:assert/strict";
import { endpointPolicyStatements } from "../../model/endpointPolicies";
import { FLOW_CALLS } from "../../model/reachabilityEndpoints";
import { policyJson } from "../../model/iam";
import { vpcEndpointPolicyScoped } from "../../policy/endpointPolicies";
import { declaredFlowsHold } from "../../policy/reachability";
import { flowsOf } from "../../tools/flows";
import { analyzeResources } from "../../tools/policyRunner";
import { MUTATIONS, Mutator } from "../integration/mutationTable";
import { planOf } from "../support";
import { describeCases, single } from "../support/policyCases";

const ACCOUNT = "111122223333";
const endpoint = (service: string, policy: string | undefined) => ({
    vpcId: "vpc-1",
    serviceName: `com.amazonaws.eu-west-2.${service}`,
    vpcEndpointType: service === "s3" ? "Gateway" : "Interface",
    ...(policy === undefined ? {} : { policy }),
});
const generated = (service: string) => policyJson(endpointPolicyStatements(service, ACCOUNT, "eu-west-2")!);
const VPC_ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint";

describe("policy pack: vpc-endpoint-policy-scoped fixtures", () => {
    describeCases([
        single("vpc-endpoint-policy-scoped", VPC_ENDPOINT, () => endpoint("s3", generated("s3")), {
            "the S3 gateway endpoint with AWS's default policy (none set)": () => ({ policy: undefined }),
            "an Allow open to Principal * with no account condition": () => ({
                policy: policyJson([{ Effect: "Allow", Principal: "*", Action: "*", Resource: "*" }]),
            }),
            "the AWS-owned-buckets exception stretched to a bucket of anyone's": () => ({
                policy: policyJson([
                    { Sid: "AwsOwnedBucketsTheNodesRead", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::attacker/*" },
                ]),
            }),
        }),
        single("vpc-endpoint-policy-scoped", VPC_ENDPOINT, () => endpoint("sts", generated("sts")), {
            "the web-identity exception without its resource-account condition": () => ({
                policy: policyJson([{ Effect: "Allow", Principal: "*", Action: "sts:AssumeRoleWithWebIdentity", Resource: "*" }]),
            }),
            "an endpoint of a service no rule describes": () => ({ serviceName: "com.amazonaws.eu-west-2.athena" }),
        }),
    ]);
});

const MUTATION_FLOWS: Record<string, { flow: string; layer: string }> = {
    "endpoint-s3-no-ecr-layers": { flow: "nodes-to-ecr.dkr-endpoint", layer: "endpointPolicy" },
    "documents-source-vpce-other-endpoint": { flow: "pods-to-s3", layer: "resourcePolicy" },
};

for (const stack of ["prod", "dr"] as const) {
    for (const mode of ["update", "preview"] as const) {
        describe(`endpoint and bucket policies on the ${stack} plan (${mode})`, () => {
            it("every endpoint passes vpc-endpoint-policy-scoped", async () => {
                const plan = await planOf(stack, mode);
                const ds = await analyzeResources(plan.resources, { policies: [vpcEndpointPolicyScoped] });
                assert.deepEqual(
                    ds.map((d) => d.message),
                    [],
                );
                assert.ok(plan.resources.filter((r) => r.type === VPC_ENDPOINT).every((r) => typeof r.props.policy === "string"));
            });

            it("each flow calling through an endpoint is admitted by its endpoint (and bucket) policy", async () => {
                const rows = await flowsOf((await planOf(stack, mode)).resources);
                for (const r of rows.filter((x) => x.name in FLOW_CALLS && x.admitted !== "absent")) {
                    const iam = r.layers.filter((l) => l.layer === "endpointPolicy" || l.layer === "resourcePolicy");
                    assert.ok(
                        iam.some((l) => l.layer === "endpointPolicy"),
                        `${r.name}: ${JSON.stringify(r.layers)}`,
                    );
                    for (const l of iam)
                        assert.ok((mode === "update" ? ["allow"] : ["allow", "unknown"]).includes(l.verdict), `${r.name}: ${l.layer} ${l.rule}`);
                }
                // The endpoint policies are literals in preview too (built from the account lookup): decided in both modes.
                assert.equal(rows.find((r) => r.name === "nodes-to-ecr.dkr-endpoint")?.layers.find((l) => l.layer === "endpointPolicy")?.verdict, "allow");
                assert.equal(
                    rows.find((r) => r.name === "pods-to-s3")?.layers.find((l) => l.layer === "resourcePolicy")?.verdict,
                    mode === "update" ? "allow" : "unknown",
                );
            });

            for (const mutation of MUTATIONS.filter((m) => m.id in MUTATION_FLOWS && m.stacks.includes(stack))) {
                const { flow, layer } = MUTATION_FLOWS[mutation.id];
                it(`${mutation.id}: reported as ${flow}, at the ${layer} layer`, async () => {
                    const plan = structuredClone(await planOf(stack, mode));
                    mutation.apply(new Mutator(plan, mode));
                    const found = (await analyzeResources(JSON.parse(JSON.stringify(plan.resources)), { policies: [declaredFlowsHold] })).map((d) => d.message);
                    assert.ok(
                        found.some((m) => m.includes(`flow ${flow} (`) && m.includes(`${layer} layer`)),
                        `expected ${flow} at ${layer} in ${JSON.stringify(found)}`,
                    );
                });
            }
        });
    }
}
