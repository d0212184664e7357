/**
 * Secrets Manager rotation function for an ElastiCache RBAC user's password (single-user rotation),
 * deployed by components/data/redisRotation.ts as the Lambda's index.js (Node.js runtime: the AWS SDK
 * for JavaScript v3 ships with it, so the function has no dependencies to package).
 *
 * Written for this project from AWS's documented protocol, not copied: the four steps Secrets
 * Manager invokes (createSecret, setSecret, testSecret, finishSecret) and the secret's shape
 * ElastiCache documents ({ username, password, user_arn }). AWS publishes its own ElastiCache
 * template (SecretsManagerElasticacheUserRotation) only as source, not in the Serverless
 * Application Repository, so it cannot be deployed the way the PostgreSQL rotation is.
 * - https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotate-secrets_lambda-functions.html
 * - https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/User-Secrets-Manager.html
 * - https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_ModifyUser.html (up to two passwords)
 *
 * Environment: SECRET_ARN (the one secret this function may rotate), USER_NAME (the user the secret
 * must name), EXCLUDE_CHARACTERS and PASSWORD_LENGTH (what ElastiCache accepts), WAIT_SECONDS and
 * POLL_SECONDS (how long to wait for the user to be "active" after a change).
 */
"use strict";

const STEPS = ["createSecret", "setSecret", "testSecret", "finishSecret"];

/** The resource id of an ElastiCache user ARN (arn:aws:elasticache:<region>:<account>:user:<id>) and its region. */
function userOf(arn) {
    const parts = String(arn).split(":");
    if (parts.length < 7 || parts[2] !== "elasticache" || parts[5] !== "user") throw new Error("user_arn is not an ElastiCache user ARN");
    return { region: parts[3], userId: parts.slice(6).join(":") };
}

/** The secret's JSON at a stage (and version); never logs the value. */
async function secretAt(api, secretId, stage, versionId) {
    const value = await api.getSecretValue({ SecretId: secretId, VersionStage: stage, ...(versionId ? { VersionId: versionId } : {}) });
    let parsed;
    try {
        parsed = JSON.parse(value.SecretString);
    } catch {
        throw new Error(`the ${stage} version of the secret is not JSON`);
    }
    if (!parsed || typeof parsed.user_arn !== "string") throw new Error(`the ${stage} version of the secret has no user_arn`);
    return parsed;
}

/** Polls the user until ElastiCache reports it "active" (a password change propagates to every node first). */
async function waitActive(api, env, userId) {
    const deadline = api.now() + Number(env.WAIT_SECONDS ?? 240) * 1000;
    for (;;) {
        const users = (await api.describeUsers({ UserId: userId })).Users ?? [];
        if (users[0]?.Status === "active") return users[0];
        if (api.now() >= deadline) throw new Error(`ElastiCache user ${userId} did not become active in time`);
        await api.sleep(Number(env.POLL_SECONDS ?? 10) * 1000);
    }
}

/**
 * One rotation step. `api` holds the calls (Secrets Manager and ElastiCache, plus now/sleep), so the
 * logic runs the same against AWS and against a test's fakes.
 */
async function rotate(event, env, api) {
    const { SecretId: secretId, ClientRequestToken: token, Step: step } = event;
    if (secretId !== env.SECRET_ARN) throw new Error("this function rotates only the secret named in SECRET_ARN");
    if (!STEPS.includes(step)) throw new Error(`unknown rotation step ${step}`);
    const meta = await api.describeSecret({ SecretId: secretId });
    if (!meta.RotationEnabled) throw new Error("rotation is not enabled on the secret");
    const stages = (meta.VersionIdsToStages ?? {})[token];
    if (!stages) throw new Error("the rotation token is not a version of the secret");
    if (stages.includes("AWSCURRENT")) return "already current";
    if (!stages.includes("AWSPENDING")) throw new Error("the rotation token is not staged AWSPENDING");

    const current = await secretAt(api, secretId, "AWSCURRENT");
    if (current.username !== env.USER_NAME) throw new Error("the secret names another user than USER_NAME");
    const { userId } = userOf(current.user_arn);

    if (step === "createSecret") {
        await api.describeUsers({ UserId: userId }); // the user exists before a password is made for it
        try {
            await api.getSecretValue({ SecretId: secretId, VersionId: token, VersionStage: "AWSPENDING" });
            return "pending exists";
        } catch (e) {
            if (e?.name !== "ResourceNotFoundException") throw e;
        }
        const { RandomPassword } = await api.getRandomPassword({
            PasswordLength: Number(env.PASSWORD_LENGTH ?? 40),
            ExcludeCharacters: env.EXCLUDE_CHARACTERS ?? "",
            RequireEachIncludedType: true,
        });
        await api.putSecretValue({
            SecretId: secretId,
            ClientRequestToken: token,
            SecretString: JSON.stringify({ ...current, password: RandomPassword }),
            VersionStages: ["AWSPENDING"],
        });
        return "created";
    }
    if (step === "setSecret") {
        const pending = await secretAt(api, secretId, "AWSPENDING", token);
        if (pending.username !== env.USER_NAME || pending.user_arn !== current.user_arn) throw new Error("the pending version names another user");
        await waitActive(api, env, userId);
        // Both passwords stay valid (ElastiCache keeps up to two): clients still holding the current one keep working
        // until they re-read the secret; the next rotation drops it.
        const passwords = [pending.password, ...(typeof current.password === "string" ? [current.password] : [])];
        await api.modifyUser({ UserId: userId, Passwords: passwords });
        return "set";
    }
    if (step === "testSecret") {
        await waitActive(api, env, userId);
        return "tested";
    }
    const currentVersion = Object.entries(meta.VersionIdsToStages).find(([, s]) => s.includes("AWSCURRENT"))?.[0];
    await api.updateSecretVersionStage({ SecretId: secretId, VersionStage: "AWSCURRENT", MoveToVersionId: token, RemoveFromVersionId: currentVersion });
    return "finished";
}

/** The Lambda entry point: the SDK clients of the runtime, loaded on first use. */
async function handler(event) {
    const sm = require("@aws-sdk/client-secrets-manager");
    const ec = require("@aws-sdk/client-elasticache");
    const secrets = new sm.SecretsManagerClient({});
    const caches = new ec.ElastiCacheClient({});
    const api = {
        describeSecret: (i) => secrets.send(new sm.DescribeSecretCommand(i)),
        getSecretValue: (i) => secrets.send(new sm.GetSecretValueCommand(i)),
        getRandomPassword: (i) => secrets.send(new sm.GetRandomPasswordCommand(i)),
        putSecretValue: (i) => secrets.send(new sm.PutSecretValueCommand(i)),
        updateSecretVersionStage: (i) => secrets.send(new sm.UpdateSecretVersionStageCommand(i)),
        describeUsers: (i) => caches.send(new ec.DescribeUsersCommand(i)),
        modifyUser: (i) => caches.send(new ec.ModifyUserCommand(i)),
        now: () => Date.now(),
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    };
    const outcome = await rotate(event, process.env, api);
    console.log(JSON.stringify({ step: event.Step, outcome }));
}

module.exports = { handler, rotate, userOf };
