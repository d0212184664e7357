/**
 * Build 5's offline test: the documented first deploy of a new account, planned in its order —
 * bootstrap, then prod fed bootstrap's plan outputs, then dr fed prod's and bootstrap's — checking that
 * every stack reads only outputs an earlier stack's plan has (what its StackReferences ask for, recorded
 * while it runs), and that the account-level resources are the bootstrap stack's alone.
 */
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { missingBootstrapOutputs } from "../../model/bootstrapOutputs";
import { missingPrimaryOutputs } from "../../model/drConfig";
import { Plan, readStackConfig, runProgram, stackConfigPath } from "../../tools/offline";
import { withoutSourceMaps } from "../../tools/plan";
import { BOOTSTRAP_OUTPUTS, ofType, planCli, serially } from "../support";

/** The outputs each StackReference of a run asked for, by referenced stack name. */
type Reads = Map<string, Set<string>>;

/** Plans `stack` as committed with `stackOutputs`, recording every StackReference output the program reads. */
function planRecordingReads(stack: string, stackOutputs?: Record<string, Record<string, unknown>>): Promise<{ plan: Plan; reads: Reads }> {
    return serially(async () => {
        const reads: Reads = new Map();
        const proto = pulumi.StackReference.prototype as unknown as Record<string, (this: pulumi.StackReference, name: pulumi.Input<string>) => unknown>;
        const methods = ["getOutput", "requireOutput", "getOutputDetails", "getOutputValue", "requireOutputValue"].filter(
            (m) => typeof proto[m] === "function",
        );
        const originals = methods.map((m) => proto[m]);
        methods.forEach((m, i) => {
            proto[m] = function (this: pulumi.StackReference, name: pulumi.Input<string>) {
                pulumi.all([this.name, name]).apply(([ref, key]) => void (reads.get(ref) ?? reads.set(ref, new Set()).get(ref)!).add(key));
                return originals[i].call(this, name);
            };
        });
        try {
            const config = readStackConfig(stackConfigPath(stack));
            const plan = await withoutSourceMaps(() => runProgram({ stack, config, preview: false, stackOutputs }));
            return { plan, reads };
        } finally {
            methods.forEach((m, i) => (proto[m] = originals[i]));
        }
    });
}

/** Resources only the account's bootstrap stack may create (per account, or prerequisites of a first deploy). */
const ACCOUNT_LEVEL = [
    "aws:iam/serviceLinkedRole:ServiceLinkedRole",
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider",
    "aws:ecr/replicationConfiguration:ReplicationConfiguration",
    "aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate",
    "aws:ecr/registryPolicy:RegistryPolicy",
    "aws:ecr/registryScanningConfiguration:RegistryScanningConfiguration",
    "aws:codeconnections/connection:Connection",
    // Images are pushed between bootstrap and prod: a repository created with the workloads is empty (finding 1).
    "aws:ecr/repository:Repository",
];

/** The hostname prod and dr serve (their dns section, and bootstrap's). */
const HOSTNAME = "portal.citizen-portal.example.gov.uk";

/** A Route53 CNAME for ACM DNS validation: its value is ACM's, or comes from a certificate of the plan (preview). */
function isAcmValidationRecord(plan: Plan, r: Plan["resources"][number]): boolean {
    if (r.type !== "aws:route53/record:Record") return false;
    const certificates = new Set(ofType(plan, "aws:acm/certificate:Certificate").map((c) => c.urn));
    return (
        (r.props.records as unknown[] | undefined)?.some((v) => typeof v === "string" && /\.acm-validations\.aws\.?$/.test(v)) === true ||
        r.dependencies.some((d) => certificates.has(d))
    );
}

