/**
 * kms-key-admits-services (policy/keyPolicies.ts): compliant and violating fixtures in both modes. In
 * preview the using resources' key references are unknown, so each join below runs on
 * propertyDependencies alone; the key policies are literals (as the program's are, from the account id).
 */
import * as assert from "node:assert/strict";
import { T } from "../../policy/lib";
import { allPolicies } from "../../policy/policies";
import { analyzeResources } from "../../tools/policyRunner";
import { ofType, planOf } from "../support";
import { Case, describeCases, diagnose } from "../support/policyCases";
import { Declared, Fixture } from "../support/policyFixtures";

const POLICY = "kms-key-admits-services";
const ACCOUNT = "111122223333";
const TRAIL_ARN = `arn:aws:cloudtrail:eu-west-2:${ACCOUNT}:trail/audit`;
const ROOT = { Sid: "Root", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "kms:*", Resource: "*" };
const SLR = `arn:aws:iam::${ACCOUNT}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`;

type Statement = Record<string, unknown>;

/** A key whose policy is the account-root statement plus `statements`. */
const keyWith = (f: Fixture, statements: Statement[], root = true): Declared =>
    f.add(T.kmsKey, "key", {
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        policy: JSON.stringify({ Version: "2012-10-17", Statement: [...(root ? [ROOT] : []), ...statements] }),
    });

const service = (principal: string, actions: string[], condition?: Record<string, unknown>): Statement => ({
    Effect: "Allow",
    Principal: { Service: principal },
    Action: actions,
    Resource: "*",
    ...(condition ? { Condition: condition } : {}),
});

// ----------------------------------------------------------------------------- CloudTrail
const trailEncrypt = service("cloudtrail.amazonaws.com", ["kms:GenerateDataKey*"], {
    StringEquals: { "aws:SourceArn": TRAIL_ARN },
    StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": `arn:aws:cloudtrail:*:${ACCOUNT}:trail/*` },
});
const trailDescribeDecrypt = service("cloudtrail.amazonaws.com", ["kms:DescribeKey", "kms:Decrypt"], { StringEquals: { "aws:SourceArn": TRAIL_ARN } });

function trail(f: Fixture, statements: Statement[], bucketKey = true) {
    const key = keyWith(f, statements);
    const bucket = f.add(T.bucket, "trail", {});
    f.add(T.bucketSse, "trail", {
        bucket: f.ref(bucket),
        rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: f.arn(key) }, bucketKeyEnabled: bucketKey }],
    });
    f.add(T.trail, "audit", { name: "audit", s3BucketName: f.ref(bucket), kmsKeyId: f.arn(key), isMultiRegionTrail: true });
}

// ----------------------------------------------------------------------------- CloudWatch Logs
const logsContext = (pattern: string) => ({ ArnLike: { "kms:EncryptionContext:aws:logs:arn": pattern } });
const LOGS_ACTIONS = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"];

function logGroup(f: Fixture, statements: Statement[]) {
    const key = keyWith(f, statements);
    f.add(T.logGroup, "app", { name: "/hybrid-platform/fixture/app", retentionInDays: 365, kmsKeyId: f.arn(key) });
}

// ----------------------------------------------------------------------------- SNS publishers
const PUBLISH = ["kms:GenerateDataKey*", "kms:Decrypt"];

function alertTopic(f: Fixture, statements: Statement[]) {
    const key = keyWith(f, statements);
    const topic = f.add(T.topic, "alerts", { kmsMasterKeyId: f.arn(key) });
    f.add("aws:cloudwatch/metricAlarm:MetricAlarm", "errors", { alarmActions: [f.arn(topic)], okActions: [f.arn(topic)] });
    const workspace = f.add("aws:amp/workspace:Workspace", "metrics", {});
    f.add("aws:amp/alertManagerDefinition:AlertManagerDefinition", "metrics", {
        workspaceId: f.ref(workspace),
        definition: f.computed(topic, `alertmanager_config: |\n  receivers:\n    - name: sns\n      sns_configs:\n        - topic_arn: ${f.arnOf(topic)}\n`),
    });
}

// ----------------------------------------------------------------------------- EBS through the Auto Scaling role
const slrUse = {
    Effect: "Allow",
    Principal: { AWS: SLR },
    Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
    Resource: "*",
};
const slrGrant = {
    Effect: "Allow",
    Principal: { AWS: SLR },
    Action: ["kms:CreateGrant"],
    Resource: "*",
    Condition: { Bool: { "kms:GrantIsForAWSResource": true } },
};

