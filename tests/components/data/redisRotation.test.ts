/**
 * The Redis AUTH password rotation (issue #11 finding 20): the function's four steps against fakes of
 * Secrets Manager and ElastiCache, and how the plans wire it (schedule, network, rights, what Pulumi
 * must not revert).
 */
import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as pulumi from "@pulumi/pulumi";
import { RedisCache, ELASTICACHE_PASSWORD_SPECIALS } from "../../../components/data/redisCache";
import { ELASTICACHE_PASSWORD_EXCLUDED, ROTATED_PASSWORD_LENGTH, ROTATION_HANDLER_FILE } from "../../../components/data/redisRotation";
import { DEFAULTS } from "../../../model/defaults";
import { REDIS_ROTATION_RUNTIME } from "../../../model/versions";
import { PlannedResource } from "../../../tools/offline";
import { ofType, one, planComponent, planOf } from "../../support";

type Json = Record<string, any>;
type Api = Record<string, (input?: any) => Promise<any> | number>;
const load = createRequire(__filename);
const { rotate, userOf } = load(ROTATION_HANDLER_FILE) as {
    rotate: (event: Json, env: Json, api: Api) => Promise<string>;
    userOf: (arn: string) => { region: string; userId: string };
};

const SECRET = "arn:aws:secretsmanager:eu-west-2:111122223333:secret:data-redis-prod/auth-AbCdEf";
const USER_ARN = "arn:aws:elasticache:eu-west-2:111122223333:user:data-redis-prod-app";
const ENV = {
    SECRET_ARN: SECRET,
    USER_NAME: "app",
    EXCLUDE_CHARACTERS: ELASTICACHE_PASSWORD_EXCLUDED,
    PASSWORD_LENGTH: "40",
    WAIT_SECONDS: "30",
    POLL_SECONDS: "10",
};

/** Secrets Manager and ElastiCache as the function sees them, recording every change. */
function fakes(opts: { userStatuses?: string[] } = {}) {
    const versions: Record<string, { stages: string[]; value: string }> = {
        v1: { stages: ["AWSCURRENT"], value: JSON.stringify({ username: "app", password: "first-password-0001", user_arn: USER_ARN }) },
    };
    const statuses = [...(opts.userStatuses ?? ["active"])];
    const calls: { op: string; input: Json }[] = [];
    let clock = 0;
    const notFound = () => Object.assign(new Error("not found"), { name: "ResourceNotFoundException" });
    const api: Api = {
        describeSecret: async () => ({
            RotationEnabled: true,
            VersionIdsToStages: Object.fromEntries(Object.entries(versions).map(([k, v]) => [k, v.stages])),
        }),
        getSecretValue: async ({ VersionId, VersionStage }: Json) => {
            const hit = Object.entries(versions).find(([k, v]) => (VersionId === undefined || k === VersionId) && v.stages.includes(VersionStage));
            if (!hit || hit[1].value === "") throw notFound();
            return { SecretString: hit[1].value };
        },
        getRandomPassword: async (input: Json) => (calls.push({ op: "getRandomPassword", input }), { RandomPassword: "rotated-password-0002" }),
        putSecretValue: async (input: Json) => {
            calls.push({ op: "putSecretValue", input });
            versions[input.ClientRequestToken] = { stages: input.VersionStages, value: input.SecretString };
            return {};
        },
        updateSecretVersionStage: async (input: Json) => {
            calls.push({ op: "updateSecretVersionStage", input });
            versions[input.RemoveFromVersionId].stages = versions[input.RemoveFromVersionId].stages.filter((s) => s !== "AWSCURRENT");
            versions[input.MoveToVersionId].stages = ["AWSCURRENT"];
            return {};
        },
        describeUsers: async ({ UserId }: Json) => ({ Users: [{ UserId, Status: statuses.length > 1 ? statuses.shift() : statuses[0] }] }),
        modifyUser: async (input: Json) => (calls.push({ op: "modifyUser", input }), {}),
        now: () => clock,
        sleep: async (ms: number) => void (clock += ms),
    };
    const stage = (token: string) => versions[token]?.stages;
    return { api, calls, versions, stage };
}

const event = (step: string, token = "v2", secretId = SECRET) => ({ SecretId: secretId, ClientRequestToken: token, Step: step });

