/** The Kubernetes workloads policies (policy/workloads.ts): compliant and violating fixtures, see tests/support/policyCases.ts. */
import * as assert from "node:assert/strict";
import { T } from "../../policy/lib";
import { workloadPolicies } from "../../policy/workloads";
import { Case, container, deployment, describeCases } from "../support/policyCases";
import { GUARDED_CASES } from "./guardedCases";
import { MESH_CASES } from "./meshCases";

const CASES: Case[] = [
    {
        policy: "k8s-pod-hardening",
        compliant: (f) => void deployment(f),
        violations: {
            privileged: (f) => void deployment(f, { container: { securityContext: { ...container().securityContext, privileged: true } } }),
            "privilege escalation": (f) =>
                void deployment(f, { container: { securityContext: { ...container().securityContext, allowPrivilegeEscalation: true } } }),
            "writable root filesystem": (f) =>
                void deployment(f, { container: { securityContext: { ...container().securityContext, readOnlyRootFilesystem: false } } }),
            "root user": (f) => void deployment(f, { container: { securityContext: { ...container().securityContext, runAsUser: 0 } } }),
        },
    },
    {
        policy: "k8s-resources-and-probes",
        compliant: (f) => void deployment(f),
        violations: {
            "no limits": (f) => void deployment(f, { container: { resources: { requests: { cpu: "500m", memory: "1Gi" } } } }),
            "no readiness probe": (f) => void deployment(f, { container: { readinessProbe: undefined } }),
        },
    },
    {
        policy: "k8s-no-secret-literals",
        compliant: (f) => void deployment(f),
        violations: {
            "literal password": (f) => void deployment(f, { container: { env: [{ name: "DATABASE_PASSWORD", value: "hunter2" }] } }),
            "password from a program value": (f) => {
                const secret = f.add(T.secret, "db", {});
                deployment(f, { container: { env: [{ name: "REDIS_AUTH_TOKEN", value: f.computed(secret, "s3cr3t") }] } });
            },
        },
    },
];

// issue #11 (build 4): the policies that guard what the program already gets right.
CASES.push(...GUARDED_CASES.workloads);
// issue #12: STRICT mTLS in the app namespace.
CASES.push(...MESH_CASES.workloads);

describe("policy pack: Kubernetes workloads fixtures", () => {
    it("every Kubernetes workloads policy has a case with at least one violation", () => {
        const covered = new Set(CASES.filter((c) => Object.keys(c.violations).length > 0).map((c) => c.policy));
        assert.deepEqual(
            workloadPolicies.map((p) => p.name).filter((n) => !covered.has(n)),
            [],
        );
    });

    describeCases(CASES);
});
