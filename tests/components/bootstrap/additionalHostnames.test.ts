/**
 * Further hostnames the bootstrap stack validates (issue #14: the dev stack's own hostname): one ACM anchor and
 * CNAME per name, named by it so adding one moves nothing, all in the output map prod, dr and dev read.
 */
import * as assert from "node:assert/strict";
import { AccountBootstrap, AccountBootstrapArgs } from "../../../components/bootstrap/accountBootstrap";
import { MOCK_ACCOUNT_ID } from "../../../tools/mocks";
import { ofType, planComponent } from "../../support";
import { assertRejectsArgs } from "../../support/args";

const ZONE = "citizen-portal.example.gov.uk";
const HOSTNAME = `portal.${ZONE}`;
const DEV = `dev.portal.${ZONE}`;
const ARGS: AccountBootstrapArgs = {
    accountId: MOCK_ACCOUNT_ID,
    region: "eu-west-2",
    replicaRegions: ["eu-west-1"],
    githubRepository: "example-org/hybrid-platform",
    ciEnvironments: ["prod", "dr", "dev"],
    publicDns: { zoneName: ZONE, hostname: HOSTNAME, additionalHostnames: [DEV] },
};

describe("bootstrap: additional hostnames (dev's)", () => {
    for (const preview of [false, true]) {
        it(`validates each with its own record and outputs every name (${preview ? "preview" : "update"})`, async () => {
            const plan = await planComponent(() => ({ fqdns: new AccountBootstrap("account", ARGS).certificateValidationRecordFqdns }), {
                stack: "bootstrap",
                preview,
            });
            const records = ofType(plan, "aws:route53/record:Record").map((r) => r.name);
            assert.deepEqual(records.sort(), [`account-${DEV}-tls-validation`, "account-tls-validation"]);
            assert.equal(ofType(plan, "aws:acm/certificate:Certificate").length, 2);
            if (!preview) assert.deepEqual(Object.keys(plan.outputs.fqdns as object).sort(), [DEV, HOSTNAME]);
        });
    }

    it("refuses a further hostname outside the zone (Route 53 would refuse its record) or repeating the main one", async () => {
        for (const bad of ["dev.example.org", HOSTNAME])
            await assertRejectsArgs(
                () => new AccountBootstrap("account", { ...ARGS, publicDns: { zoneName: ZONE, hostname: HOSTNAME, additionalHostnames: [bad] } }),
                ["publicDns.additionalHostnames[0]"],
                { stack: "bootstrap" },
            );
    });
});