describe("Redis AUTH rotation function (redisRotation.lambda.js)", () => {
    it("rotates in four steps: a new password for the same user, both passwords valid on the user, then AWSCURRENT moved", async () => {
        const f = fakes();
        // RotateSecret stages the new token as AWSPENDING before createSecret, with no value under it yet.
        f.versions.v2 = { stages: ["AWSPENDING"], value: "" };
        for (const step of ["createSecret", "setSecret", "testSecret", "finishSecret"]) await rotate(event(step), ENV, f.api);

        const put = f.calls.find((c) => c.op === "putSecretValue")!.input;
        assert.deepEqual(JSON.parse(put.SecretString), { username: "app", password: "rotated-password-0002", user_arn: USER_ARN });
        assert.deepEqual(put.VersionStages, ["AWSPENDING"]);
        const generated = f.calls.find((c) => c.op === "getRandomPassword")!.input;
        assert.equal(generated.ExcludeCharacters, ELASTICACHE_PASSWORD_EXCLUDED);
        assert.equal(generated.PasswordLength, ROTATED_PASSWORD_LENGTH);
        assert.deepEqual(f.calls.find((c) => c.op === "modifyUser")!.input, {
            UserId: "data-redis-prod-app",
            Passwords: ["rotated-password-0002", "first-password-0001"],
        });
        assert.deepEqual(f.stage("v2"), ["AWSCURRENT"]);
        assert.deepEqual(f.stage("v1"), []);
        // Once current, a repeated step does nothing.
        assert.equal(await rotate(event("finishSecret"), ENV, f.api), "already current");
    });

    it("refuses another secret, another user, and a token that is not pending", async () => {
        const f = fakes();
        await assert.rejects(rotate(event("createSecret", "v2", `${SECRET}-other`), ENV, f.api), /only the secret named in SECRET_ARN/);
        f.versions.v2 = { stages: ["AWSPENDING"], value: "" };
        await assert.rejects(rotate(event("createSecret"), { ...ENV, USER_NAME: "admin" }, f.api), /another user/);
        f.versions.v3 = { stages: [], value: "" };
        await assert.rejects(rotate(event("setSecret", "v3"), ENV, f.api), /not staged AWSPENDING/);
        await assert.rejects(rotate(event("rollback"), ENV, f.api), /unknown rotation step/);
    });

    it("waits for the user to be active again, and fails the step when it never is", async () => {
        const f = fakes({ userStatuses: ["modifying", "modifying", "active"] });
        f.versions.v2 = { stages: ["AWSPENDING"], value: JSON.stringify({ username: "app", password: "p2", user_arn: USER_ARN }) };
        assert.equal(await rotate(event("testSecret"), ENV, f.api), "tested");
        const stuck = fakes({ userStatuses: ["modifying"] });
        stuck.versions.v2 = { stages: ["AWSPENDING"], value: JSON.stringify({ username: "app", password: "p2", user_arn: USER_ARN }) };
        await assert.rejects(rotate(event("testSecret"), ENV, stuck.api), /did not become active/);
    });

    it("reads the user id and region from the user ARN, and refuses anything else", () => {
        assert.deepEqual(userOf(USER_ARN), { region: "eu-west-2", userId: "data-redis-prod-app" });
        assert.throws(() => userOf("arn:aws:iam::111122223333:user/app"), /not an ElastiCache user ARN/);
    });

    it("excludes exactly the punctuation ElastiCache refuses: the specials left are RedisCache's own", () => {
        const printable = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).filter((c) => !/[A-Za-z0-9 ]/.test(c));
        const allowed = printable.filter((c) => !ELASTICACHE_PASSWORD_EXCLUDED.includes(c));
        assert.deepEqual(allowed.sort(), [...ELASTICACHE_PASSWORD_SPECIALS].sort());
    });
});