describe("first deploy of a new account, planned in the documented order (bootstrap -> prod -> dr)", () => {
    const runs: Record<string, { plan: Plan; reads: Reads }> = {};
    before(async () => {
        runs.bootstrap = await planRecordingReads("bootstrap");
        runs.prod = await planRecordingReads("prod", { bootstrap: runs.bootstrap.plan.outputs });
        runs.dr = await planRecordingReads("dr", { bootstrap: runs.bootstrap.plan.outputs, prod: runs.prod.plan.outputs });
    });

    it("bootstrap reads no other stack; prod reads only bootstrap; dr reads only bootstrap and prod", () => {
        assert.deepEqual([...runs.bootstrap.reads.keys()], []);
        assert.deepEqual([...runs.prod.reads.keys()], ["bootstrap"]);
        assert.deepEqual([...runs.dr.reads.keys()].sort(), ["bootstrap", "prod"]);
        assert.deepEqual(ofType(runs.bootstrap.plan, "pulumi:pulumi:StackReference"), []);
    });

    it("every output a stack reads exists in the earlier stack's plan (with its region's repositories and its CI role)", () => {
        for (const stack of ["prod", "dr"]) {
            const { reads, plan } = runs[stack];
            const region = readStackConfig(stackConfigPath(stack))["aws:region"];
            const earlier: Record<string, Record<string, unknown>> = { bootstrap: runs.bootstrap.plan.outputs, prod: runs.prod.plan.outputs };
            for (const [ref, keys] of reads) {
                assert.ok(keys.size > 0, `${stack} reads something from ${ref}`);
                assert.deepEqual(
                    [...keys].filter((k) => !(k in earlier[ref])),
                    [],
                    `${stack} reads outputs ${ref} does not export`,
                );
            }
            assert.deepEqual(missingBootstrapOutputs(runs.bootstrap.plan.outputs, stack, region), []);
            assert.ok(plan.resources.length > 0);
        }
        assert.deepEqual(missingPrimaryOutputs(runs.prod.plan.outputs, "eu-west-1"), []);
    });

    it("creates every account-level resource in bootstrap, none in prod or dr", () => {
        for (const stack of ["prod", "dr"]) {
            const found = runs[stack].plan.resources
                .filter((r) => ACCOUNT_LEVEL.includes(r.type) || isAcmValidationRecord(runs[stack].plan, r))
                .map((r) => `${r.type} ${r.name}`);
            assert.deepEqual(found, [], `${stack} creates none`);
        }
        const types = new Set(runs.bootstrap.plan.resources.map((r) => r.type));
        for (const type of ACCOUNT_LEVEL.filter((t) => !/registryPolicy|registryScanning/.test(t))) assert.ok(types.has(type), `bootstrap creates ${type}`);
        assert.equal(
            runs.bootstrap.plan.resources.filter((r) => isAcmValidationRecord(runs.bootstrap.plan, r)).length,
            2,
            "bootstrap owns the validation records (prod's and dr's hostname, dev's)",
        );
    });

    it("prod's and dr's certificates validate against the bootstrap's record, through the StackReference (finding 16)", () => {
        const fqdn = (runs.bootstrap.plan.outputs.certificateValidationRecordFqdns as Record<string, string>)[HOSTNAME];
        for (const stack of ["prod", "dr"]) {
            const { plan } = runs[stack];
            const reference = plan.resources.find((r) => r.type === "pulumi:pulumi:StackReference" && r.name === "bootstrap")!;
            const validations = ofType(plan, "aws:acm/certificateValidation:CertificateValidation");
            assert.equal(validations.length, 1, stack);
            assert.deepEqual(validations[0].propertyDependencies.validationRecordFqdns, [reference.urn], `${stack} waits for bootstrap`);
            assert.deepEqual(validations[0].props.validationRecordFqdns, [fqdn]);
            assert.deepEqual(missingBootstrapOutputs(runs.bootstrap.plan.outputs, stack, undefined, HOSTNAME), []);
        }
    });

    it("the bootstrap fixture the tests feed prod and dr is the bootstrap plan's outputs (so the tests read what a deploy would)", () => {
        assert.deepEqual(runs.bootstrap.plan.outputs, BOOTSTRAP_OUTPUTS);
    });

    it("npm run plan -- --stack bootstrap exits 0 with no mandatory violation", async () => {
        const { code, out } = await planCli(["--stack", "bootstrap"]);
        assert.equal(code, 0, out.join("\n"));
        assert.match(out.join("\n"), /stack bootstrap: \d+ resources/);
    });
});
