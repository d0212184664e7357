/** The identity policies (policy/identity.ts): compliant and violating fixtures, see tests/support/policyCases.ts. */
import * as assert from "node:assert/strict";
import { T } from "../../policy/lib";
import { identityPolicies } from "../../policy/identity";
import { Case, describeCases, single, trust } from "../support/policyCases";
import { GUARDED_CASES } from "./guardedCases";

const GH_AUD = "token.actions.githubusercontent.com:aud";
const GH_SUB = "token.actions.githubusercontent.com:sub";
const githubTrust = (Condition: Record<string, Record<string, string>>) =>
    trust({ Principal: { Federated: "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com" }, Condition });

const CASES: Case[] = [
    single(
        "iam-role-trust-scoped",
        T.role,
        () => ({
            assumeRolePolicy: trust({
                Principal: { Federated: "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-2.amazonaws.com/id/ABC" },
                Condition: {
                    StringEquals: {
                        "oidc.eks.eu-west-2.amazonaws.com/id/ABC:sub": "system:serviceaccount:portal:web",
                        "oidc.eks.eu-west-2.amazonaws.com/id/ABC:aud": "sts.amazonaws.com",
                    },
                },
            }),
        }),
        {
            "Principal *": () => ({ assumeRolePolicy: trust({ Principal: { AWS: "*" }, Action: "sts:AssumeRole" }) }),
            "IRSA without :sub": () => ({
                assumeRolePolicy: trust({
                    Principal: { Federated: "arn:aws:iam::111122223333:oidc-provider/x" },
                    Condition: { StringEquals: { "oidc.eks.eu-west-2.amazonaws.com/id/ABC:aud": "sts.amazonaws.com" } },
                }),
            }),
        },
    ),
    // Issue #14: a GitHub OIDC trust pins aud and one repository's subject with StringEquals.
    single(
        "iam-role-trust-scoped",
        T.role,
        () => ({
            assumeRolePolicy: githubTrust({ StringEquals: { [GH_AUD]: "sts.amazonaws.com", [GH_SUB]: "repo:example-org/hybrid-platform:pull_request" } }),
        }),
        {
            "GitHub trust without sub": () => ({ assumeRolePolicy: githubTrust({ StringEquals: { [GH_AUD]: "sts.amazonaws.com" } }) }),
            "GitHub sub under StringLike": () => ({
                assumeRolePolicy: githubTrust({
                    StringEquals: { [GH_AUD]: "sts.amazonaws.com" },
                    StringLike: { [GH_SUB]: "repo:example-org/hybrid-platform:*" },
                }),
            }),
            "GitHub wildcard repository": () => ({
                assumeRolePolicy: githubTrust({ StringEquals: { [GH_AUD]: "sts.amazonaws.com", [GH_SUB]: "repo:example-org/*" } }),
            }),
            "GitHub sub pinned, aud not": () => ({
                assumeRolePolicy: githubTrust({ StringEquals: { [GH_SUB]: "repo:example-org/hybrid-platform:environment:prod" } }),
            }),
            // Under an issuer ARN the pack cannot read (unknown in preview), the condition keys still name GitHub.
            "GitHub keys, unnamed provider, wildcard sub": () => ({
                assumeRolePolicy: trust({
                    Principal: { Federated: "arn:aws:iam::111122223333:oidc-provider/other" },
                    Condition: { StringEquals: { [GH_AUD]: "sts.amazonaws.com", [GH_SUB]: "repo:example-org/hybrid-platform:ref:refs/heads/*" } },
                }),
            }),
        },
    ),
    single(
        "iam-no-wildcard-admin",
        T.rolePolicy,
        () => ({
            policy: JSON.stringify({ Statement: [{ Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject"], Resource: "arn:aws:s3:::documents/*" }] }),
        }),
        {
            "Action *": () => ({ policy: JSON.stringify({ Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }) }),
            "s3:* on *": () => ({ policy: JSON.stringify({ Statement: [{ Effect: "Allow", Action: ["s3:*"], Resource: ["*"] }] }) }),
        },
    ),
    {
        policy: "no-plaintext-passwords",
        compliant: (f) => {
            // The PostgresDatabase shape: generated, write-only to RDS, stored in a secret.
            const generated = f.add(T.randomPassword, "master", { length: 40, special: true });
            const db = f.add(T.rds, "db", {
                engine: "postgres",
                username: "platform_admin",
                passwordWo: f.computed(generated, "generated"),
                passwordWoVersion: 1,
            });
            const secret = f.add(T.secret, "master", { name: "db/master" });
            f.add(T.secretVersion, "master", {
                secretId: f.ref(secret),
                secretStringWo: f.computed(generated, JSON.stringify({ password: "generated" })),
                secretStringWoVersion: 1,
                host: f.ref(db),
            });
            f.add(T.rds, "managed", { engine: "postgres", manageMasterUserPassword: true, username: "portal" });
            f.add(T.rds, "replica", { replicateSourceDb: "arn:aws:rds:eu-west-2:111122223333:db:db" });
            // A promoted replica: no password of its own, the inherited one named by its secret.
            f.add(T.rds, "promoted", {
                tags: { "hybrid-platform/master-credential": "arn:aws:secretsmanager:eu-west-1:111122223333:secret:db/master-AbCdEf" },
            });
        },
        violations: {
            "literal password": (f) => void f.add(T.rds, "db", { engine: "postgres", password: "correct-horse" }),
            "password not managed": (f) => void f.add(T.rds, "db", { engine: "postgres", manageMasterUserPassword: false }),
            "write-only literal": (f) => void f.add(T.rds, "db", { engine: "postgres", passwordWo: "correct-horse", passwordWoVersion: 1 }),
            "generated but stored nowhere": (f) => {
                const generated = f.add(T.randomPassword, "master", { length: 40 });
                f.add(T.rds, "db", { engine: "postgres", passwordWo: f.computed(generated, "generated"), passwordWoVersion: 1 });
            },
            "stored, but a different password": (f) => {
                const generated = f.add(T.randomPassword, "master", { length: 40 });
                const other = f.add(T.randomPassword, "other", { length: 40 });
                f.add(T.rds, "db", { engine: "postgres", passwordWo: f.computed(generated, "generated"), passwordWoVersion: 1 });
                f.add(T.secretVersion, "master", { secretId: "db/master", secretStringWo: f.computed(other, "other"), secretStringWoVersion: 1 });
            },
            "cluster master password": (f) =>
                void f.add(T.rdsCluster, "db", { engine: "aurora-postgresql", masterPassword: "correct-horse", manageMasterUserPassword: true }),
            "credential tag not a secret": (f) => void f.add(T.rds, "promoted", { tags: { "hybrid-platform/master-credential": "ask the DBA" } }),
        },
    },
];

// issue #11 (build 4): the policies that guard what the program already gets right.
CASES.push(...GUARDED_CASES.identity);

describe("policy pack: identity fixtures", () => {
    it("every identity policy has a case with at least one violation", () => {
        const covered = new Set(CASES.filter((c) => Object.keys(c.violations).length > 0).map((c) => c.policy));
        assert.deepEqual(
            identityPolicies.map((p) => p.name).filter((n) => !covered.has(n)),
            [],
        );
    });

    describeCases(CASES);
});
