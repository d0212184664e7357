import * as assert from "node:assert/strict";
import { REQUIRED_PRIMARY_OUTPUTS as FROM_DR_CONFIG, missingPrimaryOutputs } from "../../model/drConfig";
import { PRIMARY_OUTPUTS_READ_BY_DR, REQUIRED_PRIMARY_OUTPUTS } from "../../model/primaryOutputs";
import { PROD_OUTPUTS, planOf } from "../support";

describe("the prod -> dr output contract (model/primaryOutputs.ts)", () => {
    it("derives the dr stack's required outputs from the table, in prod's output order", () => {
        assert.equal(FROM_DR_CONFIG, REQUIRED_PRIMARY_OUTPUTS, "model/drConfig.ts re-exports the derived list");
        assert.deepEqual(REQUIRED_PRIMARY_OUTPUTS, [
            "region",
            "databaseArn",
            "databaseSecretReplicas",
            "documentsBucketName",
            "documentsBucketArn",
            "documentsKeyArn",
            "albDnsName",
            "albZoneId",
        ]);
        assert.deepEqual(
            REQUIRED_PRIMARY_OUTPUTS,
            Object.entries(PRIMARY_OUTPUTS_READ_BY_DR)
                .filter(([, read]) => read)
                .map(([key]) => key),
        );
    });

    it("the prod plan exports exactly the contract's outputs (vpnConnectionId only with on-prem), and nothing dr needs is missing", async () => {
        const outputs = (await planOf("prod")).outputs;
        const contract = Object.keys(PRIMARY_OUTPUTS_READ_BY_DR);
        assert.deepEqual(Object.keys(outputs).sort(), contract.filter((k) => k !== "vpnConnectionId" || k in outputs).sort());
        assert.deepEqual(missingPrimaryOutputs(outputs, "eu-west-1"), []);
    });

    it("the dr tests' prod fixture carries every output dr requires", () => {
        assert.deepEqual(missingPrimaryOutputs(PROD_OUTPUTS, "eu-west-1"), []);
    });
});