function nodes(f: Fixture, statements: Statement[]) {
    const key = keyWith(f, statements);
    f.add(T.launchTemplate, "nodes", {
        blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "true", kmsKeyId: f.arn(key), volumeType: "gp3" } }],
        metadataOptions: { httpTokens: "required" },
    });
}

const cases: Case[] = [
    {
        policy: POLICY,
        compliant: (f) => trail(f, [trailEncrypt, trailDescribeDecrypt]),
        violations: {
            "DescribeKey under the cloudtrail encryption-context condition (finding 3)": (f) =>
                trail(f, [
                    service("cloudtrail.amazonaws.com", ["kms:GenerateDataKey*", "kms:DescribeKey"], trailEncrypt.Condition as Record<string, unknown>),
                    service("cloudtrail.amazonaws.com", ["kms:Decrypt"], { StringEquals: { "aws:SourceArn": TRAIL_ARN } }),
                ]),
            "no kms:Decrypt while the trail's bucket uses an S3 Bucket Key": (f) =>
                trail(f, [trailEncrypt, service("cloudtrail.amazonaws.com", ["kms:DescribeKey"], { StringEquals: { "aws:SourceArn": TRAIL_ARN } })]),
            "Decrypt only under the cloudtrail context (the bucket key's context is the bucket's)": (f) =>
                trail(f, [
                    service("cloudtrail.amazonaws.com", ["kms:GenerateDataKey*", "kms:Decrypt"], trailEncrypt.Condition as Record<string, unknown>),
                    service("cloudtrail.amazonaws.com", ["kms:DescribeKey"]),
                ]),
            "aws:SourceArn naming another trail": (f) =>
                trail(f, [
                    service("cloudtrail.amazonaws.com", ["kms:GenerateDataKey*", "kms:DescribeKey", "kms:Decrypt"], {
                        StringEquals: { "aws:SourceArn": `arn:aws:cloudtrail:eu-west-2:${ACCOUNT}:trail/other` },
                    }),
                ]),
            "no statement for CloudTrail at all": (f) => trail(f, []),
        },
    },
    {
        // Without an S3 Bucket Key, CloudTrail needs no kms:Decrypt.
        policy: POLICY,
        compliant: (f) => trail(f, [trailEncrypt, service("cloudtrail.amazonaws.com", ["kms:DescribeKey"])], false),
        violations: { "DescribeKey missing": (f) => trail(f, [trailEncrypt], false) },
    },
    {
        policy: POLICY,
        compliant: (f) => logGroup(f, [service("logs.eu-west-2.amazonaws.com", LOGS_ACTIONS, logsContext(`arn:aws:logs:eu-west-2:${ACCOUNT}:log-group:*`))]),
        violations: {
            "another region's logs principal": (f) =>
                logGroup(f, [service("logs.eu-west-1.amazonaws.com", LOGS_ACTIONS, logsContext(`arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:*`))]),
            "the context scoped to another region's log groups": (f) =>
                logGroup(f, [service("logs.eu-west-2.amazonaws.com", LOGS_ACTIONS, logsContext(`arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:*`))]),
            "a cloudtrail context condition on the logs grant": (f) =>
                logGroup(f, [service("logs.eu-west-2.amazonaws.com", LOGS_ACTIONS, { StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": "*" } })]),
            "no kms:Decrypt": (f) => logGroup(f, [service("logs.eu-west-2.amazonaws.com", ["kms:Encrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*"])]),
        },
    },
    {
        policy: POLICY,
        compliant: (f) =>
            alertTopic(f, [
                service("cloudwatch.amazonaws.com", PUBLISH),
                service("aps.amazonaws.com", PUBLISH, { StringEquals: { "aws:SourceAccount": ACCOUNT } }),
            ]),
        violations: {
            "AMP's alert manager publishes but the key admits CloudWatch only": (f) => alertTopic(f, [service("cloudwatch.amazonaws.com", PUBLISH)]),
            "CloudWatch without kms:GenerateDataKey": (f) =>
                alertTopic(f, [service("cloudwatch.amazonaws.com", ["kms:Decrypt"]), service("aps.amazonaws.com", PUBLISH)]),
            "aws:SourceAccount of another account": (f) =>
                alertTopic(f, [
                    service("cloudwatch.amazonaws.com", PUBLISH),
                    service("aps.amazonaws.com", PUBLISH, { StringEquals: { "aws:SourceAccount": "444455556666" } }),
                ]),
        },
    },
    {
        policy: POLICY,
        compliant: (f) => nodes(f, [slrUse, slrGrant]),
        violations: {
            "no Auto Scaling role statement": (f) => nodes(f, []),
            "no kms:CreateGrant for the Auto Scaling role": (f) => nodes(f, [slrUse]),
        },
    },
    {
        policy: POLICY,
        compliant: (f) => void f.add(T.rds, "db", { storageEncrypted: true, kmsKeyId: f.arn(keyWith(f, [])) }),
        violations: {
            "a database key without the account-root statement": (f) =>
                void f.add(T.rds, "db", {
                    storageEncrypted: true,
                    kmsKeyId: f.arn(
                        keyWith(f, [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/deployer` }, Action: "kms:*", Resource: "*" }], false),
                    ),
                }),
        },
    },
    {
        // An IRSA role's IAM grant on the documents key works only through the key policy's account-root statement.
        policy: POLICY,
        compliant: (f) => irsaGrant(f, true),
        violations: { "a role policy granting a key whose policy does not enable IAM": (f) => irsaGrant(f, false) },
    },
];

function irsaGrant(f: Fixture, root: boolean) {
    const key = keyWith(f, [], root);
    const role = f.add(T.role, "web", { assumeRolePolicy: "{}" });
    f.add(T.rolePolicy, "web", {
        role: f.ref(role),
        policy: f.computed(key, JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["kms:Decrypt"], Resource: f.arnOf(key) }] })),
    });
}

describe("deployability: key policies", () => {
    describeCases(cases);

    for (const mode of ["update", "preview"] as const) {
        it(`reports a logs grant on aws:SourceAccount, undocumented for CloudWatch Logs, as advisory only (${mode})`, async () => {
            const ds = await diagnose(
                (f) => logGroup(f, [service("logs.eu-west-2.amazonaws.com", LOGS_ACTIONS, { StringEquals: { "aws:SourceAccount": ACCOUNT } })]),
                mode,
                POLICY,
            );
            assert.equal(ds.length, 1, JSON.stringify(ds.map((d) => d.message)));
            assert.equal(ds[0].enforcementLevel, "advisory");
            assert.match(ds[0].message, /aws:SourceAccount.*encrypt-log-data-kms/s);
        });

        it(`names the key, the service, the actions and the using resource (${mode})`, async () => {
            const ds = await diagnose((f) => trail(f, [trailEncrypt]), mode, POLICY);
            assert.equal(ds.length, 1, JSON.stringify(ds.map((d) => d.message)));
            assert.match(
                ds[0].message,
                /key key: CloudTrail \(cloudtrail\.amazonaws\.com\) needs kms:DescribeKey, kms:Decrypt: no statement .* \(used by Trail audit\)/,
            );
        });
    }
});

describe("deployability: the committed stacks' key policies", () => {
    const policy = allPolicies.filter((p) => p.name === POLICY);
    for (const stack of ["prod", "dr"])
        for (const mode of ["update", "preview"] as const) {
            it(`admit every service that uses their keys, without even an advisory (${stack}, ${mode})`, async () => {
                const ds = await analyzeResources((await planOf(stack, mode)).resources, { policies: policy });
                assert.deepEqual(
                    ds.map((d) => d.message),
                    [],
                );
            });

            it(`grant CloudWatch Logs on the documented encryption context, never on aws:SourceAccount (${stack}, ${mode})`, async () => {
                const grants = ofType(await planOf(stack, mode), T.kmsKey)
                    .flatMap(
                        (k) =>
                            JSON.parse(k.props.policy as string).Statement as {
                                Principal?: { Service?: string };
                                Condition?: Record<string, Record<string, string>>;
                            }[],
                    )
                    .filter((st) => /^logs\.[a-z0-9-]+\.amazonaws\.com$/.test(st.Principal?.Service ?? ""));
                assert.ok(grants.length > 0);
                for (const grant of grants) {
                    const region = grant.Principal!.Service!.split(".")[1];
                    assert.deepEqual(grant.Condition, { ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:${region}:${ACCOUNT}:log-group:*` } });
                }
            });
        }
});
