/**
 * The public hostname's ACM DNS validation record, owned by the bootstrap stack (finding 16,
 * components/bootstrap/certificateValidation.ts): one owner, no allowOverwrite, in the public zone, output by
 * hostname for prod's and dr's certificates.
 */
import * as assert from "node:assert/strict";
import { AccountBootstrap, AccountBootstrapArgs } from "../../../components/bootstrap/accountBootstrap";
import { ConfigError } from "../../../model/config";
import { loadBootstrapConfig } from "../../../model/bootstrapConfig";
import { MOCK_ACCOUNT_ID, PlatformMocks, UNKNOWN } from "../../../tools/mocks";
import { Plan } from "../../../tools/offline";
import { configWith, ofType, one, planComponent, planOf } from "../../support";
import { assertRejectsArgs } from "../../support/args";

const RECORD = "aws:route53/record:Record";
const CERTIFICATE = "aws:acm/certificate:Certificate";
const VALIDATION = "aws:acm/certificateValidation:CertificateValidation";
const HOSTNAME = "portal.citizen-portal.example.gov.uk";
const ZONE = "citizen-portal.example.gov.uk";

const ARGS: AccountBootstrapArgs = {
    accountId: MOCK_ACCOUNT_ID,
    region: "eu-west-2",
    replicaRegions: ["eu-west-1"],
    githubRepository: "example-org/hybrid-platform",
    ciEnvironments: ["prod", "dr"],
    publicDns: { zoneName: ZONE, hostname: HOSTNAME },
};

for (const mode of ["update", "preview"] as const) {
    describe(`bootstrap: the ACM validation record of the public hostname (${mode})`, () => {
        let alone: Plan;
        let stack: Plan;
        before(async () => {
            alone = await planComponent(
                () => {
                    const b = new AccountBootstrap("account", ARGS);
                    return { fqdns: b.certificateValidationRecordFqdns };
                },
                { stack: "bootstrap", preview: mode === "preview" },
            );
            stack = await planOf("bootstrap", mode);
        });

        it("creates one CNAME from the anchor certificate's validation option, in the public zone, without allowOverwrite", () => {
            for (const plan of [alone, stack]) {
                const record = one(plan, RECORD, "account-tls-validation");
                // The stack also validates dev's hostname (Pulumi.bootstrap.yaml additionalHostnames).
                assert.equal(ofType(plan, RECORD).length, plan === alone ? 1 : 2);
                const certificate = one(plan, CERTIFICATE, "account-validation-anchor");
                assert.deepEqual([certificate.props.domainName, certificate.props.validationMethod], [HOSTNAME, "DNS"]);
                assert.equal(record.props.allowOverwrite, undefined, "taking over a record makes its other owner's destroy delete it");
                for (const key of ["name", "type", "records"]) assert.deepEqual(record.propertyDependencies[key], [certificate.urn], key);
                const zone = new PlatformMocks({ region: "eu-west-2", preview: false }).call({
                    token: "aws:route53/getZone:getZone",
                    inputs: { name: ZONE },
                } as never);
                if (mode === "update") {
                    assert.equal(record.props.zoneId, zone.zoneId, "the record lands in the zone looked up by dns.zoneName");
                    assert.equal(record.props.type, "CNAME");
                    assert.match(String((record.props.records as string[])[0]), /\.acm-validations\.aws\.$/);
                } else assert.equal(record.props.name, UNKNOWN);
                // The bootstrap fails (not prod) when the record does not validate: it waits for ACM itself.
                const validation = one(plan, VALIDATION, "account-validation-anchor");
                assert.deepEqual(validation.propertyDependencies.validationRecordFqdns, [record.urn]);
            }
        });

        it("outputs the record's FQDN by hostname, once ACM has validated against it", () => {
            const fqdns = stack.outputs.certificateValidationRecordFqdns as Record<string, string>;
            if (mode === "preview") {
                assert.equal(fqdns, UNKNOWN);
                return;
            }
            assert.deepEqual(Object.keys(fqdns).sort(), [`dev.${HOSTNAME}`, HOSTNAME]);
            const [option] = one(stack, CERTIFICATE, "account-validation-anchor").props.domainValidationOptions as { resourceRecordName: string }[];
            assert.equal(fqdns[HOSTNAME], option.resourceRecordName.replace(/\.$/, ""), "no trailing dot: what CertificateValidation compares");
            assert.deepEqual(alone.outputs.fqdns, { [HOSTNAME]: fqdns[HOSTNAME] });
        });
    });
}

describe("bootstrap: validation record arguments and config", () => {
    it("creates no record (and outputs an empty map) without publicDns", async () => {
        const plan = await planComponent(
            () => ({ fqdns: new AccountBootstrap("account", { ...ARGS, publicDns: undefined }).certificateValidationRecordFqdns }),
            { stack: "bootstrap" },
        );
        assert.deepEqual([ofType(plan, RECORD), ofType(plan, CERTIFICATE)], [[], []]);
        assert.deepEqual(plan.outputs.fqdns, {});
    });

    it("refuses a hostname outside its zone before registering anything", async () => {
        await assertRejectsArgs(
            () => new AccountBootstrap("account", { ...ARGS, publicDns: { zoneName: ZONE, hostname: "portal.example.org" } }),
            ["publicDns.hostname"],
            {
                stack: "bootstrap",
            },
        );
    });

    it("requires the dns section in Pulumi.bootstrap.yaml, with prod's and dr's shape", () => {
        assert.deepEqual(loadBootstrapConfig(configWith("bootstrap", {})).dns, { zoneName: ZONE, hostname: HOSTNAME });
        assert.throws(
            () => loadBootstrapConfig(configWith("bootstrap", { "hybrid-platform:dns": undefined })),
            (e) => e instanceof ConfigError && /hybrid-platform:dns/.test(e.message),
        );
        assert.throws(
            () => loadBootstrapConfig(configWith("bootstrap", { "hybrid-platform:dns": JSON.stringify({ zoneName: ZONE, hostname: "portal.example.org" }) })),
            /hybrid-platform:dns\.hostname: expected a hostname inside zoneName/,
        );
    });
});
