/** Issue #11 (build 4): the declared opt-out of sg-egress-scoped (the cases themselves run in tests/policy/<concern>.test.ts). */
import * as assert from "node:assert/strict";
import { diagnose } from "../support/policyCases";
import { isDeclaredOptOut } from "../support/policyFixtures";
import { DECLARED_INTERNET_EGRESS } from "./guardedCases";

describe("sg-egress-scoped: a declared HTTPS-only internet egress", () => {
    for (const mode of ["update", "preview"] as const) {
        it(`is reported as advisory with its reason, a declared opt-out (${mode})`, async () => {
            const ds = await diagnose(DECLARED_INTERNET_EGRESS, mode, "sg-egress-scoped");
            assert.deepEqual(
                ds.map((d) => d.enforcementLevel),
                ["advisory"],
            );
            assert.match(ds[0].message, /declared internet egress \(the CI runner fetches from GitHub over HTTPS\)/);
            assert.ok(isDeclaredOptOut(ds[0].message));
        });
    }
});
