/**
 * The policy cases' shared parts: a Case is a policy's compliant fixture and its violating ones, each
 * evaluated in the update shape and the preview shape (references unknown, joined through
 * propertyDependencies) through the same analyzer path as `pulumi preview --policy-pack`.
 * tests/policy/<concern>.test.ts hold the cases of policy/<concern>.ts.
 */
import * as assert from "node:assert/strict";
import { T } from "../../policy/lib";
import { allPolicies } from "../../policy/policies";
import { analyzeResources } from "../../tools/policyRunner";
import { Declared, Fixture, Mode } from "./policyFixtures";

export type Build = (f: Fixture) => void;

export interface Case {
    readonly policy: string;
    readonly compliant: Build;
    readonly violations: Record<string, Build>;
    /** The compliant fixture computes a checked prop from another resource's output: preview can only say "can't run". */
    readonly previewCannotRun?: boolean;
    /** Environment of the fixture stack. Default production. */
    readonly environment?: string;
}

export const key = (f: Fixture, name = "key") => f.add(T.kmsKey, name, { enableKeyRotation: true, deletionWindowInDays: 30 });

/** One resource per case: good props, and each violation a shallow patch (undefined deletes). */
export function single(
    policy: string,
    type: string,
    good: (f: Fixture) => Record<string, unknown>,
    bad: Record<string, (f: Fixture) => Record<string, unknown>>,
    extra: Partial<Case> = {},
): Case {
    return {
        policy,
        compliant: (f) => void f.add(type, "subject", good(f)),
        violations: Object.fromEntries(
            Object.entries(bad).map(([what, patch]) => [what, (f: Fixture) => void f.add(type, "subject", { ...good(f), ...patch(f) })]),
        ),
        ...extra,
    };
}

export const container = (overrides: Record<string, unknown> = {}) => ({
    name: "web",
    image: "111122223333.dkr.ecr.eu-west-2.amazonaws.com/web:1.4.2",
    securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, privileged: false, capabilities: { drop: ["ALL"] } },
    resources: { requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "1", memory: "1Gi" } },
    readinessProbe: { httpGet: { path: "/healthz", port: 8000 } },
    livenessProbe: { httpGet: { path: "/healthz", port: 8000 } },
    env: [
        { name: "DATABASE_PASSWORD", valueFrom: { secretKeyRef: { name: "db", key: "password" } } },
        { name: "DATABASE_CREDENTIALS_FILE", value: "/mnt/secrets/db" },
    ],
    ...overrides,
});

export function deployment(
    f: Fixture,
    opts: { replicas?: number; container?: Record<string, unknown>; spread?: boolean; annotations?: Record<string, string>; image?: unknown } = {},
): Declared {
    return f.add(T.deployment, "web", {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "web", namespace: "portal", annotations: opts.annotations ?? {} },
        spec: {
            replicas: opts.replicas ?? 3,
            selector: { matchLabels: { app: "web" } },
            template: {
                metadata: { labels: { app: "web" } },
                spec: {
                    securityContext: { runAsNonRoot: true },
                    containers: [{ ...container(opts.container), ...(opts.image !== undefined ? { image: opts.image } : {}) }],
                    ...(opts.spread === false
                        ? {}
                        : {
                              topologySpreadConstraints: [
                                  {
                                      maxSkew: 1,
                                      topologyKey: "topology.kubernetes.io/zone",
                                      whenUnsatisfiable: "DoNotSchedule",
                                      labelSelector: { matchLabels: { app: "web" } },
                                  },
                              ],
                          }),
                },
            },
        },
    });
}
export const pdb = (f: Fixture, labels: Record<string, string> = { app: "web" }) =>
    f.add(T.pdb, "web", { metadata: { name: "web", namespace: "portal" }, spec: { maxUnavailable: 1, selector: { matchLabels: labels } } });

export const denyInsecure = (arn: string) =>
    JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: "*",
                Action: "s3:*",
                Resource: [arn, `${arn}/*`],
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
        ],
    });

export function bucketWith(
    f: Fixture,
    parts: {
        sse?: Record<string, unknown> | false;
        versioning?: string | false;
        pab?: Record<string, boolean> | false;
        policy?: "deny" | "plain" | false;
        tags?: Record<string, string>;
    } = {},
) {
    const bucket = f.add(T.bucket, "documents", { forceDestroy: false, ...(parts.tags ? { tags: parts.tags } : {}) });
    if (parts.sse !== false) {
        f.add(T.bucketSse, "documents", {
            bucket: f.ref(bucket),
            rules: [{ applyServerSideEncryptionByDefault: parts.sse ?? { sseAlgorithm: "aws:kms", kmsMasterKeyId: f.arn(key(f)) }, bucketKeyEnabled: true }],
        });
    }
    if (parts.versioning !== false)
        f.add(T.bucketVersioning, "documents", { bucket: f.ref(bucket), versioningConfiguration: { status: parts.versioning ?? "Enabled" } });
    if (parts.pab !== false) {
        f.add(T.bucketPab, "documents", {
            bucket: f.ref(bucket),
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
            ...(parts.pab ?? {}),
        });
    }
    if (parts.policy === "deny" || parts.policy === undefined)
        f.add(T.bucketPolicy, "documents", { bucket: f.ref(bucket), policy: f.computed(bucket, denyInsecure(f.arnOf(bucket))) });
    if (parts.policy === "plain") {
        f.add(T.bucketPolicy, "documents", {
            bucket: f.ref(bucket),
            policy: JSON.stringify({
                Version: "2012-10-17",
                Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "s3:GetObject", Resource: "*" }],
            }),
        });
    }
    return bucket;
}

