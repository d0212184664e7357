/** The pack as a whole: every policy documented, uniquely named, and tested in its concern's file. */
import * as assert from "node:assert/strict";
import { auditPolicies } from "../../policy/audit";
import { availabilityPolicies } from "../../policy/availability";
import { dataProtectionPolicies } from "../../policy/dataProtection";
import { deployabilityPolicies } from "../../policy/deployability";
import { edgePolicies } from "../../policy/edge";
import { encryptionPolicies } from "../../policy/encryption";
import { endpointPolicyPolicies } from "../../policy/endpointPolicies";
import { exposurePolicies } from "../../policy/exposure";
import { identityPolicies } from "../../policy/identity";
import { keyPolicyPolicies } from "../../policy/keyPolicies";
import { logShippingPolicies } from "../../policy/logShipping";
import { allPolicies } from "../../policy/policies";
import { reachabilityPolicies } from "../../policy/reachability";
import { supplyChainPolicies } from "../../policy/supplyChain";
import { workloadPolicies } from "../../policy/workloads";
import { alarmPolicies } from "../../policy/alarms";
import { collectionPolicies } from "../../policy/collection";

describe("policy pack: compliant and violating fixtures", () => {
    it("every policy belongs to a concern whose test file covers it (tests/policy/<concern>.test.ts)", () => {
        const concerns = [
            encryptionPolicies,
            availabilityPolicies,
            dataProtectionPolicies,
            exposurePolicies,
            identityPolicies,
            auditPolicies,
            workloadPolicies,
            supplyChainPolicies,
            edgePolicies,
            // tests/policy/keyPolicies.test.ts (deployability, issue #11)
            keyPolicyPolicies,
            deployabilityPolicies,
            // tests/policy/reachability.test.ts (network-exposure, issue #12)
            reachabilityPolicies,
            // tests/policy/alarms.test.ts (availability, issue #13)
            alarmPolicies,
            // tests/policy/endpointPolicies.test.ts (network-exposure, issue #12)
            endpointPolicyPolicies,
            // tests/policy/logShipping.test.ts (audit, issue #13)
            logShippingPolicies,
            // tests/policy/collection.test.ts (availability, issue #13)
            collectionPolicies,
        ];
        assert.deepEqual(
            concerns
                .flat()
                .map((p) => p.name)
                .sort(),
            allPolicies.map((p) => p.name).sort(),
        );
    });

    it("every policy states its concern, seed section, remediation and a waiverReason setting", () => {
        for (const p of allPolicies) {
            assert.ok(p.description.length > 20 && p.remediationSteps && p.meta.seed && p.meta.why, p.name);
            assert.ok(p.configSchema?.properties.waiverReason, p.name);
        }
        assert.equal(new Set(allPolicies.map((p) => p.name)).size, allPolicies.length, "policy names are unique");
    });
});
