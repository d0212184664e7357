/** The edge policies (policy/edge.ts): compliant and violating fixtures, see tests/support/policyCases.ts. */
import * as assert from "node:assert/strict";
import { T } from "../../policy/lib";
import { edgePolicies } from "../../policy/edge";
import { Case, describeCases, edge, ingress, single, webAclRules } from "../support/policyCases";

const CASES: Case[] = [
    single("waf-managed-rules", T.webAcl, () => ({ scope: "REGIONAL", rules: webAclRules() }), {
        "no SQLi rule group": () => ({ rules: webAclRules({ sqli: false }) }),
        "common rules in count mode": () => ({ rules: webAclRules({ commonCount: true }) }),
        "no rate-based rule": () => ({ rules: webAclRules({ rate: false }) }),
    }),
    {
        policy: "waf-on-internet-facing",
        compliant: (f) => {
            edge(f);
            ingress(f);
            f.add(T.lb, "internal", { internal: true, loadBalancerType: "application" });
        },
        violations: {
            "ALB without web ACL": (f) => void edge(f, { assoc: false }),
            "ALB with a web ACL lacking SQLi": (f) => void edge(f, { acl: { sqli: false } }),
            "internet-facing ingress without wafv2-acl-arn": (f) => void ingress(f, { "alb.ingress.kubernetes.io/wafv2-acl-arn": undefined }),
        },
    },
];

describe("policy pack: edge fixtures", () => {
    it("every edge policy has a case with at least one violation", () => {
        const covered = new Set(CASES.filter((c) => Object.keys(c.violations).length > 0).map((c) => c.policy));
        assert.deepEqual(
            edgePolicies.map((p) => p.name).filter((n) => !covered.has(n)),
            [],
        );
    });

    describeCases(CASES);
});