export const goodVpn: Record<string, unknown> = Object.fromEntries(
    ["tunnel1", "tunnel2"].flatMap((t) => [
        [`${t}IkeVersions`, ["ikev2"]],
        [`${t}Phase1EncryptionAlgorithms`, ["AES256-GCM-16"]],
        [`${t}Phase2EncryptionAlgorithms`, ["AES256-GCM-16"]],
        [`${t}Phase1IntegrityAlgorithms`, ["SHA2-384"]],
        [`${t}Phase2IntegrityAlgorithms`, ["SHA2-384"]],
        [`${t}Phase1DhGroupNumbers`, [20, 21]],
        [`${t}Phase2DhGroupNumbers`, [20, 21]],
        [`${t}LogOptions`, { cloudwatchLogOptions: { logEnabled: true, logGroupArn: "arn:aws:logs:eu-west-2:111122223333:log-group:vpn" } }],
    ]),
);

export const webAclRules = (opts: { sqli?: boolean; commonCount?: boolean; rate?: boolean } = {}) => [
    ...(opts.sqli === false
        ? []
        : [
              {
                  name: "sqli",
                  priority: 1,
                  overrideAction: { none: {} },
                  statement: { managedRuleGroupStatement: { vendorName: "AWS", name: "AWSManagedRulesSQLiRuleSet" } },
                  visibilityConfig: {},
              },
          ]),
    {
        name: "common",
        priority: 2,
        overrideAction: opts.commonCount ? { count: {} } : { none: {} },
        statement: { managedRuleGroupStatement: { vendorName: "AWS", name: "AWSManagedRulesCommonRuleSet" } },
        visibilityConfig: {},
    },
    ...(opts.rate === false
        ? []
        : [
              {
                  name: "rate",
                  priority: 3,
                  action: { block: {} },
                  statement: { rateBasedStatement: { limit: 2000, aggregateKeyType: "IP" } },
                  visibilityConfig: {},
              },
          ]),
];

export function edge(f: Fixture, opts: { assoc?: boolean; acl?: Parameters<typeof webAclRules>[0] } = {}) {
    const sg = f.add(T.sg, "alb", { description: "ALB" });
    const lb = f.add(T.lb, "alb", {
        internal: false,
        loadBalancerType: "application",
        securityGroups: [f.ref(sg)],
        dropInvalidHeaderFields: true,
        enableDeletionProtection: true,
    });
    const acl = f.add(T.webAcl, "edge", { scope: "REGIONAL", defaultAction: { allow: {} }, rules: webAclRules(opts.acl) });
    if (opts.assoc !== false) f.add(T.webAclAssoc, "edge", { resourceArn: f.arn(lb), webAclArn: f.arn(acl) });
    return { sg, lb, acl };
}

export const trust = (statement: Record<string, unknown>) =>
    JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:AssumeRoleWithWebIdentity", ...statement }] });

export const ingressAnnotations = {
    "alb.ingress.kubernetes.io/scheme": "internet-facing",
    "alb.ingress.kubernetes.io/listen-ports": '[{"HTTP":80},{"HTTPS":443}]',
    "alb.ingress.kubernetes.io/ssl-redirect": "443",
    "alb.ingress.kubernetes.io/ssl-policy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
    "alb.ingress.kubernetes.io/certificate-arn": "arn:aws:acm:eu-west-2:111122223333:certificate/abc",
    "alb.ingress.kubernetes.io/wafv2-acl-arn": "arn:aws:wafv2:eu-west-2:111122223333:regional/webacl/edge/1",
};
export const ingress = (f: Fixture, annotations: Record<string, string | undefined> = {}) =>
    f.add(T.ingress, "portal", {
        metadata: { name: "portal", namespace: "portal", annotations: JSON.parse(JSON.stringify({ ...ingressAnnotations, ...annotations })) },
        spec: { ingressClassName: "alb" },
    });

export async function diagnose(build: Build, mode: Mode, policy: string, environment?: string) {
    const f = new Fixture(environment);
    build(f);
    const p = allPolicies.find((x) => x.name === policy);
    assert.ok(p, `no policy ${policy}`);
    return analyzeResources(f.resources(mode), { policies: [p] });
}

/** The compliant and violating fixtures of each case, in both modes. */
export function describeCases(cases: Case[]): void {
    for (const c of cases) {
        describe(`${c.policy}${c.environment ? ` (${c.environment})` : ""}`, () => {
            for (const mode of ["update", "preview"] as const) {
                it(`passes the compliant fixture (${mode})`, async () => {
                    const ds = await diagnose(c.compliant, mode, c.policy, c.environment);
                    const unexpected = ds.filter(
                        (d) => !(c.previewCannotRun && mode === "preview" && d.enforcementLevel === "advisory" && /can't run/.test(d.message)),
                    );
                    assert.deepEqual(
                        unexpected.map((d) => d.message),
                        [],
                    );
                });
                for (const [what, build] of Object.entries(c.violations)) {
                    it(`rejects: ${what} (${mode})`, async () => {
                        const ds = await diagnose(build, mode, c.policy, c.environment);
                        assert.ok(
                            ds.some((d) => d.policy === c.policy && d.enforcementLevel === "mandatory"),
                            `expected a mandatory ${c.policy} violation, got ${JSON.stringify(ds.map((d) => `${d.enforcementLevel}: ${d.message}`))}`,
                        );
                    });
                }
            }
        });
    }
}
