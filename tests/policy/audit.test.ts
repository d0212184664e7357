/** The audit policies (policy/audit.ts): compliant and violating fixtures, see tests/support/policyCases.ts. */
import * as assert from "node:assert/strict";
import { T } from "../../policy/lib";
import { auditPolicies } from "../../policy/audit";
import { Case, describeCases, key, single } from "../support/policyCases";

const CASES: Case[] = [
    single(
        "cloudtrail-multi-region-validated",
        T.trail,
        (f) => ({ isMultiRegionTrail: true, includeGlobalServiceEvents: true, enableLogFileValidation: true, kmsKeyId: f.arn(key(f)), s3BucketName: "trail" }),
        {
            "single region": () => ({ isMultiRegionTrail: false }),
            "no log file validation": () => ({ enableLogFileValidation: undefined }),
            "no CMK": () => ({ kmsKeyId: undefined }),
        },
    ),
    {
        policy: "vpc-flow-logs",
        compliant: (f) => {
            const vpc = f.add(T.vpc, "vpc", { cidrBlock: "10.10.0.0/16" });
            f.add(T.flowLog, "vpc", { vpcId: f.ref(vpc), trafficType: "ALL", logDestinationType: "cloud-watch-logs" });
        },
        violations: {
            "no flow log": (f) => void f.add(T.vpc, "vpc", { cidrBlock: "10.10.0.0/16" }),
            "rejected traffic only": (f) => {
                const vpc = f.add(T.vpc, "vpc", { cidrBlock: "10.10.0.0/16" });
                f.add(T.flowLog, "vpc", { vpcId: f.ref(vpc), trafficType: "REJECT" });
            },
        },
    },
    single("eks-control-plane-logs", T.eksComponent, () => ({ enabledClusterLogTypes: ["api", "audit", "authenticator", "controllerManager", "scheduler"] }), {
        "api only": () => ({ enabledClusterLogTypes: ["api"] }),
        none: () => ({ enabledClusterLogTypes: undefined }),
    }),
    {
        policy: "alb-access-logs",
        compliant: (f) => {
            const logs = f.add(T.bucket, "logs", {});
            f.add(T.lb, "alb", {
                loadBalancerType: "application",
                dropInvalidHeaderFields: true,
                accessLogs: { enabled: true, bucket: f.ref(logs), prefix: "alb" },
            });
        },
        violations: {
            "no access logs": (f) => void f.add(T.lb, "alb", { loadBalancerType: "application", dropInvalidHeaderFields: true }),
            "invalid headers forwarded": (f) => void f.add(T.lb, "alb", { loadBalancerType: "application", accessLogs: { enabled: true, bucket: "logs" } }),
        },
    },
    single("log-retention", T.logGroup, () => ({ retentionInDays: 365 }), {
        "30 days": () => ({ retentionInDays: 30 }),
        "never expires": () => ({ retentionInDays: undefined }),
    }),
];

describe("policy pack: audit fixtures", () => {
    it("every audit policy has a case with at least one violation", () => {
        const covered = new Set(CASES.filter((c) => Object.keys(c.violations).length > 0).map((c) => c.policy));
        assert.deepEqual(
            auditPolicies.map((p) => p.name).filter((n) => !covered.has(n)),
            [],
        );
    });

    describeCases(CASES);
});