describe("Redis AUTH rotation in the plans", () => {
    const props = (r: PlannedResource) => r.props as Json;
    for (const [stack, cache] of [
        ["prod", "data-redis"],
        ["dr", "cache"],
    ] as const) {
        it(`${stack}: the AUTH secret is rotated every ${DEFAULTS.data.redis.passwordRotationDays} days by its own function in the private subnets`, async () => {
            const plan = await planOf(stack);
            const secret = one(plan, "aws:secretsmanager/secret:Secret", `${cache}-auth`);
            const fn = one(plan, "aws:lambda/function:Function", `${cache}-rotation`);
            const rotation = one(plan, "aws:secretsmanager/secretRotation:SecretRotation", `${cache}-auth`);
            assert.equal(props(rotation).secretId, secret.id);
            assert.equal(props(rotation).rotationLambdaArn, props(fn).arn);
            assert.deepEqual(props(rotation).rotationRules, { automaticallyAfterDays: DEFAULTS.data.redis.passwordRotationDays });
            assert.equal(props(fn).runtime, REDIS_ROTATION_RUNTIME);
            assert.equal(props(fn).environment.variables.SECRET_ARN, props(secret).arn);
            const privateSubnets = ofType(plan, "aws:ec2/subnet:Subnet")
                .filter((s) => s.name.startsWith("network-private-"))
                .map((s) => s.id);
            assert.deepEqual([...props(fn).vpcConfig.subnetIds].sort(), [...privateSubnets].sort());
            // Its only egress: HTTPS to the interface endpoints, among them ElastiCache's API.
            const sg = props(fn).vpcConfig.securityGroupIds[0];
            const egress = ofType(plan, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").filter((r) => props(r).securityGroupId === sg);
            const endpointSg = one(plan, "aws:ec2/vpcEndpoint:VpcEndpoint", "network-elasticache");
            assert.deepEqual(
                egress.map((r) => [props(r).fromPort, props(r).referencedSecurityGroupId]),
                [[443, props(endpointSg).securityGroupIds[0]]],
            );
            // Secrets Manager may invoke it for this secret only.
            const permission = one(plan, "aws:lambda/permission:Permission", `${cache}-rotation`);
            assert.equal(props(permission).sourceArn, props(secret).arn);
            // Rights on this secret and this user, no wider.
            const policy = JSON.parse(props(one(plan, "aws:iam/rolePolicy:RolePolicy", `${cache}-rotation`)).policy);
            const user = ofType(plan, "aws:elasticache/user:User").find((u) => u.name === `${cache}-app`)!;
            const bySid = Object.fromEntries(policy.Statement.map((s: Json) => [s.Sid, s]));
            assert.equal(bySid.RotateThisSecret.Resource, props(secret).arn);
            assert.deepEqual(bySid.ChangeThisUsersPassword.Action, ["elasticache:DescribeUsers", "elasticache:ModifyUser"]);
            assert.equal(bySid.ChangeThisUsersPassword.Resource, props(user).arn);
        });
    }

    it("ships the handler file as the function's index.js", async () => {
        const fn = one(await planOf("prod"), "aws:lambda/function:Function", "data-redis-rotation");
        assert.equal(props(fn).handler, "index.handler");
        assert.equal(props(fn).code.assets["index.js"].text, readFileSync(ROTATION_HANDLER_FILE, "utf8"));
    });

    it("keeps Pulumi from putting back the first password or moving AWSCURRENT back after a rotation", async () => {
        const seen: Record<string, string[] | undefined> = {};
        await planComponent(() => {
            pulumi.runtime.registerStackTransformation((a) => {
                if (a.type === "aws:elasticache/user:User" || a.type === "aws:secretsmanager/secretVersion:SecretVersion")
                    seen[`${a.type} ${a.name}`] = a.opts.ignoreChanges;
                return undefined;
            });
            new RedisCache("cache", {
                vpcId: "vpc-1",
                subnetIds: ["subnet-a", "subnet-b"],
                clientSecurityGroupId: "sg-clients",
                cacheKeyArn: "arn:aws:kms:eu-west-2:111122223333:key/k",
                secretKeyArn: "arn:aws:kms:eu-west-2:111122223333:key/k",
                logKeyArn: "arn:aws:kms:eu-west-2:111122223333:key/k",
                accountId: "111122223333",
                rotationSubnetIds: ["subnet-p"],
                apiEndpointSecurityGroupId: "sg-endpoints",
            });
        });
        assert.deepEqual(seen["aws:elasticache/user:User cache-app"], ["authenticationMode.passwords"]);
        assert.deepEqual(seen["aws:secretsmanager/secretVersion:SecretVersion cache-auth"], ["versionStages"]);
        // The default user is off and never rotated: its generated password stays Pulumi's.
        assert.equal(seen["aws:elasticache/user:User cache-default"], undefined);
    });
});
